// The cost of listing a layer while verifying it, measured in a real Chromium worker with the
// project's own pipeline (tests/bench/worker-entry.ts, bundled by Vite): the same layer file
// digested with the listing off and on, alternately, so that other load on the machine falls
// on both alike; with packages, a third mode keeps the package files and reads the packages.
// Used by run.ts; runs alone as `npx tsx tests/bench/worker.ts <layer.tar.gz>`.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import type { WorkerBenchReply } from './worker-reply.ts';

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

/** A local server of a bench page (`html` at any other path) and its worker scripts (by path,
 * e.g. `/worker.js`); `url` is its root. */
export interface BenchServer {
  url: string;
  close(): void;
}

/** Serves `html` and the worker `scripts` on a free port of localhost. */
export async function serveWorkers(
  scripts: Record<string, string>,
  html: string,
): Promise<BenchServer> {
  const server = createServer((request, response) => {
    const script = scripts[request.url ?? ''];
    response.setHeader('content-type', script === undefined ? 'text/html' : 'text/javascript');
    response.end(script ?? html);
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}/`, close: () => server.close() };
}

/** One layer digested with the listing off and on, `rounds` times each, alternately. */
export interface ListingRun {
  offMs: number[];
  onMs: number[];
  /** With packages read too (empty unless asked for). */
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
 * verification without listing (issue 13's "adds < 5 % to verification time"). */
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

/** The gzip layer of dpkg-debian12.tar (see tests/fixtures/packages/README.md). */
const DEBIAN_LAYER = 'db2f32e244f028c35cbf0a5b66470632464317f7c6ccb29b7559743d4e3d500a';

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

/** Returns where the `…/layer.tar` entries of a docker save archive are stored (offset of their
 * bytes, and size), read from its tar headers. */
export function layerSlices(archive: string): { offset: number; size: number }[] {
  const fd = openSync(archive, 'r');
  try {
    const slices: { offset: number; size: number }[] = [];
    const header = Buffer.alloc(512);
    for (let at = 0; readSync(fd, header, 0, 512, at) === 512 && header[0] !== 0;) {
      const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const size = parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/s, '').trim(), 8);
      if (name.endsWith('/layer.tar')) slices.push({ offset: at + 512, size });
      at += 512 + Math.ceil(size / 512) * 512;
    }
    return slices;
  } finally {
    closeSync(fd);
  }
}

/** Measures `layer` (a gzip layer file) in a worker of `browser`: once not counted, then
 * listing off, on, off, on…;
 * with `slices`, `layer` is an archive and the layers stored there are digested one after the
 * other in the one worker, each round; with `packages`, a third mode in turn keeps the package
 * files and reads the packages. */
export async function measureListing(
  browser: Browser,
  layer: string,
  rounds = 3,
  slices?: { offset: number; size: number }[],
  packages = false,
): Promise<ListingRun> {
  const server = await serveWorkers(
    { '/worker.js': await bundleWorker() },
    '<!doctype html><input type="file" id="layer">',
  );
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(server.url);
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
    const modes = packages ? (['off', 'on', 'packages'] as const) : (['off', 'on'] as const);
    // Round -1 reads the file once, not counted: the first pass would otherwise pay for the
    // disk (the page cache may not hold GiBs) and make "off" look slower.
    for (let i = -1; i < rounds * modes.length; i++) {
      const mode = i < 0 ? 'off' : modes[i % modes.length]!;
      const list = mode !== 'off';
      const reply = await page.evaluate(
        ({ list, slices, packages }) =>
          new Promise<WorkerBenchReply>((resolve) => {
            const file = (document.getElementById('layer') as HTMLInputElement).files![0]!;
            const worker = new Worker('/worker.js');
            worker.onmessage = ({ data }) => {
              worker.terminate();
              resolve(data as WorkerBenchReply);
            };
            worker.postMessage({ file, list, packages, slices });
          }),
        { list, slices, packages: mode === 'packages' },
      );
      if (reply.error) throw new Error(`the bench worker failed: ${reply.error}`);
      if (i < 0) continue;
      ({ off: run.offMs, on: run.onMs, packages: run.packagesMs })[mode].push(reply.ms);
      run.storedBytes = reply.storedBytes;
      run.decodedBytes = reply.decodedBytes;
      if (list) run.entries = reply.entries;
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
    console.log(`overhead (medians): ${(listingOverhead(run) * 100).toFixed(1)} %`);
  } finally {
    await browser.close();
  }
}
