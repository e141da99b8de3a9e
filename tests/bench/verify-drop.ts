// Blob digests as the page makes them, alone (issue 15): a docker save archive dropped into the
// app in headless Chromium, verification run to its end, `npx tsx tests/bench/verify-drop.ts
// <docker-save.tar> [--rounds N] [--url URL]...`. Without --url it builds the app and serves
// it (preview.ts); with two or more, it drops into each in turn, round after round, so that
// two builds are compared under the same load. Each round also times `sha256sum` over the same
// layers; prints, per build, blob digests in MB/s and in MB per CPU-second of every browser
// process (load skews that far less), with their ratios to sha256sum's, and the load.
import { cpus, loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { measureBrowser } from './browser.ts';
import { nativeBlobs, timeShellCpu } from './blob-digest.ts';
import { startPreview } from './preview.ts';
import { layerSlices } from './worker.ts';

const MB = 1e6;
const load = () => loadavg()[0]!.toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const args = process.argv.slice(2);
  const urls: string[] = [];
  let archive: string | null = null;
  let rounds = 3;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--url') urls.push(args[++i]!);
    else if (args[i] === '--rounds') rounds = Number(args[++i]);
    else archive = args[i]!;
  }
  if (!archive)
    throw new Error('usage: verify-drop.ts <docker-save.tar> [--rounds N] [--url URL]...');
  const slices = layerSlices(archive);
  const layerBytes = slices.reduce((n, s) => n + s.size, 0);
  const native = nativeBlobs(archive, slices);
  const server = urls.length === 0 ? await startPreview() : null;
  if (server) urls.push(server.url);
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const figures = new Map(urls.map((u) => [u, { mbs: [] as number[], cpu: [] as number[] }]));
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
      for (const url of urls) {
        const { verify: v } = await measureBrowser(browser, url, archive);
        if (v.status !== 'ok') throw new Error(`${url}: the verification is ${v.status}`);
        const f = figures.get(url)!;
        f.mbs.push(v.storedBytes / MB / (v.ms / 1000));
        f.cpu.push(v.storedBytes / MB / v.cpuSeconds);
        console.log(
          `${url}: ${f.mbs.at(-1)!.toFixed(0)} MB/s, ${f.cpu.at(-1)!.toFixed(0)} MB per CPU-second, load ${load()}`,
        );
      }
    }
    const [shaMbs, shaCpu] = [median(sha.mbs), median(sha.cpu)];
    console.log(
      `medians of ${rounds}: sha256sum ${shaMbs.toFixed(0)} MB/s, ${shaCpu.toFixed(0)} MB per CPU-second`,
    );
    for (const [url, f] of figures) {
      const [mbs, cpu] = [median(f.mbs), median(f.cpu)];
      console.log(
        `${url}: blob digests ${mbs.toFixed(0)} MB/s (${(mbs / shaMbs).toFixed(2)}× sha256sum), ` +
          `${cpu.toFixed(0)} MB per CPU-second (${(cpu / shaCpu).toFixed(2)}×; ` +
          `the most ${cpus().length} cores allow: ${((cpus().length * cpu) / shaCpu).toFixed(2)}× one sha256sum)`,
      );
    }
  } finally {
    await browser.close();
    server?.stop();
  }
}

await main();
