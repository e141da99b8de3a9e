// Micro-bench of the decoders alone (issue 15): one gzip file and one zstd file of the same
// bytes, each digested in a real Chromium worker by the project's own pipeline
// (worker-entry.ts: inflate + hash-wasm SHA-256, no listing: zlib 1.2.13 built to WebAssembly,
// src/lib/archive/wasm, for gzip; libzstd 1.5.4 built the same way for zstd), and, for comparison, gzip through the two
// decoders the app does not use (inflate-entry.ts): DecompressionStream and fflate. Rounds
// alternate between decoders so that other load on the machine falls on all alike. Prints MB/s
// out per worker, beside `gzip -dc | sha256sum` and `zstd -dc | sha256sum` on the same files,
// and the load average. Run: `npx tsx tests/bench/inflate.ts <file.tar.gz> <file.tar.zst> [rounds]`.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { bundleWorker, serveWorkers } from './worker.ts';
import type { WorkerBenchReply } from './worker-reply.ts';
import type { OtherGzip } from './inflate-entry.ts';

const [gzFile, zstFile, roundsArg] = process.argv.slice(2);
if (!gzFile || !zstFile)
  throw new Error('usage: npx tsx tests/bench/inflate.ts <file.tar.gz> <file.tar.zst> [rounds]');
const rounds = Number(roundsArg ?? 2);

/** Seconds a shell pipeline takes (wall clock); the digest it prints is returned too. */
function native(pipeline: string): { ms: number; sha256: string } {
  const start = performance.now();
  const out = execFileSync('sh', ['-c', pipeline], { encoding: 'utf8' });
  return { ms: performance.now() - start, sha256: out.split(' ')[0]! };
}

const server = await serveWorkers(
  {
    '/worker.js': await bundleWorker(),
    '/other-worker.js': await bundleWorker('inflate-entry.ts'),
  },
  '<!doctype html><input type="file" id="gz"><input type="file" id="zst">',
);
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
const cases: { label: string; input: 'gz' | 'zst'; other?: OtherGzip }[] = [
  { label: 'gzip, zlib 1.2.13 wasm (app)', input: 'gz' },
  { label: 'gzip, DecompressionStream', input: 'gz', other: 'DecompressionStream' },
  { label: 'gzip, fflate', input: 'gz', other: 'fflate' },
  { label: 'zstd, libzstd 1.5.4 wasm (app)', input: 'zst' },
];
const times = new Map<string, number[]>(cases.map((c) => [c.label, []]));
const load: number[] = [loadavg()[0]!];
const failures = new Map<string, string>();
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.setInputFiles('#gz', gzFile);
  await page.setInputFiles('#zst', zstFile);
  let decoded = 0;
  const digests = new Set<string>();
  for (let round = 0; round < rounds; round++) {
    for (const c of cases) {
      const reply = await page.evaluate(
        ({ input, other }) =>
          new Promise<WorkerBenchReply>((resolve) => {
            const file = (document.getElementById(input) as HTMLInputElement).files![0]!;
            const worker = new Worker(other ? '/other-worker.js' : '/worker.js');
            worker.onmessage = ({ data }) => {
              worker.terminate();
              resolve(data as WorkerBenchReply);
            };
            worker.postMessage(other ? { file, decoder: other } : { file, list: false });
          }),
        { input: c.input, other: c.other },
      );
      if (reply.error) {
        // Reported, not fatal: the other decoders are still measured.
        failures.set(c.label, reply.error);
        continue;
      }
      times.get(c.label)!.push(reply.ms);
      decoded = reply.decodedBytes;
      digests.add(reply.diffId!);
    }
    load.push(loadavg()[0]!);
  }
  const gz = native(`gzip -dc '${gzFile}' | sha256sum`);
  const zst = native(`zstd -dc '${zstFile}' | sha256sum`);
  digests.add(`sha256:${gz.sha256}`).add(`sha256:${zst.sha256}`);
  if (digests.size !== 1) throw new Error(`the decoders disagree: ${[...digests].join(', ')}`);
  const mbs = (ms: number) => (decoded / 1e6 / (ms / 1000)).toFixed(1);
  console.log(
    `${decoded} bytes out; load average (1 min) ${load.map((l) => l.toFixed(1)).join(' → ')}`,
  );
  for (const [label, ms] of times)
    console.log(
      `${label.padEnd(28)} ${failures.has(label) ? `failed: ${failures.get(label)}` : ms.map((t) => `${mbs(t)} MB/s`).join(', ')}`,
    );
  console.log(`${'gzip -dc | sha256sum'.padEnd(28)} ${mbs(gz.ms)} MB/s`);
  console.log(`${'zstd -dc | sha256sum'.padEnd(28)} ${mbs(zst.ms)} MB/s`);
} finally {
  await browser.close();
  server.close();
}
