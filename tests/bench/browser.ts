import { execFileSync } from 'node:child_process';
import type { Browser, Page } from '@playwright/test';

/** What one archive measured in the browser. */
export interface BrowserRun {
  dropToReportMs: number;
  /** Renderer memory (all renderer processes, workers included) once the page has loaded. */
  baselineRendererMB: number;
  /** Peak renderer memory from the drop until the work ended. */
  peakRendererMB: number;
  verify: { blobMBps: number; diffIdMBps: number; ok: boolean } | null;
}

/** Returns the summed resident memory of Chromium's renderer processes, in MB (workers included). */
function rendererRssMB(): number {
  const out = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' });
  let kb = 0;
  for (const line of out.split('\n'))
    if (line.includes('--type=renderer')) kb += Number.parseInt(line, 10) || 0;
  return kb / 1024;
}

/** A trusted drop of a file from disk, as a user's. */
async function drop(page: Page, path: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await cdp.send('Input.dispatchDragEvent', {
      type,
      x: 200,
      y: 200,
      data: { items: [], files: [path], dragOperationsMask: 1 },
    });
  }
  await cdp.detach();
}

/** Opens `file` in the app at `url` by a real drop; returns the timings and peak memory. */
export async function measureBrowser(
  browser: Browser,
  url: string,
  file: string,
): Promise<BrowserRun> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Timed inside the page: from the drop event to the report heading in the DOM.
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
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  const baseline = rendererRssMB();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rendererRssMB())), 100);
  try {
    await drop(page, file);
    await page.waitForSelector('#report-ref', { timeout: 60_000 });
    const marks = await page.evaluate(
      () => (window as unknown as { __bench: { drop: number; report: number } }).__bench,
    );
    return {
      dropToReportMs: marks.report - marks.drop,
      baselineRendererMB: baseline,
      peakRendererMB: peak,
      verify: null,
    };
  } finally {
    clearInterval(sampler);
    await context.close();
  }
}
