// Drop → report, timed inside the page: from the drop event to the report's heading in the DOM.
// Shared by the benchmark scripts (browser.ts, first-paint.ts, profile-paint.ts).
import type { Page } from '@playwright/test';

interface Marks {
  drop?: number;
  report?: number;
}

/** Makes `page` (before it loads) note the time of the first drop and of the report's heading
 * (`#report-ref`) entering the DOM after it. */
export async function watchDropToReport(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const marks: { drop?: number; report?: number } = {};
    (window as unknown as { __bench: typeof marks }).__bench = marks;
    addEventListener('drop', () => (marks.drop ??= performance.now()), true);
    new MutationObserver(() => {
      if (
        marks.drop !== undefined &&
        marks.report === undefined &&
        document.getElementById('report-ref')
      ) {
        marks.report = performance.now();
      }
    }).observe(document, { subtree: true, childList: true });
  });
}

/** Returns the time from the drop to the report's heading on a page watched by
 * `watchDropToReport`, in ms; throws when either has not happened. */
export async function dropToReportMs(page: Page): Promise<number> {
  const marks = await page.evaluate(() => (window as unknown as { __bench: Marks }).__bench);
  if (marks.drop === undefined || marks.report === undefined) {
    throw new Error('no drop, or no report heading after it');
  }
  return marks.report - marks.drop;
}
