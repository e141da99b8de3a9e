import type { Page } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Returns the absolute path of a fixture in tests/fixtures. */
export { fixture } from '../support/paths.ts';

/** Drops a file (or folder) on the page the way a user does: a trusted drop through CDP. */
export async function drop(page: Page, absPath: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await cdp.send('Input.dispatchDragEvent', {
      type,
      x: 200,
      y: 200,
      data: { items: [], files: [absPath], dragOperationsMask: 1 },
    });
  }
  await cdp.detach();
}

/** The rows of the report's platform table. */
export const platformRows = (page: Page) => page.locator('table tbody tr');
