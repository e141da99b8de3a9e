// Drop → report, timed inside the page: from the drop event to the report (its heading and the
// summary strip) painted on the screen. Shared by the benchmark scripts (browser.ts,
// first-paint.ts, profile-paint.ts).
//
// "Painted" is the browser's own record of it (Element Timing: the frame that first drew their
// text was presented), not their insertion into the DOM: style, layout and paint of the report
// come after that (about 75 ms of a 260 ms drop at load 3, measured on the OCI bench archive).
//
// The harness stays out of the page while it measures: Playwright compiles its own scripts into
// a page the first time it evaluates anything there (its selector engine: 70–120 ms of the main
// thread at load 8, which a `waitForSelector` after the drop used to add to the figure), so
// `readyForDrop` does that before the drop, and the marks are then awaited in one evaluation,
// without polling.
import type { Page } from '@playwright/test';

interface Marks {
  drop?: number;
  /** The heading and the summary strip in the DOM. */
  inDom?: number;
  /** When each was first painted (Element Timing's renderTime), by identifier. */
  painted: Record<string, number>;
}

/** What a drop measured: from the drop to the report in the DOM and to it painted, in ms. */
export interface DropMarks {
  inDomMs: number;
  paintedMs: number;
}

type BenchWindow = { __bench: Marks; __benchPainted: Promise<Marks> };

/** Makes `page` (before it loads) note the time of the first drop, of the report's heading
 * (`#report-ref`) and summary strip entering the DOM after it, and of both being painted. */
export async function watchDropToReport(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const marks: Marks = { painted: {} };
    let painted: (marks: Marks) => void;
    const bench = window as unknown as BenchWindow;
    bench.__bench = marks;
    bench.__benchPainted = new Promise((resolve) => (painted = resolve));
    addEventListener('drop', () => (marks.drop ??= performance.now()), true);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as PerformanceEntry[]) {
        const { id, identifier, renderTime } = entry as PerformanceEntry & {
          id: string;
          identifier: string;
          renderTime: number;
        };
        // The app names its heading for Element Timing itself (it waits for it to be shown).
        marks.painted[id === 'report-ref' ? 'heading' : identifier] ??= renderTime;
      }
      if (marks.inDom !== undefined && marks.painted.heading && marks.painted.summary) {
        painted(marks);
      }
    }).observe({ type: 'element', buffered: true });
    // Mutation records come before the frame that paints them: the attribute is there in time.
    new MutationObserver(() => {
      if (marks.drop === undefined || marks.inDom !== undefined) return;
      const heading = document.getElementById('report-ref');
      const summary = document.querySelector('section.summary [data-field="platform"]');
      if (!heading || !summary) return;
      marks.inDom = performance.now();
      if (!heading.hasAttribute('elementtiming')) heading.setAttribute('elementtiming', 'heading');
      summary.setAttribute('elementtiming', 'summary');
    }).observe(document, { subtree: true, childList: true });
  });
}

/** Has Playwright set itself up in the page (a first evaluation) before the drop is timed. */
export async function readyForDrop(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as BenchWindow).__bench.drop);
}

/** Returns, on a page watched by `watchDropToReport`, the time from the drop to the report's
 * heading and summary strip in the DOM and to both painted, in ms, once painted; throws when
 * there was no drop, or no report after it within `timeout` ms. */
export async function dropMarks(page: Page, timeout = 60_000): Promise<DropMarks> {
  // On timeout, the marks reached so far: the error says which were missing.
  const marks = await page.evaluate(
    (timeout) =>
      Promise.race([
        (window as unknown as BenchWindow).__benchPainted,
        new Promise<Marks>((resolve) =>
          setTimeout(() => resolve((window as unknown as BenchWindow).__bench), timeout),
        ),
      ]),
    timeout,
  );
  const { heading, summary } = marks.painted;
  if (marks.drop === undefined || marks.inDom === undefined || !heading || !summary) {
    const seen = [
      marks.drop === undefined ? 'no drop' : 'a drop',
      marks.inDom === undefined ? 'no report in the DOM' : 'the report in the DOM',
      `heading ${heading ? '' : 'not '}painted`,
      `summary ${summary ? '' : 'not '}painted`,
    ];
    throw new Error(`no report painted within ${timeout} ms of the drop: ${seen.join(', ')}`);
  }
  return { inDomMs: marks.inDom - marks.drop, paintedMs: Math.max(heading, summary) - marks.drop };
}

/** Returns the time from the drop to the report painted (`dropMarks`), in ms. */
export async function dropToReportMs(page: Page): Promise<number> {
  return (await dropMarks(page)).paintedMs;
}
