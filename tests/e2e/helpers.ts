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

/** The platforms of the report's platform grid, one column heading each (the grid is shown
 * for more than one platform), in people's notation: `linux/arm64/v8`. */
export const platformColumns = (page: Page) => page.locator('table.platforms thead th.platform');

/** One row (field) of the platform grid: `digest`, `size`, `cmd`, `env:PATH`, `verification`… */
export const gridRow = (page: Page, key: string) =>
  page.locator(`table.platforms tbody tr[data-row="${key}"]`);

/** The summary strip at the top of a report. */
export const summary = (page: Page) => page.getByRole('region', { name: 'Summary', exact: true });

/** One value of the summary strip: `name`, `platform`, `size`, `created`, `layers`,
 * `image-id`, `verdict`. */
export const summaryField = (page: Page, field: string) =>
  summary(page).locator(`[data-field="${field}"]`);
