// npm run bench: measures Stevedore in headless Chromium against native tools on the same
// bytes, in the same run, and prints each figure with its ratio. Archives (GiBs) are generated
// once under $STEVEDORE_BENCH_DIR (default: the OS temp dir), never in the repository.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { measureBrowser } from './browser.ts';
import { generate } from './generate.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = process.env.STEVEDORE_BENCH_DIR ?? join(tmpdir(), 'stevedore-bench');
const MB = 1e6;
const MiB = 2 ** 20;

/** Returns seconds taken by a shell command (its output discarded). */
function timeShell(command: string): number {
  const start = process.hrtime.bigint();
  execFileSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Returns a TCP port free on this machine now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, 'localhost', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Builds the app into a folder of its own (a `npm run build` elsewhere cannot swap the files
 * under the running page) and serves it with `vite preview` on a free port. */
async function startPreview() {
  const outDir = mkdtempSync(join(tmpdir(), 'stevedore-bench-dist-'));
  execFileSync('npx', ['vite', 'build', '--outDir', outDir], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const port = await freePort();
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', outDir, '--port', String(port), '--strictPort'],
    { cwd: root, stdio: 'ignore', detached: true },
  );
  // npx starts vite as a child: the whole process group goes at the end.
  const stop = () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(outDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    try {
      const response = await fetch(`http://localhost:${port}/`);
      if (response.ok) return { url: `http://localhost:${port}/`, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('vite preview did not start');
}

/** Returns the 1-minute load average, as `uptime` prints it. */
const load = () => loadavg()[0]!.toFixed(2);

/** Prints a figure; `ratio` is ours over native: speed over speed, except for the drop → report
 * rows, which are time over time (`tar -tf`), as marked. */
const row = (
  label: string,
  value: number,
  unit: string,
  ratio?: number,
  target?: number,
  of = 'native speed',
) =>
  console.log(
    `${label.padEnd(58)} ${value.toFixed(1).padStart(9)} ${unit.padEnd(5)}` +
      (ratio === undefined ? '' : `  ${ratio.toFixed(2)}× ${of}`) +
      (target === undefined || ratio === undefined
        ? ''
        : `  (target ≥ ${target}×: ${ratio >= target ? 'met' : 'NOT met'})`),
  );

async function main() {
  process.stderr.write(`bench: archives in ${dir} (generated on first run, ~6 min)\n`);
  const { oci, legacy } = await generate(dir);
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

  // Native, on the same bytes. Cache warm-up first so that both sides read from page cache.
  // Other work on the machine skews every figure (2 cores): the load average is printed.
  timeShell(`cat ${oci} ${legacy} > /dev/null`);
  const nativeShaSeconds = timeShell(`sha256sum ${oci}`);
  const nativeSha = ociBytes / MB / nativeShaSeconds;
  const nativeLegacySeconds = timeShell(`sha256sum ${legacy}`);
  const nativeLegacySha = legacyBytes / MB / nativeLegacySeconds;
  const nativeGunzipSeconds = timeShell(
    `for f in ${layers.join(' ')}; do gzip -dc "$f" | sha256sum; done`,
  );
  const nativeGunzip = rawBytes / MB / nativeGunzipSeconds;
  // Like for like with two workers: the same work split over two native processes.
  const half = Math.ceil(legacyBytes / MiB / 2);
  const nativeLegacyTwoSeconds = timeShell(
    `(dd if=${legacy} bs=1M count=${half} status=none | sha256sum >/dev/null & ` +
      `dd if=${legacy} bs=1M skip=${half} status=none | sha256sum >/dev/null & wait)`,
  );
  const nativeLegacyTwo = legacyBytes / MB / nativeLegacyTwoSeconds;
  const nativeOpensslSeconds = timeShell(`openssl dgst -sha256 ${legacy} >/dev/null`);
  const nativeOpenssl = legacyBytes / MB / nativeOpensslSeconds;
  const nativeGunzipTwoSeconds = timeShell(
    `printf '%s\\n' ${layers.join(' ')} | xargs -P 2 -I{} sh -c 'gzip -dc {} | sha256sum' >/dev/null`,
  );
  const nativeGunzipTwo = rawBytes / MB / nativeGunzipTwoSeconds;
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
    const ociRun = await measureBrowser(browser, server.url, oci);
    const legacyRun = await measureBrowser(browser, server.url, legacy);
    const o = ociRun.verify;
    const l = legacyRun.verify;

    console.log(
      `\nStevedore benchmark — ${new Date().toISOString()}, Chromium ${browser.version()}, ` +
        `load average ${loadBefore} before, ${load()} after (1 min, ${process.env.HOSTNAME ?? ''})`,
    );
    console.log(
      `OCI archive ${(ociBytes / 2 ** 30).toFixed(2)} GiB (6 gzip layers, ${(gzBytes / MB).toFixed(0)} MB → ${(rawBytes / MB).toFixed(0)} MB), legacy docker save ${(legacyBytes / 2 ** 30).toFixed(2)} GiB\n`,
    );
    row(
      'drop → report visible, OCI archive',
      ociRun.dropToReportMs,
      'ms',
      ociRun.dropToReportMs / nativeListMs.oci,
      undefined,
      'native time',
    );
    row(
      'drop → report visible, legacy docker save',
      legacyRun.dropToReportMs,
      'ms',
      legacyRun.dropToReportMs / nativeListMs.legacy,
      undefined,
      'native time',
    );
    row('native tar -tf (list entries), OCI archive', nativeListMs.oci, 'ms');
    row('native tar -tf (list entries), legacy', nativeListMs.legacy, 'ms');
    row('native sha256sum (OCI archive)', nativeSha, 'MB/s');
    row('native sha256sum (legacy archive)', nativeLegacySha, 'MB/s');
    row('native gzip -dc | sha256sum (uncompressed MB/s)', nativeGunzip, 'MB/s');
    row('native 2 × sha256sum in parallel (legacy archive, halves)', nativeLegacyTwo, 'MB/s');
    row('native openssl dgst -sha256 (legacy archive)', nativeOpenssl, 'MB/s');
    row('native 2 × gzip -dc | sha256sum in parallel (uncompressed MB/s)', nativeGunzipTwo, 'MB/s');
    console.log('');
    // Blob digests alone: the legacy layers are stored uncompressed, so hashing them as stored is
    // all there is (their diff_ids are the same digests).
    row(
      'verify legacy: blob digests (stored MB/s)',
      l.storedBytes / MB / (l.ms / 1000),
      'MB/s',
      // Against sha256sum of the same (legacy) archive.
      l.storedBytes / MB / (l.ms / 1000) / nativeLegacySha,
      1.2,
    );
    // Like for like: our two workers against two native processes, and against openssl.
    row(
      'verify legacy: blob digests vs 2 × sha256sum (like for like)',
      l.storedBytes / MB / (l.ms / 1000),
      'MB/s',
      l.storedBytes / MB / (l.ms / 1000) / nativeLegacyTwo,
    );
    row(
      'verify legacy: blob digests vs openssl dgst -sha256',
      l.storedBytes / MB / (l.ms / 1000),
      'MB/s',
      l.storedBytes / MB / (l.ms / 1000) / nativeOpenssl,
    );
    row(
      'verify OCI: diff_ids vs 2 × gzip -dc | sha256sum (like for like)',
      o.decodedBytes / MB / (o.decodeMs / 1000),
      'MB/s',
      o.decodedBytes / MB / (o.decodeMs / 1000) / nativeGunzipTwo,
    );
    row(
      'verify OCI: diff_ids (uncompressed MB/s)',
      o.decodedBytes / MB / (o.decodeMs / 1000),
      'MB/s',
      o.decodedBytes / MB / (o.decodeMs / 1000) / nativeGunzip,
      0.8,
    );
    // The same pass hashes each layer as stored while it inflates it: bound by inflating.
    row(
      'verify OCI: blob digests, same pass (stored MB/s)',
      o.storedBytes / MB / (o.ms / 1000),
      'MB/s',
      o.storedBytes / MB / (o.ms / 1000) / nativeSha,
    );
    // Native time over ours: the native tools doing the same work one after the other.
    row(
      'verify OCI: total time (sha256sum + gzip -dc | sha256sum)',
      o.ms / 1000,
      's',
      (nativeShaSeconds + nativeGunzipSeconds) / (o.ms / 1000),
    );
    row(
      'verify legacy: total time (sha256sum)',
      l.ms / 1000,
      's',
      nativeLegacySeconds / (l.ms / 1000),
    );
    console.log(`verify OCI: status ${o.status}; verify legacy: status ${l.status}\n`);
    for (const [name, run] of [
      ['OCI', ociRun],
      ['legacy', legacyRun],
    ] as const) {
      row(`renderer memory before the drop (${name})`, run.baselineRendererMB, 'MB');
      row(
        `renderer memory growth, open + verify (${name})`,
        run.peakRendererMB - run.baselineRendererMB,
        'MB',
      );
    }
  } finally {
    await browser.close();
    server.stop();
  }
}

await main();
