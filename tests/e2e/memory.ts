import { readFileSync } from 'node:fs';
import type { Browser, CDPSession } from '@playwright/test';

/**
 * The resident memory of one browser's renderer processes (its pages and their workers), read
 * from /proc for the process ids the browser itself reports: other Chromiums running on the
 * machine (other test runs) are not counted. Linux only, like the benchmark.
 */
export class RendererMemory {
  private constructor(private readonly cdp: CDPSession) {}

  /** Returns a reader of `browser`'s renderer memory. */
  static async of(browser: Browser): Promise<RendererMemory> {
    return new RendererMemory(await browser.newBrowserCDPSession());
  }

  /** Returns the summed VmRSS of the renderer processes now, in MB (2^20 bytes). */
  async sampleMB(): Promise<number> {
    const { processInfo } = await this.cdp.send('SystemInfo.getProcessInfo');
    let kb = 0;
    for (const p of processInfo) if (p.type === 'renderer') kb += residentKb(p.id);
    return kb / 1024;
  }

  /** Samples every `ms` until `work` settles; returns its value and the highest sample. */
  async peakDuring<T>(work: Promise<T>, ms = 100): Promise<{ value: T; peakMB: number }> {
    let peakMB = await this.sampleMB();
    let done = false;
    const sampling = (async () => {
      while (!done) {
        peakMB = Math.max(peakMB, await this.sampleMB());
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
    })();
    try {
      return { value: await work, peakMB };
    } finally {
      done = true;
      await sampling;
    }
  }

  async close(): Promise<void> {
    await this.cdp.detach().catch(() => {});
  }
}

/** Returns a process's resident memory in kB, 0 when it has gone. */
function residentKb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
