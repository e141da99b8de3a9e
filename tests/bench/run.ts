// npm run bench: measures Stevedore in headless Chromium against native tools on the same
// bytes, in the same run, and prints each figure with its ratio and the target.
// Archives (GiBs) are generated once under $STEVEDORE_BENCH_DIR (default: the OS temp dir),
// never in the repository; STEVEDORE_BENCH_SCALE=0.05 makes small ones, to check the benchmark
// itself on a busy machine (its figures then mean little).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { type BrowserRun, measureBrowser } from './browser.ts';
import { benchScale, generate } from './generate.js';
import { startPreview } from './preview.ts';
import { measureManyFiles, SHOWN_MS } from './many-files.ts';
import { BlobBench, nativeBlobs, timeShellCpu } from './blob-digest.ts';
import { parallelism } from './schedule.ts';
import {
  layerSlices,
  listingOverhead,
  measureListing,
  packagesOverhead,
  withDebianRoot,
} from './worker.ts';

const scale = benchScale();
const dir =
  process.env.STEVEDORE_BENCH_DIR ??
  join(tmpdir(), scale === 1 ? 'stevedore-bench' : `stevedore-bench-scale-${scale}`);
const MB = 1e6;

/** The targets (15 and 12). */
const TARGET = {
  dropToReportMs: 100,
  blobDigestsVsSha256sum: 1.3,
  diffIdsVsGunzip: 1.0,
  rendererGrowthMB: 200,
  listingOverhead: 0.1,
  packagesOverhead: 0.05,
  manyFilesGrowthMB: 150,
  treeMs: 100,
};

