// npm run bench: measures Stevedore in headless Chromium against native tools on the same
// bytes, in the same run, and prints each figure with its ratio. Archives (GiBs) are generated
// once under $STEVEDORE_BENCH_DIR (default: the OS temp dir), never in the repository.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { measureBrowser } from './browser.ts';
import { generate } from './generate.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = process.env.STEVEDORE_BENCH_DIR ?? join(tmpdir(), 'stevedore-bench');
const PORT = 4180;
const MB = 1e6;

/** Returns seconds taken by a shell command (its output discarded). */
function timeShell(command: string): number {
  const start = process.hrtime.bigint();
  execFileSync('bash', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'] });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function startPreview() {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], {
    cwd: root,
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`http://localhost:${PORT}/`);
      if (response.ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error('vite preview did not start');
}

const row = (label: string, value: number, unit: string, ratio?: number) =>
  console.log(
    `${label.padEnd(44)} ${value.toFixed(1).padStart(9)} ${unit.padEnd(5)}${ratio === undefined ? '' : `  ${ratio.toFixed(2)}× native`}`,
  );

async function main() {
  process.stderr.write(`bench: archives in ${dir} (generated on first run, ~6 min)\n`);
  const { oci, legacy } = await generate(dir);
  const layers = readdirSync(join(dir, 'layers'))
    .filter((f) => f.endsWith('.tar.gz'))
    .map((f) => join(dir, 'layers', f));
  const ociBytes = statSync(oci).size;
  const gzBytes = layers.reduce((n, f) => n + statSync(f).size, 0);
  const rawBytes = Number(
    execFileSync('bash', [
      '-c',
      `for f in ${layers.join(' ')}; do gzip -dc "$f" | wc -c; done | paste -sd+ | bc`,
    ]).toString(),
  );

  // Native, on the same bytes. Cache warm-up first so that both sides read from page cache.
  timeShell(`cat ${oci} ${legacy} > /dev/null`);
  const nativeSha = ociBytes / MB / timeShell(`sha256sum ${oci}`);
  const nativeGunzip =
    rawBytes / MB / timeShell(`for f in ${layers.join(' ')}; do gzip -dc "$f" | sha256sum; done`);
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
    const url = `http://localhost:${PORT}/`;
    const ociRun = await measureBrowser(browser, url, oci);
    const legacyRun = await measureBrowser(browser, url, legacy);

    console.log(
      `\nStevedore benchmark — ${new Date().toISOString()}, ${process.env.HOSTNAME ?? ''}`,
    );
    console.log(
      `OCI archive ${(ociBytes / 2 ** 30).toFixed(2)} GiB (6 gzip layers, ${(gzBytes / MB).toFixed(0)} MB → ${(rawBytes / MB).toFixed(0)} MB), legacy docker save ${(statSync(legacy).size / 2 ** 30).toFixed(2)} GiB\n`,
    );
    row(
      'drop → report visible, OCI archive',
      ociRun.dropToReportMs,
      'ms',
      ociRun.dropToReportMs / nativeListMs.oci,
    );
    row(
      'drop → report visible, legacy docker save',
      legacyRun.dropToReportMs,
      'ms',
      legacyRun.dropToReportMs / nativeListMs.legacy,
    );
    row('native tar -tf (list entries), OCI archive', nativeListMs.oci, 'ms');
    row('native tar -tf (list entries), legacy', nativeListMs.legacy, 'ms');
    row('native sha256sum', nativeSha, 'MB/s');
    row('native gzip -dc | sha256sum (uncompressed MB/s)', nativeGunzip, 'MB/s');
    if (ociRun.verify && legacyRun.verify) {
      row(
        'verify OCI: blob digests',
        ociRun.verify.blobMBps,
        'MB/s',
        ociRun.verify.blobMBps / nativeSha,
      );
      row(
        'verify OCI: diff_ids (uncompressed MB/s)',
        ociRun.verify.diffIdMBps,
        'MB/s',
        ociRun.verify.diffIdMBps / nativeGunzip,
      );
      row(
        'verify legacy: blob digests',
        legacyRun.verify.blobMBps,
        'MB/s',
        legacyRun.verify.blobMBps / nativeSha,
      );
      row('verify OCI: status', ociRun.verify.ok ? 1 : 0, 'ok');
    }
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
    server.kill();
  }
}

await main();
