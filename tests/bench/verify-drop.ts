// Blob digests as the page makes them, alone (issue 15): a docker save archive dropped into the
// app in headless Chromium, verification run to its end, `npx tsx tests/bench/verify-drop.ts
// <docker-save.tar> [--rounds N] [--url URL]... [--harness] [--threads]`. Without --url it
// builds the app and serves it (preview.ts); with two or more, it drops into each in turn, round
// after round, so that two builds are compared under the same load. `--harness` adds, in each
// round, the same layers hashed by the raw worker harness (blob-digest.ts, `digest-lanes-list`
// in two workers: no page, no pool, no progress): what the page loses outside the workers'
// hashing. `--threads` prints, for every run, the CPU time of each thread of the browser
// (thread-cpu.ts). Each round also times `sha256sum` over the same layers; prints, per build,
// blob digests in MB/s and in MB per CPU-second of every browser process (load skews that far
// less), with their ratios to sha256sum's, and the load. STEVEDORE_JS_FLAGS=--no-liftoff runs
// V8's optimised code only (as sha256x4.ts); STEVEDORE_CHROMIUM_FLAGS adds flags to Chromium's.
import { cpus, loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { measureBrowser } from './browser.ts';
import { BlobBench, nativeBlobs, timeShellCpu } from './blob-digest.ts';
import { startPreview } from './preview.ts';
import { ThreadCpu, formatGroups } from './thread-cpu.ts';
import { layerSlices } from './worker.ts';

const MB = 1e6;
const HARNESS = 'harness (digest-lanes-list, 2 workers)';
const load = () => loadavg()[0]!.toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const args = process.argv.slice(2);
  const urls: string[] = [];
  let archive: string | null = null;
  let rounds = 3;
  let threads = false;
  let harness = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--url') urls.push(args[++i]!);
    else if (args[i] === '--rounds') rounds = Number(args[++i]);
    else if (args[i] === '--threads') threads = true;
    else if (args[i] === '--harness') harness = true;
    else archive = args[i]!;
  }
  if (!archive)
    throw new Error(
      'usage: verify-drop.ts <docker-save.tar> [--rounds N] [--url URL]... [--harness] [--threads]',
    );
  const slices = layerSlices(archive);
  const layerBytes = slices.reduce((n, s) => n + s.size, 0);
  const native = nativeBlobs(archive, slices);
  const server = urls.length === 0 ? await startPreview() : null;
  if (server) urls.push(server.url);
  const jsFlags = process.env.STEVEDORE_JS_FLAGS;
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: [
      ...CHROMIUM_ARGS,
      ...(jsFlags ? [`--js-flags=${jsFlags}`] : []),
      ...(process.env.STEVEDORE_CHROMIUM_FLAGS?.split(' ').filter(Boolean) ?? []),
    ],
  });
  const bench = harness ? await BlobBench.start(browser) : null;
  const runs = harness ? [...urls, HARNESS] : urls;
  const figures = new Map(runs.map((u) => [u, { mbs: [] as number[], cpu: [] as number[] }]));
  const sha = { mbs: [] as number[], cpu: [] as number[] };
  console.log(
    `${archive}: ${slices.length} layers, ${(layerBytes / MB).toFixed(0)} MB; load ${load()}`,
  );
  try {
    timeShellCpu(`cat ${archive} > /dev/null`);
    for (let round = 0; round < rounds; round++) {
      const t = timeShellCpu(native.one('sha256sum'));
      sha.mbs.push(layerBytes / MB / t.wall);
      sha.cpu.push(layerBytes / MB / t.cpu);
      console.log(
        `sha256sum: ${sha.mbs.at(-1)!.toFixed(0)} MB/s, ${sha.cpu.at(-1)!.toFixed(0)} MB per CPU-second, load ${load()}`,
      );
      for (const run of runs) {
        const sampler = threads ? await ThreadCpu.of(browser) : undefined;
        const f = figures.get(run)!;
        let bytes: number;
        if (run === HARNESS) {
          const w = await bench!.measure(archive, slices, 'digest-lanes-list', 2, 1 << 20, sampler);
          bytes = layerBytes;
          f.mbs.push(w.mbs);
          f.cpu.push(w.mbPerCpuSecond);
        } else {
          const { verify: v } = await measureBrowser(browser, run, archive, sampler);
          if (v.status !== 'ok') throw new Error(`${run}: the verification is ${v.status}`);
          bytes = v.storedBytes;
          f.mbs.push(v.storedBytes / MB / (v.ms / 1000));
          f.cpu.push(v.storedBytes / MB / v.cpuSeconds);
        }
        if (sampler) {
          console.log(formatGroups(sampler.groups(), bytes / MB));
          await sampler.close();
        }
        console.log(
          `${run}: ${f.mbs.at(-1)!.toFixed(0)} MB/s, ${f.cpu.at(-1)!.toFixed(0)} MB per CPU-second, load ${load()}`,
        );
      }
    }
    const [shaMbs, shaCpu] = [median(sha.mbs), median(sha.cpu)];
    console.log(
      `medians of ${rounds}: sha256sum ${shaMbs.toFixed(0)} MB/s, ${shaCpu.toFixed(0)} MB per CPU-second`,
    );
    for (const [run, f] of figures) {
      const [mbs, cpu] = [median(f.mbs), median(f.cpu)];
      console.log(
        `${run}: blob digests ${mbs.toFixed(0)} MB/s (${(mbs / shaMbs).toFixed(2)}× sha256sum), ` +
          `${cpu.toFixed(0)} MB per CPU-second (${(cpu / shaCpu).toFixed(2)}×; ` +
          `the most ${cpus().length} cores allow: ${((cpus().length * cpu) / shaCpu).toFixed(2)}× one sha256sum)`,
      );
    }
  } finally {
    bench?.stop();
    await browser.close();
    server?.stop();
  }
}

await main();
