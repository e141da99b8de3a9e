// Drop → report, measured alone and several times: `npx tsx tests/bench/first-paint.ts
// <archive>... [--rounds N] [--url URL]... [--service-workers allow|block|both]`. Without --url
// it builds the app and serves it (preview.ts); with two or more, it drops into each in turn,
// round after round, so that two builds are compared under the same load; `both` drops into
// each with the service worker allowed and with it blocked, in turn. Prints the median and the
// spread, and the load.
import { loadavg } from 'node:os';
import { type Browser, chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { drop } from '../e2e/helpers.ts';
import { type DropMarks, dropMarks, readyForDrop, watchDropToReport } from './drop-marks.ts';
import { startPreview } from './preview.ts';

/** What one visit measured: the welcome page's first contentful paint from the navigation, and
 * the drop → report marks, in ms. */
export interface VisitMarks extends DropMarks {
  welcomeFcpMs: number;
  /** Whether the app's warm-up (src/app/warm-up.ts) had run to its end before the drop. */
  warm: boolean;
}

/** Returns the times from a real drop of `file` to the report (heading and summary strip) in the
 * DOM and painted, and the welcome page's first contentful paint before it, in ms. */
export async function dropToReport(
  browser: Browser,
  url: string,
  file: string,
  serviceWorkers: 'allow' | 'block' = 'allow',
): Promise<VisitMarks> {
  const context = await browser.newContext({ serviceWorkers });
  try {
    const page = await context.newPage();
    await watchDropToReport(page);
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    await readyForDrop(page);
    const { welcomeFcpMs, warm } = await page.evaluate(() => ({
      welcomeFcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      warm: performance.getEntriesByName('stevedore:warm-up').length > 0,
    }));
    await drop(page, file);
    return { ...(await dropMarks(page)), welcomeFcpMs, warm };
  } finally {
    await context.close();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const urls: string[] = [];
  const files: string[] = [];
  let rounds = 5;
  let serviceWorkers: ('allow' | 'block')[] = ['allow'];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--url') urls.push(args[++i]!);
    else if (args[i] === '--service-workers') {
      const how = args[++i];
      if (how !== 'allow' && how !== 'block' && how !== 'both') {
        throw new Error('--service-workers takes allow, block or both');
      }
      serviceWorkers = how === 'both' ? ['allow', 'block'] : [how];
    } else if (args[i] === '--rounds') rounds = Number(args[++i]);
    else files.push(args[i]!);
  }
  if (files.length === 0) throw new Error('usage: first-paint.ts <archive>... [--url URL]...');
  const server = urls.length === 0 ? await startPreview() : null;
  if (server) urls.push(server.url);
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const before = loadavg()[0]!.toFixed(2);
  try {
    const times = new Map<string, VisitMarks[]>();
    for (let round = 0; round < rounds; round++) {
      for (const file of files) {
        for (const url of urls) {
          for (const sw of serviceWorkers) {
            const key = `${url} ${file}${serviceWorkers.length > 1 ? ` (service worker: ${sw})` : ''}`;
            // A drop with no report painted is said and counted (as missing), not the end of the run.
            const marks = await dropToReport(browser, url, file, sw).catch((error: Error) => {
              console.log(`round ${round + 1}, ${key}: ${error.message}`);
              return { inDomMs: NaN, paintedMs: NaN, welcomeFcpMs: NaN, warm: false };
            });
            times.set(key, [...(times.get(key) ?? []), marks]);
          }
        }
      }
    }
    console.log(`load average (1 min) ${before} before, ${loadavg()[0]!.toFixed(2)} after`);
    // A figure the page did not give (no first contentful paint entry yet) is left out, and said.
    const spread = (ms: number[]) => {
      const sorted = ms.filter(Number.isFinite).sort((a, b) => a - b);
      if (sorted.length === 0) return 'none';
      const median = sorted[Math.floor(sorted.length / 2)]!;
      const missing = ms.length - sorted.length;
      return `median ${median.toFixed(0)} ms (${sorted.map((t) => t.toFixed(0)).join(', ')})${missing ? `, ${missing} missing` : ''}`;
    };
    for (const [key, marks] of times) {
      console.log(`${key}:`);
      console.log(`  painted ${spread(marks.map((m) => m.paintedMs))}`);
      console.log(`  in the DOM ${spread(marks.map((m) => m.inDomMs))}`);
      console.log(
        `  welcome page first contentful paint ${spread(marks.map((m) => m.welcomeFcpMs))}`,
      );
      const warmed = marks.filter((m) => m.warm).length;
      console.log(`  warmed up before the drop: ${warmed} of ${marks.length}`);
    }
  } finally {
    await browser.close();
    server?.stop();
  }
}

await main();
