// The cost of listing a layer while verifying it, and of reading its packages as well, measured
// in a real Chromium worker with the project's own pipeline (tests/bench/worker-entry.ts,
// bundled by Vite): the same layer file digested in two ways, alternately (listing off and on;
// listing on, and listing with the package files kept and parsed), so that other load on the
// machine falls on both alike. Used by run.ts; runs alone as
// `npx tsx tests/bench/worker.ts <layer.tar.gz> [rounds]`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import type { WorkerBenchReply, WorkerBenchRequest } from './worker-entry.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Returns the worker script: worker-entry.ts and what it imports, in one file. */
async function bundleWorker(): Promise<string> {
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
          entry: join(here, 'worker-entry.ts'),
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
  /** Packages read in the "on" runs of measurePackages; 0 for measureListing. */
  packages: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Returns the median overhead of the "on" runs, as a fraction of the time of the "off" ones. */
export const listingOverhead = (run: ListingRun) => median(run.onMs) / median(run.offMs) - 1;

/** Measures `layer` (a gzip layer file) in a worker of `browser`: listing off, on, off, on… */
export const measureListing = (browser: Browser, layer: string, rounds = 3) =>
  measureAlternately(browser, layer, rounds, { list: false }, { list: true });

/** Measures `layer` in a worker of `browser`: listing on (off runs), listing with the package
 * files kept and parsed (on runs), alternately. */
export const measurePackages = (browser: Browser, layer: string, rounds = 3) =>
  measureAlternately(browser, layer, rounds, { list: true }, { list: true, packages: true });

type Mode = Pick<WorkerBenchRequest, 'list' | 'packages'>;

/** Measures `layer` in a worker of `browser` the `off` way, the `on` way, off, on… */
async function measureAlternately(
  browser: Browser,
  layer: string,
  rounds: number,
  off: Mode,
  on: Mode,
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
    const run: ListingRun = {
      offMs: [],
      onMs: [],
      storedBytes: 0,
      decodedBytes: 0,
      entries: 0,
      packages: 0,
    };
    for (let i = 0; i < rounds * 2; i++) {
      const isOn = i % 2 === 1;
      const reply = await page.evaluate(
        (mode) =>
          new Promise<WorkerBenchReply>((resolve) => {
            const file = (document.getElementById('layer') as HTMLInputElement).files![0]!;
            const worker = new Worker('/worker.js');
            worker.onmessage = ({ data }) => {
              worker.terminate();
              resolve(data as WorkerBenchReply);
            };
            worker.postMessage({ file, ...mode, gzip: 'native' });
          }),
        isOn ? on : off,
      );
      if (reply.error) throw new Error(`the bench worker failed: ${reply.error}`);
      (isOn ? run.onMs : run.offMs).push(reply.ms);
      run.storedBytes = reply.storedBytes;
      run.decodedBytes = reply.decodedBytes;
      if (isOn) run.entries = reply.entries;
      if (isOn) run.packages = reply.packages;
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
    const pkgs = await measurePackages(browser, layer, Number(process.argv[3] ?? 3));
    console.log(
      `listing + packages (${pkgs.packages} read): ${pkgs.onMs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}; ` +
        `listing only: ${pkgs.offMs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`,
    );
    console.log(`packages overhead (medians): ${(listingOverhead(pkgs) * 100).toFixed(1)} %`);
  } finally {
    await browser.close();
  }
}
