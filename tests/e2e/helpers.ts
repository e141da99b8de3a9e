import { expect, type Locator, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Returns the absolute path of a fixture in tests/fixtures. */
export { fixture } from '../support/paths.ts';

/** Returns what `stevedore verify <file> --format json` prints, run from the sources (the exit
 * code is 1 for an archive that fails verification; any other failure throws). */
export function cliVerifyJson(file: string): string {
  const run = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'src/cli/stevedore.js'), 'verify', file, '--format', 'json'],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (run.status !== 0 && run.status !== 1) throw new Error(`stevedore verify: ${run.stderr}`);
  return run.stdout;
}

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

/** Waits until the verification that starts with the report has finished (`timeout` in ms for
 * the slow ones; Playwright's default otherwise). */
export async function verified(page: Page, timeout?: number): Promise<void> {
  await expect(page.locator('progress.verify-progress')).toHaveAttribute(
    'data-state',
    'done',
    timeout === undefined ? {} : { timeout },
  );
}

/** Writes full-page screenshots at 1400 px and 390 px, light and dark, to
 * `test-results/<folder>/<name>-<width>-<scheme>.png` (and `-top.png`: the first screen alone,
 * as it is seen on opening), and checks that the page never scrolls sideways. */
export async function screenshots(page: Page, folder: string, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1400, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} at ${width} px`).toBe(0);
      const file = path.join(
        repoRoot,
        'test-results',
        folder,
        `${name}-${width}-${colorScheme}.png`,
      );
      await page.screenshot({ path: file, fullPage: true });
      await page.screenshot({ path: file.replace(/\.png$/, '-top.png') });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1400, height: 900 });
}

/** What scrolling a virtual list through measured: frame times in the page, and the rows it
 * keeps in the DOM. */
export interface ScrollFrames {
  median: number;
  worst: number;
  rows: number;
}

/** Scrolls a scrolling box from top to bottom in `frames` steps, one animation frame each, and
 * returns the frame times measured in the page (the e2e checks the rows; the benchmark prints
 * the times). */
export function scrollFrames(box: Locator, frames = 120): Promise<ScrollFrames> {
  // (inline callbacks only: tsx would wrap a named function in a helper the page lacks)
  return box.evaluate(async (el, frames) => {
    const times: number[] = [];
    let last = performance.now();
    for (let k = 0; k < frames; k++) {
      el.scrollTop = (el.scrollHeight * k) / frames;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    times.sort((a, b) => a - b);
    return {
      median: times[frames >> 1]!,
      worst: times[frames - 1]!,
      rows: el.querySelectorAll('[role="treeitem"]').length,
    };
  }, frames);
}
