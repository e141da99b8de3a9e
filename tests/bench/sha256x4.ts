// Micro-bench of the multi-buffer SHA-256 (issue 15): four messages of 64 MiB hashed in a real
// Chromium worker by hash-wasm one after the other, and by the four SIMD lanes of Sha256x4
// (src/lib/archive/wasm/sha256x4.c) fed in turn; also one lane alone (the module's scalar
// path, a quarter of the bytes). No reading: the hashers alone, on the same bytes (the digests
// must agree). Rounds alternate between modes so that other load falls on all alike; each is
// timed by the wall clock and by the CPU seconds of every browser process meanwhile (load
// skews that far less), after a warm-up of each hasher outside the clocks: V8 runs WebAssembly
// with a baseline compiler first and swaps in optimised code only for later calls, and a call
// already running keeps its code (under load the optimised code comes late). With
// `STEVEDORE_JS_FLAGS=--no-liftoff`, optimised code only. Run:
// `npx tsx tests/bench/sha256x4.ts [rounds] [MiB per message] [MiB of warm-up]`.
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { bundleWorker, serveWorkers } from './worker.ts';
import type { X4BenchReply, X4BenchRequest } from './sha256x4-entry.ts';

const [roundsArg, mibArg, warmArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const mib = Number(mibArg ?? 64);
const warm = Number(warmArg ?? 8);
const jsFlags = process.env.STEVEDORE_JS_FLAGS;
const load = () => loadavg()[0]!.toFixed(2);

const server = await serveWorkers(
  { '/worker.js': await bundleWorker('sha256x4-entry.ts') },
  '<!doctype html>',
);
const browser = await chromium.launch({
  executablePath: findChromium(),
  args: [...CHROMIUM_ARGS, ...(jsFlags ? [`--js-flags=${jsFlags}`] : [])],
});
const modes: X4BenchRequest['mode'][] = ['hash-wasm', 'x4', 'x4-one'];
const figures = new Map(modes.map((m) => [m, { mbs: [] as number[], cpu: [] as number[] }]));
try {
  const page = await browser.newPage();
  await page.goto(server.url);
  const cdp = await browser.newBrowserCDPSession();
  const cpuSeconds = async () => {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { cpuTime: number }[];
    };
    return processInfo.reduce((n, p) => n + p.cpuTime, 0);
  };
  console.log(
    `4 messages × ${mib} MiB, each hasher warmed up on ${warm} MiB${jsFlags ? `, ${jsFlags}` : ''}; load ${load()}`,
  );
  let expected: string[] | null = null;
  for (let round = 0; round < rounds; round++) {
    for (const mode of modes) {
      // A fresh worker each time; it makes its pieces and warms up, then the clocks are read.
      await page.evaluate(
        (request) => {
          const worker = new Worker('/worker.js');
          (window as unknown as { bench: Worker }).bench = worker;
          return new Promise<void>((resolve, reject) => {
            worker.onmessage = ({ data }) =>
              data === 'ready' ? resolve() : reject(new Error(String(data?.error)));
            worker.postMessage(request);
          });
        },
        { mode, mib, warm } satisfies X4BenchRequest,
      );
      const before = await cpuSeconds();
      const reply = await page.evaluate(
        () =>
          new Promise<X4BenchReply>((resolve) => {
            const worker = (window as unknown as { bench: Worker }).bench;
            worker.onmessage = ({ data }) => {
              worker.terminate();
              resolve(data as X4BenchReply);
            };
            worker.postMessage('go');
          }),
      );
      const cpu = (await cpuSeconds()) - before;
      if (reply.error) throw new Error(`${mode}: ${reply.error}`);
      expected ??= mode === 'hash-wasm' ? reply.digests : null;
      const agree = expected && reply.digests.every((d, i) => d === expected![i]);
      if (expected && !agree) throw new Error(`${mode} disagrees with hash-wasm`);
      const mb = reply.bytes / 1e6;
      const f = figures.get(mode)!;
      f.mbs.push(mb / (reply.ms / 1000));
      f.cpu.push(mb / cpu);
      console.log(
        `${mode.padEnd(9)} ${f.mbs.at(-1)!.toFixed(0)} MB/s, ${f.cpu.at(-1)!.toFixed(0)} MB per ` +
          `CPU-second (every browser process), load ${load()}`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const hw = figures.get('hash-wasm')!;
  for (const mode of modes) {
    const f = figures.get(mode)!;
    console.log(
      `median ${mode.padEnd(9)} ${median(f.mbs).toFixed(0)} MB/s (${(median(f.mbs) / median(hw.mbs)).toFixed(2)}× hash-wasm), ` +
        `${median(f.cpu).toFixed(0)} MB per CPU-second (${(median(f.cpu) / median(hw.cpu)).toFixed(2)}×)`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
