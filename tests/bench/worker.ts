// The cost of listing a layer while verifying it, and of reading its packages too, measured in a
// real Chromium worker with the project's own pipeline (tests/bench/worker-entry.ts, bundled by
// Vite): the same layer file digested with the listing off, on, and on with the package files
// kept and read, in turn, so that other load on the machine falls on all alike. Used by run.ts;
// runs alone as `npx tsx tests/bench/worker.ts <layer.tar.gz>`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import type { WorkerBenchReply } from './worker-entry.ts';

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

/** One layer digested with the listing off, on, and on with packages read, `rounds` times each,
 * in turn. */
export interface ListingRun {
  offMs: number[];
  onMs: number[];
  packagesMs: number[];
  storedBytes: number;
  decodedBytes: number;
  entries: number;
  packages: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Returns the median overhead of a listing, as a fraction of the time without. */
export const listingOverhead = (run: ListingRun) => median(run.onMs) / median(run.offMs) - 1;

/** Returns the median overhead of reading the packages too, as a fraction of the time of a
 * verification without listing (the issue's "adds < 5 % to verification time"). */
export const packagesOverhead = (run: ListingRun) =>
  (median(run.packagesMs) - median(run.onMs)) / median(run.offMs);

/** Returns the tar of a layer up to its end-of-archive blocks (the headers walked). */
function tarEntries(tar: Uint8Array): Uint8Array {
  let at = 0;
  while (at + 512 <= tar.length && tar[at] !== 0) {
    const size = parseInt(new TextDecoder().decode(tar.subarray(at + 124, at + 136)), 8) || 0;
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return tar.subarray(0, at);
}

/** Returns `layer` with a real Debian 12 root in front (tests/fixtures/packages/dpkg-debian12:
 * dpkg status of 90 packages, their copyright files, os-release), written once beside it: a
 * gzip member of those entries followed by the layer's own gzip, one valid multi-member gzip
 * stream whose tar goes on into the layer's entries. */
export function withDebianRoot(layer: string): string {
  const out = join(dirname(layer), basename(layer).replace(/\.tar\.gz$/, '') + '-debian.tar.gz');
  if (existsSync(out)) return out;
  const fixture = join(here, '../fixtures/packages/dpkg-debian12.tar');
  const blob = execFileSync('tar', ['-xOf', fixture, `blobs/sha256/${DEBIAN_LAYER}`]);
  const root = tarEntries(gunzipSync(blob));
  writeFileSync(`${out}.partial`, Buffer.concat([gzipSync(root), readFileSync(layer)]));
  renameSync(`${out}.partial`, out);
  return out;
}

/** The gzip layer of dpkg-debian12.tar (see tests/fixtures/packages/README.md). */
const DEBIAN_LAYER = 'db2f32e244f028c35cbf0a5b66470632464317f7c6ccb29b7559743d4e3d500a';

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
    const run: ListingRun = {
      offMs: [],
      onMs: [],
      packagesMs: [],
      storedBytes: 0,
      decodedBytes: 0,
      entries: 0,
      packages: 0,
    };
    for (let i = 0; i < rounds * 3; i++) {
      const mode = (['off', 'on', 'packages'] as const)[i % 3]!;
      const reply = await page.evaluate(
        ({ list, packages }) =>
          new Promise<WorkerBenchReply>((resolve) => {
            const file = (document.getElementById('layer') as HTMLInputElement).files![0]!;
            const worker = new Worker('/worker.js');
            worker.onmessage = ({ data }) => {
              worker.terminate();
              resolve(data as WorkerBenchReply);
            };
            worker.postMessage({ file, list, packages, gzip: 'native' });
          }),
        { list: mode !== 'off', packages: mode === 'packages' },
      );
      if (reply.error) throw new Error(`the bench worker failed: ${reply.error}`);
      ({ off: run.offMs, on: run.onMs, packages: run.packagesMs })[mode].push(reply.ms);
      run.storedBytes = reply.storedBytes;
      run.decodedBytes = reply.decodedBytes;
      if (mode !== 'off') run.entries = reply.entries;
      if (mode === 'packages') run.packages = reply.packages;
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
    console.log(
      `packages:    ${run.packagesMs.map((ms) => `${ms.toFixed(0)} ms (${mbs(ms)} MB/s)`).join(', ')}; ${run.packages} packages`,
    );
    console.log(`listing overhead (medians): ${(listingOverhead(run) * 100).toFixed(1)} %`);
    console.log(`packages overhead (medians): ${(packagesOverhead(run) * 100).toFixed(1)} %`);
  } finally {
    await browser.close();
  }
}
