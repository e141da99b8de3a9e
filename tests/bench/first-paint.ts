// Drop → report, measured alone and several times: `npx tsx tests/bench/first-paint.ts
// <archive>... [--rounds N] [--url URL]...`. Without --url it builds the app and serves it
// (preview.ts); with two or more, it drops into each in turn, round after round, so that two
// builds are compared under the same load. Prints the median and the spread, and the load.
import { loadavg } from 'node:os';
import { type Browser, chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { drop } from '../e2e/helpers.ts';
import { dropToReportMs, watchDropToReport } from './drop-marks.ts';
import { startPreview } from './preview.ts';

/** Returns the time from a real drop of `file` to the report's heading in the DOM, in ms. */
export async function dropToReport(browser: Browser, url: string, file: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await watchDropToReport(page);
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    await drop(page, file);
    await page.waitForSelector('#report-ref', { timeout: 60_000 });
    return await dropToReportMs(page);
  } finally {
    await context.close();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const urls: string[] = [];
  const files: string[] = [];
  let rounds = 5;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--url') urls.push(args[++i]!);
    else if (args[i] === '--rounds') rounds = Number(args[++i]);
    else files.push(args[i]!);
  }
  if (files.length === 0) throw new Error('usage: first-paint.ts <archive>... [--url URL]...');
  const server = urls.length === 0 ? await startPreview() : null;
  if (server) urls.push(server.url);
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const before = loadavg()[0]!.toFixed(2);
  try {
    const times = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      for (const file of files) {
        for (const url of urls) {
          const key = `${url} ${file}`;
          times.set(key, [...(times.get(key) ?? []), await dropToReport(browser, url, file)]);
        }
      }
    }
    console.log(`load average (1 min) ${before} before, ${loadavg()[0]!.toFixed(2)} after`);
    for (const [key, ms] of times) {
      const sorted = [...ms].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      console.log(
        `${key}: median ${median.toFixed(0)} ms (${sorted.map((t) => t.toFixed(0)).join(', ')})`,
      );
    }
  } finally {
    await browser.close();
    server?.stop();
  }
}

await main();
