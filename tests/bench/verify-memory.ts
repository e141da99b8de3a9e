// Renderer memory while verifying, alone: `npx tsx tests/bench/verify-memory.ts <archive>
// [--url URL]...`. Drops the archive into each build in turn (the app built and served when no
// --url is given), lets verification finish and prints the renderer's growth (as `npm run
// bench` measures it), the diff_ids speed of the same run, and the load.
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { measureBrowser } from './browser.ts';
import { startPreview } from './preview.ts';

const args = process.argv.slice(2);
const urls: string[] = [];
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--url') urls.push(args[++i]!);
  else files.push(args[i]!);
}
if (files.length === 0) throw new Error('usage: verify-memory.ts <archive>... [--url URL]...');
const server = urls.length === 0 ? await startPreview() : null;
if (server) urls.push(server.url);
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
try {
  for (const file of files) {
    for (const url of urls) {
      const before = loadavg()[0]!.toFixed(2);
      const run = await measureBrowser(browser, url, file);
      const { verify } = run;
      console.log(
        `${url} ${file}: growth ${(run.peakRendererMB - run.baselineRendererMB).toFixed(0)} MB ` +
          `(baseline ${run.baselineRendererMB.toFixed(0)} MB), ${verify.status}, diff_ids ` +
          `${(verify.decodedBytes / 1e6 / (verify.decodeMs / 1000)).toFixed(0)} MB/s decoded, ` +
          `stored ${(verify.storedBytes / 1e6 / (verify.ms / 1000)).toFixed(0)} MB/s, ` +
          `load ${before} → ${loadavg()[0]!.toFixed(2)}`,
      );
    }
  }
} finally {
  await browser.close();
  server?.stop();
}
