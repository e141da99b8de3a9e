// Where the time of blob digests goes (issue 15), measured in real Chromium workers on the
// layers of a docker save archive: the hasher alone (`hash`), the app's BYOB reader alone
// (`read`), both (`read-hash`), the app's own digestBlob (`digest`, and `digest-list` with the
// listing on, as the page verifies a legacy layer.tar), and two other ways to read
// (`read-slices`: `slice().arrayBuffer()` per piece; `read-sync`: FileReaderSync). Each in one
// worker and in two (the layers dealt largest first to the worker that frees first, as the
// pool does), with the CPU time of every browser process (reading a File costs CPU in the
// browser process as well as in the worker), beside `sha256sum`, two `sha256sum` over the same
// layers and `openssl dgst -sha256`, and the load average. Used by run.ts (one worker's speed
// and the ideal of an archive); alone:
// `npx tsx tests/bench/blob-digest.ts <docker-save.tar> [rounds] [modes] [pieceKiB,…]`.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { type BenchServer, bundleWorker, layerSlices, serveWorkers } from './worker.ts';
import type { BlobBenchReply, BlobBenchRequest } from './blob-digest-entry.ts';
import { deal, parallelism } from './schedule.ts';
import { ThreadCpu, formatGroups } from './thread-cpu.ts';

const MB = 1e6;
const load = () => loadavg()[0]!.toFixed(2);

/** Where a blob is stored in the archive. */
export interface Slice {
  offset: number;
  size: number;
}

/** Wall-clock and CPU (user + system, of every process it started) seconds of a command. */
export interface ShellTime {
  wall: number;
  cpu: number;
}

