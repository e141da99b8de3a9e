import type { Browser } from '@playwright/test';
import { drop } from '../e2e/helpers.ts';
import { RendererMemory } from '../e2e/memory.ts';
import { dropMarks, dropToReportMs, readyForDrop, watchDropToReport } from './drop-marks.ts';
import type { ThreadCpu } from './thread-cpu.ts';

/** What verifying one archive measured in the page (the figures on its progress element). */
export interface VerifyRun {
  status: string;
  /** Bytes hashed as stored, and the whole run's time. */
  storedBytes: number;
  ms: number;
  /** Bytes decoded (gzip, zstd) and hashed for diff_ids, and the time decoding went on. */
  decodedBytes: number;
  decodeMs: number;
  /** CPU seconds every process of the browser spent from the drop to the end of verification
   * (reading a File costs the browser process CPU as well as the workers). */
  cpuSeconds: number;
}

/** What one archive measured in the browser. */
export interface BrowserRun {
  dropToReportMs: number;
  /** Renderer memory (this browser's renderer processes, workers included) once the page has
   * loaded. */
  baselineRendererMB: number;
  /** Peak renderer memory from the drop until verification ended. */
  peakRendererMB: number;
  verify: VerifyRun;
}

/** Opens `file` in the app at `url` by a real drop, lets the verification that starts with the
 * report run to its end, and returns the timings, the verification's figures and peak memory;
 * with `threads`, samples the CPU of every thread of the browser from the drop to the end. */
export async function measureBrowser(
  browser: Browser,
  url: string,
  file: string,
  threads?: ThreadCpu,
): Promise<BrowserRun> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await watchDropToReport(page);
  const memory = await RendererMemory.of(browser);
  const cdp = await browser.newBrowserCDPSession();
  const cpuSeconds = async () => {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { cpuTime: number }[];
    };
    return processInfo.reduce((n, p) => n + p.cpuTime, 0);
  };
  try {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    const baseline = await memory.sampleMB();
    const cpuBefore = await cpuSeconds();
    const verifying = (async () => {
      await readyForDrop(page);
      await drop(page, file);
      await dropMarks(page);
      const done = page.locator('progress.verify-progress[data-state="done"]');
      await done.waitFor({ timeout: 15 * 60_000 });
      return done.evaluate((el: HTMLElement) => ({ ...el.dataset }));
    })();
    const work = threads ? threads.during(verifying) : verifying;
    const { value: data, peakMB } = await memory.peakDuring(work);
    const cpu = (await cpuSeconds()) - cpuBefore;
    return {
      dropToReportMs: await dropToReportMs(page),
      baselineRendererMB: baseline,
      peakRendererMB: peakMB,
      verify: {
        status: data.status ?? 'unknown',
        storedBytes: Number(data.bytes),
        ms: Number(data.ms),
        decodedBytes: Number(data.decodedBytes),
        decodeMs: Number(data.decodeMs),
        cpuSeconds: cpu,
      },
    };
  } finally {
    await cdp.detach().catch(() => {});
    await memory.close();
    await context.close();
  }
}
