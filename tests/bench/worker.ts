// The cost of listing a layer while verifying it, measured in a real Chromium worker with the
// project's own pipeline (tests/bench/worker-entry.ts, bundled by Vite): the same layer file
// digested with the listing off and on, alternately, so that other load on the machine falls
// on both alike. Used by run.ts; runs alone as `npx tsx tests/bench/worker.ts <layer.tar.gz>`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import type { WorkerBenchReply } from './worker-entry.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Returns a worker script: `entry` (worker-entry.ts by default) and what it imports, in one file. */
export async function bundleWorker(entry = 'worker-entry.ts'): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'stevedore-bench-worker-'));
  try {
    await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        lib: {
          entry: join(here, entry),
          formats: ['iife'],
          name: 'bench',
          fileName: () => 'worker.js',
        },
      },
    });
    return readFileSync(join(outDir, 'worker.js'), 'utf8');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** One layer digested with the listing off and on, `rounds` times each, alternately. */
export interface ListingRun {
  offMs: number[];
  onMs: number[];
  storedBytes: number;
  decodedBytes: number;
  entries: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Returns the median overhead of a listing, as a fraction of the time without. */
export const listingOverhead = (run: ListingRun) => median(run.onMs) / median(run.offMs) - 1;

/** Measures `layer` (a gzip layer file) in a worker of `browser`: listing off, on, off, on… */
export async function measureListing(
  browser: Browser,
  layer: string,
  rounds = 3,
): Promise<ListingRun> {
  const script = await bundleWorker();
  const server = createServer((request, response) => {
    if (request.url === '/worker.js') {
      response.setHeader('content-type', 'text/javascript');
      response.end(script);
    } else {
      response.setHeader('content-type', 'text/html');
      response.end('<!doctype html><input type="file" id="layer">');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://localhost:${port}/`);
    await page.setInputFiles('#layer', layer);
    const run: ListingRun = { offMs: [], onMs: [], storedBytes: 0, decodedBytes: 0, entries: 0 };
    for (let i = 0; i < rounds * 2; i++) {
      const list = i % 2 === 1;
      const reply = await page.evaluate(
        (list) =>
          new Promise<WorkerBenchReply>((resolve) => {
            const file = (document.getElementById('layer') as HTMLInputElement).files![0]!;
            const worker = new Worker('/worker.js');
            worker.onmessage = ({ data }) => {
              worker.terminate();
              resolve(data as WorkerBenchReply);
            };
            worker.postMessage({ file, list, gzip: 'native' });
          }),
        list,
      );
      if (reply.error) throw new Error(`the bench worker failed: ${reply.error}`);
      (list ? run.onMs : run.offMs).push(reply.ms);
      run.storedBytes = reply.storedBytes;
      run.decodedBytes = reply.decodedBytes;
      if (list) run.entries = reply.entries;
    }
    return run;
  } finally {
    await context.close();
    server.close();
  }
}

// Alone: print the figures for one layer file.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const layer = process.argv[2];
  if (!layer) throw new Error('usage: npx tsx tests/bench/worker.ts <layer.tar.gz> [rounds]');
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const run = await measureListing(browser, layer, Number(process.argv[3] ?? 3));
    const mbs = (ms: number) => (run.decodedBytes / 1e6 / (ms / 1000)).toFixed(1);
    console.log(
      `layer ${layer}: ${run.storedBytes} bytes stored, ${run.decodedBytes} decoded, ${run.entries} entries`,
    );
    console.log(
      `listing off: ${run.offMs.map((ms) => `${ms.toFixed(0)} ms (${mbs(ms)} MB/s)`).join(', ')}`,
    );
    console.log(
      `listing on:  ${run.onMs.map((ms) => `${ms.toFixed(0)} ms (${mbs(ms)} MB/s)`).join(', ')}`,
    );
    console.log(`overhead (medians): ${(listingOverhead(run) * 100).toFixed(1)} %`);
  } finally {
    await browser.close();
  }
}