/** Runs a bash command (its output discarded); returns its times. */
export function timeShellCpu(command: string): ShellTime {
  const start = performance.now();
  const out = execFileSync('bash', ['-c', `{ ${command} ; } >/dev/null; times`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const wall = (performance.now() - start) / 1000;
  // `times` prints this shell's user and system time, then its children's.
  const children = out.trim().split('\n').at(-1)!.split(' ');
  const seconds = (t: string) => {
    const [, m, s] = /(\d+)m([\d.]+)s/.exec(t)!;
    return Number(m) * 60 + Number(s);
  };
  return { wall, cpu: seconds(children[0]!) + seconds(children[1]!) };
}

/** The native commands over the same blobs as files, or as byte ranges of the archive. */
export interface NativeBlobs {
  /** What the blobs are read from, for the printout. */
  source: string;
  /** The files those commands read (to warm the page cache before timing them). */
  files: readonly string[];
  /** One process over every blob; `tool` is `sha256sum` or `openssl dgst -sha256`. */
  one(tool: string): string;
  /** One process per lane, in parallel: the blobs dealt as to `lanes` workers. */
  parallel(tool: string, lanes: number): string;
}

/** Returns the native commands over the layers of a docker save archive: the layer files the
 * bench generator keeps beside it (`layers/legacy-<i>.tar`, the same bytes) where they are all
 * there, else the archive's byte ranges through `dd` (a pipe: costs the native side more). */
export function nativeBlobs(archive: string, slices: readonly Slice[]): NativeBlobs {
  const files = slices.map((_, i) => join(dirname(archive), 'layers', `legacy-${i}.tar`));
  const asFiles = files.every((f, i) => existsSync(f) && statSync(f).size === slices[i]!.size);
  if (asFiles) {
    const items = files.map((file, i) => ({ file, size: slices[i]!.size }));
    return {
      source: `the layer files (${join(dirname(archive), 'layers')})`,
      files,
      one: (tool) => `${tool} ${files.join(' ')}`,
      parallel: (tool, lanes) =>
        deal(items, lanes)
          .map((l) => `${tool} ${l.map((i) => i.file).join(' ')} &`)
          .join(' ') + ' wait',
    };
  }
  const dd = (s: Slice, tool: string) =>
    `dd if=${archive} iflag=skip_bytes,count_bytes bs=4M skip=${s.offset} count=${s.size} ` +
    `status=none | ${tool}`;
  const lane = (ls: readonly Slice[], tool: string) => ls.map((s) => dd(s, tool)).join('; ');
  return {
    source: 'byte ranges of the archive, through dd',
    files: [archive],
    one: (tool) => lane(slices, tool),
    parallel: (tool, lanes) =>
      deal(slices, lanes)
        .map((l) => `(${lane(l, tool)}) &`)
        .join(' ') + ' wait',
  };
}

/** What one measurement in workers gave. */
export interface WorkersRun {
  /** All the bytes over the wall-clock time, MB/s. */
  mbs: number;
  /** Each worker's bytes over its own time, MB/s. */
  perWorker: number[];
  /** All the bytes over the CPU seconds every process of the browser spent meanwhile. */
  mbPerCpuSecond: number;
  /** Average size of the pieces the reader gave, bytes (read modes). */
  pieceBytes: number;
}

/** Runs workers on `file` in a page of `browser`. */
export class BlobBench {
  private constructor(
    private readonly browser: Browser,
    private readonly server: BenchServer,
    private readonly url: string,
  ) {}

  static async start(browser: Browser): Promise<BlobBench> {
    const server = await serveWorkers(
      { '/worker.js': await bundleWorker('blob-digest-entry.ts') },
      '<!doctype html><input type="file" id="f">',
    );
    return new BlobBench(browser, server, server.url);
  }

  /** Measures `mode` over `file`'s slices in `workers` workers (slices dealt largest first);
   * with `threads`, samples the CPU of every thread of the browser meanwhile. */
  async measure(
    file: string,
    slices: readonly Slice[],
    mode: string,
    workers: number,
    bufferBytes = 1 << 20,
    threads?: ThreadCpu,
  ): Promise<WorkersRun> {
    const context = await this.browser.newContext();
    const cdp = await this.browser.newBrowserCDPSession();
    // CPU seconds of this browser's processes so far (browser, renderers, utilities).
    const cpuSeconds = async () => {
      const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
        processInfo: { cpuTime: number }[];
      };
      return processInfo.reduce((n, p) => n + p.cpuTime, 0);
    };
    try {
      const page = await context.newPage();
      await page.goto(this.url);
      await page.setInputFiles('#f', file);
      const lanes = deal(slices, workers);
      const total = slices.reduce((n, s) => n + s.size, 0);
      const cpuBefore = await cpuSeconds();
      const running = page.evaluate(
        ({ lanes, mode, bufferBytes }) => {
          const file = (document.getElementById('f') as HTMLInputElement).files![0]!;
          const start = performance.now();
          // Inline (no named function here: tsx would wrap it in a helper the page lacks).
          return Promise.all(
            lanes.map(
              (slices) =>
                new Promise<BlobBenchReply>((resolve) => {
                  const worker = new Worker('/worker.js');
                  worker.onmessage = ({ data }) => {
                    worker.terminate();
                    resolve(data as BlobBenchReply);
                  };
                  const list = mode === 'digest-list' || mode === 'digest-lanes-list';
                  const request: BlobBenchRequest = {
                    mode:
                      mode === 'digest-list'
                        ? 'digest'
                        : mode === 'digest-lanes-list'
                          ? 'digest-lanes'
                          : (mode as BlobBenchRequest['mode']),
                    file,
                    slices,
                    bufferBytes,
                    list,
                  };
                  worker.postMessage(request);
                }),
            ),
          ).then((replies) => ({
            replies,
            wall: performance.now() - start,
          }));
        },
        { lanes: lanes as Slice[][], mode, bufferBytes },
      );
      const { replies, wall } = await (threads ? threads.during(running) : running);
      const cpu = (await cpuSeconds()) - cpuBefore;
      const failed = replies.find((r) => r.error);
      if (failed) throw new Error(`the blob bench worker failed (${mode}): ${failed.error}`);
      const pieces = replies.reduce((n, r) => n + r.pieces, 0);
      return {
        mbs: total / MB / (wall / 1000),
        perWorker: replies.map((r) => r.bytes / MB / (r.ms / 1000)),
        mbPerCpuSecond: total / MB / cpu,
        pieceBytes: pieces > 0 ? total / pieces : 0,
      };
    } finally {
      await cdp.detach().catch(() => {});
      await context.close();
    }
  }

  stop(): void {
    this.server.close();
  }
}

// Alone: every mode, in one worker and in two, beside the native tools.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2).filter((a) => a !== '--threads');
  const threads = args.length < process.argv.length - 2;
  const [archive, roundsArg, modesArg, buffersArg] = args;
  if (!archive)
    throw new Error(
      'usage: npx tsx tests/bench/blob-digest.ts <docker-save.tar> [rounds] [modes] [pieceKiB,…] [--threads]',
    );
  const rounds = Number(roundsArg ?? 1);
  const modes = (modesArg ?? 'hash,read,read-hash,digest,digest-list').split(',');
  const buffers = (buffersArg ?? '1024').split(',').map((k) => Number(k) * 1024);
  const slices = layerSlices(archive);
  const total = slices.reduce((n, s) => n + s.size, 0);
  const sizes = slices.map((s) => (s.size / MB).toFixed(0));
  console.log(`${archive}: ${slices.length} layers, ${sizes.join(' + ')} MB; load ${load()}`);
  console.log(
    `blob sizes allow ${parallelism(
      slices.map((s) => s.size),
      2,
    ).toFixed(2)}× one worker's speed with two workers (largest first)`,
  );
  timeShellCpu(`cat ${archive} > /dev/null`);
  const native = nativeBlobs(archive, slices);
  console.log(`native tools over ${native.source}:`);
  for (const [what, command] of [
    ['sha256sum', native.one('sha256sum')],
    ['2 × sha256sum in parallel', native.parallel('sha256sum', 2)],
    ['openssl dgst -sha256', native.one('openssl dgst -sha256')],
  ] as const) {
    const { wall, cpu } = timeShellCpu(command);
    console.log(
      `${what.padEnd(28)} ${(total / MB / wall).toFixed(0)} MB/s, ` +
        `${(total / MB / cpu).toFixed(0)} MB per CPU-second, load ${load()}`,
    );
  }
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const bench = await BlobBench.start(browser);
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of modes) {
        for (const bufferBytes of buffers) {
          for (const workers of [1, 2]) {
            const sampler = threads ? await ThreadCpu.of(browser) : undefined;
            const run = await bench.measure(archive, slices, mode, workers, bufferBytes, sampler);
            const each = run.perWorker.map((x) => x.toFixed(0)).join(', ');
            const piece = run.pieceBytes
              ? `, ${(run.pieceBytes / 1024).toFixed(0)} KiB per piece`
              : '';
            console.log(
              `${mode.padEnd(12)} ${String(bufferBytes / 1024).padStart(5)} KiB, ${workers} worker(s): ` +
                `${run.mbs.toFixed(0)} MB/s in all (per worker ${each}), ` +
                `${run.mbPerCpuSecond.toFixed(0)} MB per CPU-second${piece}, load ${load()}`,
            );
            if (sampler) {
              console.log(formatGroups(sampler.groups(), total / MB));
              await sampler.close();
            }
          }
        }
      }
    }
  } finally {
    bench.stop();
    await browser.close();
  }
}