/** Returns seconds taken by a shell command (its output discarded). */
function timeShell(command: string): number {
  const start = process.hrtime.bigint();
  execFileSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Returns the 1-minute load average, as `uptime` prints it. */
const load = () => loadavg()[0]!.toFixed(2);

/** Rounds of the native tools and the two drops ($STEVEDORE_BENCH_ROUNDS, default 3). */
const ROUNDS = Math.max(1, Number(process.env.STEVEDORE_BENCH_ROUNDS ?? 3) || 3);

/** Returns the median of `xs`. */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One round: the native tools' figures, then a drop of each archive, and the load after. */
interface Round {
  native: {
    shaSeconds: number;
    sha: number;
    legacySeconds: number;
    legacySha: number;
    legacyCpu: number;
    gunzipSeconds: number;
    gunzip: number;
    legacyTwo: number;
    openssl: number;
    gunzipTwo: number;
  };
  oci: BrowserRun;
  legacy: BrowserRun;
  load: string;
}

/** A target a figure is held to: what it says, and whether the figure meets it. */
interface Goal {
  text: string;
  met: boolean;
}

/** Returns the goal "ratio ≥ n×". */
const atLeast = (ratio: number, n: number): Goal => ({
  text: `target ≥ ${n.toFixed(1)}×`,
  met: ratio >= n,
});

/** Returns the goal "value < n unit" (or ≤). */
const below = (value: number, n: number, unit: string, orEqual = false): Goal => ({
  text: `target ${orEqual ? '≤' : '<'} ${n} ${unit}`,
  met: orEqual ? value <= n : value < n,
});

/**
 * Prints one figure: label, value and unit; then, where given, the ratio (ours over the native
 * tool's: speed over speed, or native time over ours for times) and what it is against; then
 * the target and whether it is met.
 */
function row(
  label: string,
  value: number,
  unit: string,
  against?: { ratio: number; of: string },
  goal?: Goal,
): void {
  const figure = `${label.padEnd(50)} ${value.toFixed(1).padStart(8)} ${unit.padEnd(4)}`;
  const ratio = against ? `  ${against.ratio.toFixed(2)}× ${against.of}` : '';
  const target = goal ? `  [${goal.text}: ${goal.met ? 'met' : 'NOT met'}]` : '';
  console.log(figure + ratio + target);
}

async function main() {
  process.stderr.write(
    `bench: archives in ${dir} (scale ${scale}; generated on first run, ~6 min at scale 1)\n`,
  );
  const { oci, legacy, filesLayer, manyFiles } = await generate(dir, scale);
  const layers = readdirSync(join(dir, 'layers'))
    .filter((f) => f.endsWith('.tar.gz'))
    .map((f) => join(dir, 'layers', f));
  const ociBytes = statSync(oci).size;
  const legacyBytes = statSync(legacy).size;
  const gzBytes = layers.reduce((n, f) => n + statSync(f).size, 0);
  const rawBytes = Number(
    execFileSync('bash', [
      '-c',
      `for f in ${layers.join(' ')}; do gzip -dc "$f" | wc -c; done | paste -sd+ | bc`,
    ]).toString(),
  );
  const loadBefore = load();
  // The legacy archive's blobs that take time: its layers (a config and manifest.json besides).
  const slices = layerSlices(legacy);
  const layerBytes = slices.reduce((n, s) => n + s.size, 0);
  const native = nativeBlobs(legacy, slices);
  const workers = Math.max(2, cpus().length); // as the page's pool

  // Native, on the same bytes. Cache warm-up first so that both sides read from page cache.
  // Other work on the machine skews every figure (2 cores): the load average is printed.
  // The layer files too: a first sha256sum over cold files read them at 258 MB/s (2026-12-04).
  timeShell(`cat ${oci} ${legacy} ${filesLayer} ${native.files.join(' ')} > /dev/null`);
  // Each round measures the native tools and then drops both archives, so that the two sides of
  // a ratio come from the same minutes; figures are the medians of the rounds, ratios the medians
  // of each round's ratio (this machine's sha256sum speed drifts by the hour), memory the worst.
  const nativeRound = () => {
    const shaSeconds = timeShell(`sha256sum ${oci}`);
    // Blob digests: the same blobs, by one process, by one per worker in parallel (the blobs
    // dealt largest first, as the pool deals them: like for like), and by openssl (SHA-NI where
    // the CPU has it).
    const legacyRun = timeShellCpu(native.one('sha256sum'));
    const gunzipSeconds = timeShell(
      `for f in ${layers.join(' ')}; do gzip -dc "$f" | sha256sum; done`,
    );
    const legacyTwo = layerBytes / MB / timeShellCpu(native.parallel('sha256sum', workers)).wall;
    const openssl = layerBytes / MB / timeShellCpu(native.one('openssl dgst -sha256')).wall;
    const gunzipTwoSeconds = timeShell(
      `printf '%s\\n' ${layers.join(' ')} | xargs -P 2 -I{} sh -c 'gzip -dc {} | sha256sum' >/dev/null`,
    );
    return {
      shaSeconds,
      sha: ociBytes / MB / shaSeconds,
      legacySeconds: legacyRun.wall,
      legacySha: layerBytes / MB / legacyRun.wall,
      legacyCpu: layerBytes / MB / legacyRun.cpu,
      gunzipSeconds,
      gunzip: rawBytes / MB / gunzipSeconds,
      legacyTwo,
      openssl,
      gunzipTwo: rawBytes / MB / gunzipTwoSeconds,
    };
  };
  const nativeListMs = {
    oci: timeShell(`tar -tf ${oci}`) * 1000,
    legacy: timeShell(`tar -tf ${legacy}`) * 1000,
  };

  const server = await startPreview();
  const browser = await chromium.launch({
    headless: true,
    executablePath: findChromium(),
    args: CHROMIUM_ARGS,
  });
  try {
    const rounds: Round[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      process.stderr.write(`bench: round ${r} of ${ROUNDS}: native tools, then both archives…\n`);
      const nat = nativeRound();
      const ociRun = await measureBrowser(browser, server.url, oci);
      const legacyRun = await measureBrowser(browser, server.url, legacy);
      rounds.push({ native: nat, oci: ociRun, legacy: legacyRun, load: load() });
    }
    /** The median over the rounds of a figure, and the figure of each round. */
    const med = (f: (r: Round) => number) => median(rounds.map(f));
    const each = (f: (r: Round) => number, digits = 2) =>
      `    rounds: ${rounds.map((r) => f(r).toFixed(digits)).join(', ')}`;
    const n = {
      sha: med((r) => r.native.sha),
      legacySha: med((r) => r.native.legacySha),
      legacyTwo: med((r) => r.native.legacyTwo),
      openssl: med((r) => r.native.openssl),
      gunzip: med((r) => r.native.gunzip),
      gunzipTwo: med((r) => r.native.gunzipTwo),
      legacyCpu: med((r) => r.native.legacyCpu),
    };
    process.stderr.write(`bench: measureListing ${filesLayer} (with a Debian root)…\n`);
    const listing = await measureListing(browser, withDebianRoot(filesLayer), 3, undefined, true);
    process.stderr.write(`bench: one worker's blob digests, ${legacy}…\n`);
    const blobBench = await BlobBench.start(browser);
    const largest = [...slices].sort((a, b) => b.size - a.size).slice(0, 1);
    const oneWorker = await blobBench
      .measure(legacy, largest, 'digest-list', 1)
      .finally(() => blobBench.stop());
    process.stderr.write(`bench: measureListing ${legacy}…\n`);
    const archiveListing = await measureListing(browser, legacy, 3, slices);
    process.stderr.write(`bench: measureManyFiles ${manyFiles}…\n`);
    const many = await measureManyFiles(browser, server.url, manyFiles);
    console.log(
      `\nStevedore benchmark — ${new Date().toISOString()}, Chromium ${browser.version()}, ` +
        `${cpus().length} cores, load average (1 min) ${loadBefore} before, ${load()} after` +
        (scale === 1 ? '' : `, archives at scale ${scale} (figures for checking the bench only)`),
    );
    console.log(
      `OCI archive ${(ociBytes / 2 ** 30).toFixed(2)} GiB (${layers.length} gzip layers, ` +
        `${(gzBytes / MB).toFixed(0)} MB → ${(rawBytes / MB).toFixed(0)} MB), ` +
        `legacy docker save ${(legacyBytes / 2 ** 30).toFixed(2)} GiB`,
    );
    console.log(
      `${ROUNDS} rounds, each the native tools then one drop of each archive (load after each: ` +
        `${rounds.map((r) => r.load).join(', ')}); figures are medians of the rounds, ratios ` +
        `medians of each round's ratio, memory growth the worst round\n`,
    );

    console.log('Native tools, same bytes, same rounds');
    row('tar -tf (list entries), OCI archive', nativeListMs.oci, 'ms');
    row('tar -tf (list entries), legacy', nativeListMs.legacy, 'ms');
    row('sha256sum (OCI archive)', n.sha, 'MB/s');
    console.log(`  legacy blob digests: its ${slices.length} layers, from ${native.source}`);
    row('sha256sum (legacy layers, one process)', n.legacySha, 'MB/s');
    console.log(each((r) => r.native.legacySha, 0));
    row(`${workers} × sha256sum in parallel (legacy layers)`, n.legacyTwo, 'MB/s');
    row('openssl dgst -sha256 (legacy layers)', n.openssl, 'MB/s');
    row('gzip -dc | sha256sum (uncompressed MB/s)', n.gunzip, 'MB/s');
    console.log(each((r) => r.native.gunzip, 0));
    row('2 × gzip -dc | sha256sum in parallel (uncompr.)', n.gunzipTwo, 'MB/s');

    console.log('\nStevedore in Chromium');
    for (const [name, run, list] of [
      ['OCI archive', (r: Round) => r.oci, nativeListMs.oci],
      ['legacy docker save', (r: Round) => r.legacy, nativeListMs.legacy],
    ] as const) {
      const ms = med((r) => run(r).dropToReportMs);
      row(
        `drop → report visible, ${name}`,
        ms,
        'ms',
        { ratio: list / ms, of: 'tar -tf time' },
        below(ms, TARGET.dropToReportMs, 'ms'),
      );
      console.log(each((r) => run(r).dropToReportMs, 0));
    }
    // Blob digests alone: the legacy layers are stored uncompressed, so hashing them as stored is
    // all there is (their diff_ids are the same digests).
    const blobsOf = (r: Round) => r.legacy.verify.storedBytes / MB / (r.legacy.verify.ms / 1000);
    const blobs = med(blobsOf);
    const blobRatio = med((r) => blobsOf(r) / r.native.legacySha);
    row(
      'blob digests, legacy (stored MB/s)',
      blobs,
      'MB/s',
      { ratio: blobRatio, of: 'sha256sum' },
      atLeast(blobRatio, TARGET.blobDigestsVsSha256sum),
    );
    console.log(each((r) => blobsOf(r) / r.native.legacySha) + ' (× sha256sum)');
    // Like for like: our two workers against two native processes, and against openssl.
    row('  the same, like for like', blobs, 'MB/s', {
      ratio: med((r) => blobsOf(r) / r.native.legacyTwo),
      of: `${workers} × sha256sum`,
    });
    row('  the same, against openssl', blobs, 'MB/s', {
      ratio: med((r) => blobsOf(r) / r.native.openssl),
      of: 'openssl dgst -sha256',
    });
    // What bounds it, to read the ratio fairly: a blob's SHA-256 is one sequential computation
    // (it cannot be split between workers), so the blob sizes bound the parallelism; and on a
    // machine of few cores, the CPU every byte costs (hashing in a worker, reading in the
    // browser process) bounds the rest.
    const spread = parallelism(
      slices.map((s) => s.size),
      workers,
    );
    const ideal = oneWorker.mbs * spread;
    console.log(
      `  its blob sizes (${slices.length} layers, largest ${(largest[0]!.size / MB).toFixed(0)} ` +
        `of ${(layerBytes / MB).toFixed(0)} MB) let ${workers} workers reach at most ` +
        `${spread.toFixed(2)}× one worker's speed (largest first)`,
    );
    row('  one worker, the largest layer (digest + listing)', oneWorker.mbs, 'MB/s');
    row(`  ideal: one worker × ${spread.toFixed(2)}`, ideal, 'MB/s', {
      ratio: ideal / n.legacySha,
      of: 'sha256sum',
    });
    const cpuOf = (r: Round) => r.legacy.verify.storedBytes / MB / r.legacy.verify.cpuSeconds;
    const ourCpu = med(cpuOf);
    const cpuRatio = med((r) => cpuOf(r) / r.native.legacyCpu);
    row('  MB per CPU-second, Stevedore (every browser process)', ourCpu, 'MB', {
      ratio: cpuRatio,
      of: 'sha256sum (per CPU-second)',
    });
    row('  MB per CPU-second, sha256sum', n.legacyCpu, 'MB');
    const cores = cpus().length;
    row(`  the most ${cores} cores allow (${cores} × MB per CPU-second)`, cores * ourCpu, 'MB/s', {
      // Against one sha256sum on one core at its own CPU cost: load skews this far less.
      ratio: cores * cpuRatio,
      of: 'sha256sum on one core',
    });
    const diffIdsOf = (r: Round) => r.oci.verify.decodedBytes / MB / (r.oci.verify.decodeMs / 1000);
    const diffIds = med(diffIdsOf);
    const diffIdsRatio = med((r) => diffIdsOf(r) / r.native.gunzip);
    row(
      'diff_ids, OCI (uncompressed MB/s)',
      diffIds,
      'MB/s',
      { ratio: diffIdsRatio, of: 'gzip -dc | sha256sum' },
      atLeast(diffIdsRatio, TARGET.diffIdsVsGunzip),
    );
    console.log(each((r) => diffIdsOf(r) / r.native.gunzip) + ' (× gzip -dc | sha256sum)');
    row('  the same, like for like', diffIds, 'MB/s', {
      ratio: med((r) => diffIdsOf(r) / r.native.gunzipTwo),
      of: '2 × gzip -dc | sha256sum',
    });
    // The same pass hashes each layer as stored while it inflates it: bound by inflating.
    const ociBlobsOf = (r: Round) => r.oci.verify.storedBytes / MB / (r.oci.verify.ms / 1000);
    row('blob digests, OCI, same pass (stored MB/s)', med(ociBlobsOf), 'MB/s', {
      ratio: med((r) => ociBlobsOf(r) / r.native.sha),
      of: 'sha256sum',
    });
    // Native time over ours: the native tools doing the same work one after the other.
    row(
      'verify OCI, total time',
      med((r) => r.oci.verify.ms / 1000),
      's',
      {
        ratio: med(
          (r) => (r.native.shaSeconds + r.native.gunzipSeconds) / (r.oci.verify.ms / 1000),
        ),
        of: 'sha256sum + gzip -dc | sha256sum, time',
      },
    );
    row(
      'verify legacy, total time',
      med((r) => r.legacy.verify.ms / 1000),
      's',
      {
        ratio: med((r) => r.native.legacySeconds / (r.legacy.verify.ms / 1000)),
        of: 'sha256sum, time',
      },
    );
    const statuses = (f: (r: Round) => BrowserRun) =>
      rounds.map((r) => f(r).verify.status).join(', ');
    console.log(
      `verify OCI: status ${statuses((r) => r.oci)}; verify legacy: status ${statuses((r) => r.legacy)}`,
    );

    const archiveOverhead = listingOverhead(archiveListing);
    console.log(
      `\nListing while verifying (issue 12): the legacy archive, ${(legacyBytes / 2 ** 30).toFixed(2)} GiB` +
        (scale === 1 ? '' : ` (scale ${scale}, not the full size)`) +
        `: its ${slices.length} layers (${(archiveListing.storedBytes / MB).toFixed(0)} MB, ` +
        `${archiveListing.entries} entries) digested one after the other in one worker, ` +
        `listing off and on alternately, 3 rounds each`,
    );
    row('verify the archive’s layers, listing off (median)', median(archiveListing.offMs), 'ms');
    row('verify the archive’s layers, listing on (median)', median(archiveListing.onMs), 'ms');
    row(
      'listing overhead, legacy archive',
      archiveOverhead * 100,
      '%',
      undefined,
      below(archiveOverhead * 100, TARGET.listingOverhead * 100, '%', true),
    );
    const overhead = listingOverhead(listing);
    console.log(
      `Its layers hold one large file each, so that is the listing's cost per byte; its cost per ` +
        `entry: one gzip layer of ${listing.entries} entries, ` +
        `${(listing.decodedBytes / MB).toFixed(0)} MB, in one worker, off and on alternately`,
    );
    row('verify one layer, listing off (median)', median(listing.offMs), 'ms');
    row('verify one layer, listing on (median)', median(listing.onMs), 'ms');
    row('listing overhead, many-files layer', overhead * 100, '%');
    console.log(
      `Reading packages (issue 13): the same layer starts with a real Debian 12 root ` +
        `(${listing.packages} dpkg packages, their copyright files, os-release); a third mode ` +
        `keeps the package files and reads the packages, inside the time`,
    );
    row('verify one layer, listing + packages (median)', median(listing.packagesMs), 'ms');
    const packagesCost = packagesOverhead(listing);
    row(
      'packages overhead (over the listing, of verify)',
      packagesCost * 100,
      '%',
      undefined,
      below(packagesCost * 100, TARGET.packagesOverhead * 100, '%', true),
    );

    console.log(
      `\nA layer of many small files in the page (issue 12): ${many.paths.toLocaleString('en-US')} ` +
        `paths (${(statSync(manyFiles).size / MB).toFixed(0)} MB ` +
        `archive, one gzip layer), dropped. Memory: summed VmRSS of this browser’s renderer ` +
        `processes (page, workers, service worker), sampled every 100 ms; baseline with the ` +
        `service worker active; peak from the drop to ${SHOWN_MS / 1000} s after the listing is ` +
        `shown; after: at those ${SHOWN_MS / 1000} s`,
    );
    row('drop → listing shown (Files heading counts paths)', many.dropToListingMs, 'ms');
    row('renderer memory before the drop', many.baselineRendererMB, 'MB');
    const manyGrowth = many.peakRendererMB - many.baselineRendererMB;
    row(
      `growth, peak (drop → listing shown + ${SHOWN_MS / 1000} s)`,
      manyGrowth,
      'MB',
      undefined,
      below(manyGrowth, TARGET.manyFilesGrowthMB, 'MB'),
    );
    row(
      `growth, after (listing shown + ${SHOWN_MS / 1000} s)`,
      many.shownRendererMB - many.baselineRendererMB,
      'MB',
    );
    row(
      `scroll a directory, frame median (${many.rows} rows in DOM)`,
      many.scrollMedianMs,
      'ms',
      undefined,
      below(many.scrollMedianMs, TARGET.treeMs, 'ms'),
    );
    row('scroll a directory, worst frame', many.scrollWorstMs, 'ms');
    for (const s of many.searches) {
      row(`search ${s.kind} ${s.query}`, s.ms, 'ms', undefined, below(s.ms, TARGET.treeMs, 'ms'));
      console.log(`  status: ${s.status}`);
    }

    console.log('\nRenderer memory (this browser’s renderer processes, workers included)');
    for (const [name, run] of [
      ['OCI', (r: Round) => r.oci],
      ['legacy', (r: Round) => r.legacy],
    ] as const) {
      row(
        `before the drop (${name})`,
        med((r) => run(r).baselineRendererMB),
        'MB',
      );
      const growthOf = (r: Round) => run(r).peakRendererMB - run(r).baselineRendererMB;
      const growth = Math.max(...rounds.map(growthOf));
      row(
        `growth, open + verify (${name}), worst round`,
        growth,
        'MB',
        undefined,
        below(growth, TARGET.rendererGrowthMB, 'MB'),
      );
      console.log(each(growthOf, 0));
    }
  } finally {
    await browser.close();
    server.stop();
  }
}

await main();
