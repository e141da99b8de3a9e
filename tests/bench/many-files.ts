// The image of 1,000,000 small files (issue 12), measured in the page: renderer memory from the
// drop to the listing shown and a few seconds after, the time to it, then with the tree open the
// scroll frames and the search latencies, each timed inside the page (performance.now around the
// work, rAF for frames). Used by run.ts; the figures are printed there, never asserted in tests.
//
// Memory is the summed resident set (VmRSS) of this browser's renderer processes (the page, its
// workers, the app's service worker), read from /proc every 100 ms (tests/e2e/memory.ts). The
// baseline is taken once the service worker is active and settled: on a first visit it installs
// (precaching the app) while the page is already idle, and that growth is not the listing's.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { drop, scrollFrames } from '../e2e/helpers.ts';
import { RendererMemory } from '../e2e/memory.ts';
import { startPreview } from './preview.ts';

/** What the many-files image measured. */
export interface ManyFilesRun {
  /** Paths the Files heading counts (directories included). */
  paths: number;
  /** From the drop event to the Files heading counting the paths, in the page. */
  dropToListingMs: number;
  /** Renderer memory before the drop, the service worker active. */
  baselineRendererMB: number;
  /** Peak renderer memory from the drop until `SHOWN_MS` after the listing is shown (the
   * listing's write to IndexedDB and the worker's shutdown go on after it is shown). */
  peakRendererMB: number;
  /** Renderer memory `SHOWN_MS` after the listing is shown (what the page keeps). */
  shownRendererMB: number;
  /** Frame times while the open directory scrolls, 120 frames. */
  scrollMedianMs: number;
  scrollWorstMs: number;
  /** Rows in the DOM while scrolling (the virtual list's window). */
  rows: number;
  /** From a query submitted to the search status showing its result, in the page; the first
   * includes indexing the layer's paths (done once; the status says how long that took). */
  searches: { query: string; kind: string; ms: number; status: string }[];
}

const files = (page: Page) => page.getByTestId('files');

/** How long after the listing is shown the "after" figure is read. */
export const SHOWN_MS = 3000;

/** How long the page is left alone, its service worker active, before the baseline. */
const SETTLE_MS = 2000;

/** Puts `query` in the search box and presses Enter in the same task (Enter skips the 150 ms
 * typing pause), and returns the time, in the page, from the Enter to the status showing a
 * result that names `kind` ("glob" or "text") and differs from the status before. */
async function timedSearch(page: Page, query: string, kind: string) {
  const input = await files(page).getByLabel('Path or glob').elementHandle();
  const result = await page.evaluate(
    ({ input, query, kind }) =>
      new Promise<{ ms: number; status: string }>((resolve, reject) => {
        const status = document.querySelector('[data-testid="search-status"]')!;
        // (inline, not a named function: tsx would wrap one in a helper the page lacks)
        const before = (status.textContent ?? '').replace(/\s+/g, ' ').trim();
        const el = input as HTMLInputElement;
        el.focus();
        el.value = query;
        el.dispatchEvent(new Event('input', { bubbles: true }));
        const start = performance.now();
        const watch = new MutationObserver(() => {
          const text = (status.textContent ?? '').replace(/\s+/g, ' ').trim();
          if (text !== before && new RegExp(`match(es)? the ${kind}`).test(text)) {
            watch.disconnect();
            resolve({ ms: performance.now() - start, status: text });
          }
        });
        watch.observe(status, { subtree: true, childList: true, characterData: true });
        setTimeout(
          () => reject(new Error(`no result for ${query} in 120 s: ${status.textContent}`)),
          120_000,
        );
        el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      }),
    { input, query, kind },
  );
  return { query, kind, ...result };
}

/** Opens `file` (the many-files image) at `url` by a real drop and measures it. */
export async function measureManyFiles(
  browser: Browser,
  url: string,
  file: string,
): Promise<ManyFilesRun> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const marks: { drop?: number; listed?: number } = {};
    (window as unknown as { __bench: typeof marks }).__bench = marks;
    addEventListener('drop', () => (marks.drop ??= performance.now()), true);
    new MutationObserver(() => {
      if (marks.drop === undefined || marks.listed !== undefined) return;
      const heading = document.querySelector('[data-testid="files"] h4');
      if (heading && /[\d,]+\s+paths/.test(heading.textContent ?? ''))
        marks.listed = performance.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const memory = await RendererMemory.of(browser);
  try {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => navigator.serviceWorker?.ready.then(() => undefined));
    await page.waitForTimeout(SETTLE_MS);
    const baseline = await memory.sampleMB();
    const heading = files(page).getByRole('heading', { name: /Files/ });
    const work = (async () => {
      await drop(page, file);
      await page.waitForFunction(
        () => (window as unknown as { __bench: { listed?: number } }).__bench.listed !== undefined,
        undefined,
        { timeout: 15 * 60_000, polling: 200 },
      );
      await page.waitForTimeout(SHOWN_MS);
    })();
    const { peakMB } = await memory.peakDuring(work);
    const shown = await memory.sampleMB();
    const marks = await page.evaluate(
      () => (window as unknown as { __bench: { drop: number; listed: number } }).__bench,
    );
    const text = (await heading.textContent()) ?? '';
    const paths = Number(/([\d,]+)\s+paths/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);

    // The first directory opened, then scrolled through: frame times in the page.
    const tree = files(page).getByRole('tree');
    const root = tree.locator('[data-path="srv"]');
    if ((await root.getAttribute('aria-expanded')) !== 'true') await root.click();
    const dir = tree.locator('[data-path="srv/d0000"]');
    await dir.click();
    await dir.waitFor();
    const frames = await scrollFrames(tree);

    await files(page).getByRole('button', { name: 'Search' }).click();
    const searches = [];
    searches.push(await timedSearch(page, '**/f0424242.txt', 'glob'));
    searches.push(await timedSearch(page, '**/f04242*', 'glob'));
    searches.push(await timedSearch(page, 'srv/d0999/*', 'glob'));
    searches.push(await timedSearch(page, 'f0777', 'text'));
    searches.push(await timedSearch(page, 'd0123/f0123456', 'text'));
    return {
      paths,
      dropToListingMs: marks.listed - marks.drop,
      baselineRendererMB: baseline,
      peakRendererMB: peakMB,
      shownRendererMB: shown,
      scrollMedianMs: frames.median,
      scrollWorstMs: frames.worst,
      rows: frames.rows,
      searches,
    };
  } finally {
    await memory.close();
    await context.close();
  }
}

// Alone: `npx tsx tests/bench/many-files.ts <archive>` prints the figures for one archive.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const archive = process.argv[2];
  if (!archive) throw new Error('usage: npx tsx tests/bench/many-files.ts <archive.tar>');
  const server = await startPreview();
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const run = await measureManyFiles(browser, server.url, archive);
    console.log(JSON.stringify(run, null, 2));
    console.log(`load: ${execFileSync('uptime').toString().trim()}`);
  } finally {
    await browser.close();
    server.stop();
  }
}
