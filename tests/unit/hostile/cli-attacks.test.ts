/**
 * The CLI on hostile archives: exit codes that never say 0 for what was not checked, JSON that
 * stays valid and faithful whatever strings the archive holds, and text output in which an
 * archive's strings cannot drive the terminal (escape sequences, line breaks that forge lines).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import {
  dockerSaveManyLayers,
  legacySave,
  manyLayers,
  platformMismatch,
} from '../../support/attacks.ts';
import { ociArchive } from '../../support/oci.ts';
import { writeTar } from '../../support/tar.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stevedore-cli-attacks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

// What a terminal obeys: ESC, CSI, BEL, backspace, carriage return; and line breaks that are
// not the CLI's own (inside one record).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

describe('exit codes', () => {
  it('a platform-mismatch index: verify exits 1 and says why; --format json too', async () => {
    const { bytes, manifestDigest } = platformMismatch();
    const file = await write('mismatch.tar', bytes);
    const text = await runCli(['verify', file]);
    expect(text.code).toBe(1);
    expect(text.out).toContain(
      `consistency: manifest ${manifestDigest} is listed as linux/arm64 but its config says linux/amd64`,
    );
    const json = await runCli(['verify', file, '--format', 'json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.out) as { verification: { status: string } };
    expect(parsed.verification.status).toBe('failed');
    // The report alone is produced (exit 0), and it carries the problem.
    const report = await runCli(['report', file, '--format', 'json']);
    expect(report.code).toBe(0);
    expect(report.err).toContain('is listed as linux/arm64 but its config says linux/amd64');
  });

  it.each([
    ['an OCI manifest of 20,000 layers', () => manyLayers(20_000).bytes],
    ['a manifest.json of 100,000 layers', () => dockerSaveManyLayers(100_000).bytes],
  ])('%s: verify exits 1, its last line does not read as a pass', async (_, make) => {
    const file = await write('many.tar', make());
    const run = await runCli(['verify', file]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^not verified: .* lists \d+ layers; only the first 1000 are read$/m);
    expect(run.err).toMatch(
      /: \d+ checks passed; incomplete: 1 problem left part of the archive unread\n$/,
    );
    const json = await runCli(['verify', file, '--format', 'json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.out) as { verification: { status: string } }).verification.status).toBe(
      'partial',
    );
  });
});

describe('hostile strings', () => {
  const nasty = [
    '\u001b[2J\u001b[H\u001b]0;pwned\u0007',
    'line\nforged: ok',
    'cr\roverwritten',
    '\u2028sep\u2029',
    'lone \ud800 surrogate',
    'nul\u0000byte',
    '</script><script>alert(1)</script>',
    'bidi \u202e gpj.exe',
    'c1 \u009b31m csi',
  ];

  it('--format json is valid JSON holding each string as the archive has it', async () => {
    const labels = Object.fromEntries(nasty.map((v, i) => [`k${i}`, v]));
    const file = await write(
      'strings.tar',
      ociArchive({ ref: 'evil:1', config: { config: { Labels: labels, Env: nasty } } }),
    );
    for (const command of ['report', 'verify']) {
      const run = await runCli([command, file, '--format', 'json']);
      expect(run.code).toBe(0);
      // JSON.stringify escapes C0 controls; what it leaves raw (C1, U+2028) is valid JSON.
      expect(run.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      const parsed = JSON.parse(run.out) as {
        images: { manifests: { labels: Record<string, string>; env: string[] }[] }[];
      };
      const m = parsed.images[0]!.manifests[0]!;
      // JSON.parse gives back what JSON.stringify wrote: a lone surrogate stays one.
      expect(m.labels).toEqual(labels);
      expect(m.env).toEqual(nasty);
    }
  });

  it('text output (files, efficiency, verify) never passes control characters through', async () => {
    const layer = writeTar(
      nasty.map((n, i) => ({ name: `f${i}-${n.replace(/[\0/]/g, '')}`, data: `${i}` })),
    );
    const file = await write('names.tar', legacySave('evil:names', [layer]));
    const files = await runCli(['files', file]);
    expect(files.code).toBe(0);
    // One line per entry, whatever its name; every name shown escaped.
    const lines = files.out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(nasty.length);
    expect(lines.map((l) => l.slice(l.indexOf(' /') + 1))).toEqual([
      '/f0-\\033[2J\\033[H\\033]0;pwned\\007',
      '/f1-line\\nforged: ok',
      '/f2-cr\\015overwritten',
      '/f3-\\u2028sep\\u2029',
      '/f4-lone \ufffd surrogate',
      '/f5-nulbyte',
      '/f6-<script><script>alert(1)<script>',
      '/f7-bidi \\u202e gpj.exe',
      '/f8-c1 \\u009b31m csi',
    ]);
    for (const run of [files, await runCli(['efficiency', file])]) {
      expect(run.out).not.toMatch(CONTROL);
      expect(run.err).not.toMatch(CONTROL);
    }
    // A label holding escape sequences: verify's lines on both streams stay inert.
    const labelled = await write(
      'labels.tar',
      ociArchive({ ref: `evil:${'\u009b2J'}`, config: { config: { Labels: { a: nasty[0]! } } } }),
    );
    const verify = await runCli(['verify', labelled]);
    expect(verify.out).not.toMatch(CONTROL);
    expect(verify.err).not.toMatch(CONTROL);
  });
});
