/**
 * `stevedore files` and `stevedore efficiency`: the merged tree equals what extracting the
 * layers in order with whiteouts applied gives (Node's fs in a temp directory, not the code
 * under test); dive's figures on dive's own test image equal dive's own test expectations; the
 * rules exit 1 as dive's CI does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/cli/files.ts';
import { parseFilesArgs, permissions, textLine } from '../../src/cli/files.ts';
import { parseEfficiencyArgs } from '../../src/cli/efficiency.ts';
import { runCli } from '../support/cli.ts';
import { fixture } from '../support/paths.ts';
import { extractLayers, imageLayers, snapshot } from './layers/support.ts';

const DIVE = fixture('dive-test-docker-image.tar');
const OPAQUE = fixture('gen-umoci-rawlayers-opaque-whiteout-oci-archive.tar');

/** Returns the tree an extraction of the first image's layers leaves, as `snapshot` gives it. */
function extracted(archive: string): Map<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'stevedore-extract-'));
  try {
    extractLayers(imageLayers(archive)[0]!.layers, dir);
    return snapshot(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns the records of `files --format json`, as `snapshot` would describe each path. */
function asSnapshot(records: FileRecord[]): Map<string, string> {
  const byPath = new Map(records.map((r) => [r.path, r]));
  const out = new Map<string, string>();
  for (const r of records) {
    const p = r.path.slice(1);
    if (r.type === 'dir') out.set(p, 'd');
    else if (r.type === 'symlink') out.set(p, 'l');
    else if (r.type === 'hardlink') out.set(p, `f ${byPath.get(`/${r.linkTarget}`)?.size}`);
    else out.set(p, `f ${r.type === 'file' ? r.size : 0}`);
  }
  return out;
}

async function filesJson(...argv: string[]): Promise<FileRecord[]> {
  const { code, out, err } = await runCli(['files', ...argv, '--format', 'json']);
  expect(err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out) as FileRecord[];
}

describe('stevedore files', () => {
  it.each([OPAQUE, DIVE])('lists the tree an extraction with whiteouts gives: %s', async (a) => {
    const records = await filesJson(a);
    expect(asSnapshot(records)).toEqual(extracted(a));
  });

  it('lists the opaque whiteout fixture exactly, with the layer and change of each path', async () => {
    const { code, out } = await runCli(['files', OPAQUE]);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'drwxr-xr-x 1000/1000          0 2022-09-11 15:16:25 L2   added     /exdir',
        '-rw-r--r-- 1000/1000          2 2022-04-24 14:49:55 L2   unchanged /layer1.txt',
        '-rw-r--r-- 1000/1000          2 2022-04-24 14:49:55 L2   unchanged /layer3.txt',
        '',
      ].join('\n'),
    );
  });

  it('gives one JSON record per entry, each with its layer and change kind', async () => {
    const records = await filesJson(DIVE);
    expect(records.length).toBeGreaterThan(400);
    for (const r of records) {
      expect(r.layer).toBeGreaterThanOrEqual(1);
      expect(r.layer).toBeLessThanOrEqual(14);
      expect(['added', 'modified', 'metadata', 'unchanged', 'rewritten', 'implied']).toContain(
        r.change,
      );
    }
    const saved = records.find((r) => r.path === '/root/saved.txt')!;
    expect(saved).toMatchObject({ layer: 14, change: 'metadata', size: 6405, type: 'file' });
    expect(saved.contentHash).toMatch(/^[0-9a-f]{16}$/);
    // The text form has the same paths, one line each, in the same order.
    const { out } = await runCli(['files', DIVE]);
    const lines = out.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(l.indexOf(' /') + 1).replace(/ (->|link to) .*$/, ''))).toEqual(
      records.map((r) => r.path),
    );
  });

  it('lists what one layer changed, deletions and their cause included', async () => {
    const records = await filesJson(DIVE, '--layer', '10');
    expect(records.map((r) => [r.path, r.change, r.cause, r.layer])).toEqual([
      ['/root/example/really', 'deleted', 'whiteout', 10],
      ['/root/example/really/nested', 'deleted', 'whiteout', 10],
      ['/root/example/somefile1.txt', 'deleted', 'whiteout', 10],
      ['/root/example/somefile2.txt', 'deleted', 'whiteout', 10],
      ['/root/example', 'deleted', 'whiteout', 10],
      ['/root', 'unchanged', null, 10],
    ]);
    // A deleted path is shown as it was: the file the whiteout removed.
    expect(records[2]).toMatchObject({ type: 'file', size: 6405, mode: 0o444 });
    expect(records.filter((r) => r.change === 'deleted')).toHaveLength(5);
    const opaque = await filesJson(OPAQUE, '--layer', '2');
    expect(opaque.filter((r) => r.change === 'deleted').map((r) => [r.path, r.cause])).toEqual([
      ['/layer2.txt', 'whiteout'],
    ]);
  });

  it('refuses what it cannot do, in one line, exit 2', async () => {
    const tooFar = await runCli(['files', OPAQUE, '--layer', '3']);
    expect(tooFar.code).toBe(2);
    expect(tooFar.err).toBe(`stevedore: ${OPAQUE}: --layer 3: linux/arm64 has 2 layers\n`);
    const missing = await runCli(['files', '/nonexistent/x.tar']);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('stevedore: cannot open /nonexistent/x.tar: no such file\n');
    const platform = await runCli(['files', OPAQUE, '--platform', 'linux/s390x']);
    expect(platform.code).toBe(2);
    expect(platform.err).toMatch(/no image of linux\/s390x in the archive; it has linux\/arm64/);
    expect(parseFilesArgs(['a.tar', '--layer', '0'])).toMatch(/--layer takes a layer number/);
    expect(parseFilesArgs(['a.tar', '--format', 'md'])).toMatch(/--format takes text or json/);
    expect(parseFilesArgs([])).toBe('files needs an archive path');
    expect(parseFilesArgs(['a.tar', '--layer=2', '--platform=linux/arm64/v8'])).toEqual({
      path: 'a.tar',
      platform: 'linux/arm64/v8',
      layer: 2,
      format: 'text',
    });
  });

  it('shows the first platform of a multi-platform archive and says which others there are', async () => {
    const { code, err } = await runCli(['files', fixture('gen-buildah-multiarch-oci-archive.tar')]);
    expect(code).toBe(0);
    expect(err).toMatch(
      /^stevedore: linux\/\S+ of .* shown; the archive also has .*\(choose with --platform\)\n$/,
    );
  });

  it('lists a hostile layer cleaned, notes its names and exits 1 on the failed verification', async () => {
    const { code, out, err } = await runCli([
      'files',
      fixture('bad/docker-archive-layer-path-traversal.tar'),
    ]);
    expect(code).toBe(1);
    expect(out).toContain(' L1   added     /tmp/evil-dotdot.txt\n');
    expect(err).toContain(
      'stevedore: note: layer 1: 1 × dot-dot (first: ../../../tmp/evil-dotdot.txt)\n',
    );
    expect(err).toContain('stevedore: note: layer 2: 1 × parent-not-directory (first: etc/link)\n');
    expect(err).toMatch(/^stevedore: verification: layer-path: layer 2 /m);
  });

  it('keeps one entry on one line whatever its name', () => {
    const line = textLine({
      path: '/a\nb\\c',
      type: 'symlink',
      size: 0,
      mode: 0o777,
      uid: 0,
      gid: 0,
      mtime: 0,
      linkTarget: 'x\ty',
      layer: 3,
      change: 'added',
      cause: null,
      contentHash: null,
    });
    expect(line).toBe(
      'lrwxrwxrwx 0/0          0 1970-01-01 00:00:00 L3   added     /a\\nb\\\\c -> x\\ty',
    );
  });

  it('writes permissions as tar does', () => {
    expect(permissions(0o755)).toBe('rwxr-xr-x');
    expect(permissions(0o4755)).toBe('rwsr-xr-x');
    expect(permissions(0o2644)).toBe('rw-r-Sr--');
    expect(permissions(0o1777)).toBe('rwxrwxrwt');
  });
});

describe('stevedore efficiency', () => {
  it("prints dive's figures for dive's test image exactly, and Stevedore's", async () => {
    const { code, out, err } = await runCli(['efficiency', DIVE]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'image: dive-test:latest (linux/amd64)',
        'efficiency: 0.9844212134184309',
        'image size: 1220598 bytes',
        'user size: 66237 bytes',
        'wasted bytes: 32025',
        'user wasted percent: 0.4834911001404049',
        'inefficient files: 3 (copies, bytes of all copies, path)',
        '      2        12810  /root/example/somefile1.txt',
        '      2        12810  /root/saved.txt',
        '      2         6405  /root/example/somefile3.txt',
        'shadowed bytes: 32025 (deleted 19215, identical 0, metadata 12810, modified 0, rewritten 0)',
        'reclaimable bytes: 19215',
        '',
      ].join('\n'),
    );
  });

  it("judges dive's rules with --ci: a failed rule exits 1", async () => {
    const low = await runCli([
      'efficiency',
      DIVE,
      '--ci',
      '--lowest-efficiency',
      '0.99',
      '--highest-user-wasted-percent',
      'disabled',
    ]);
    expect(low.code).toBe(1);
    expect(low.out).toContain(
      'rules:\n' +
        '  FAIL: lowestEfficiency: image efficiency is too low (efficiency=0.98 < threshold=0.99)\n' +
        '  SKIP: highestWastedBytes: rule disabled\n' +
        '  SKIP: highestUserWastedPercent: rule disabled\n' +
        'result: FAIL\n',
    );
    // dive's defaults: the user wasted percent (0.48 > 0.1) fails.
    const defaults = await runCli(['efficiency', DIVE, '--ci']);
    expect(defaults.code).toBe(1);
    expect(defaults.out).toContain('  FAIL: highestUserWastedPercent');
    const pass = await runCli([
      'efficiency',
      DIVE,
      '--ci',
      '--highestUserWastedPercent=0.5',
      '--highest-wasted-bytes',
      '33KB',
    ]);
    expect(pass.code).toBe(0);
    expect(pass.out).toContain('  PASS: highestWastedBytes\n');
    expect(pass.out).toContain('result: PASS\n');
    const over = await runCli(['efficiency', DIVE, '--ci', '--highest-wasted-bytes', '32000']);
    expect(over.code).toBe(1);
    expect(over.out).toContain('too many bytes wasted (wasted-bytes=32025 > threshold=32000)');
  });

  it('refuses a rule without --ci and a bad threshold', () => {
    expect(parseEfficiencyArgs(['a.tar', '--lowest-efficiency', '0.5'])).toBe(
      '--lowest-efficiency goes with --ci',
    );
    expect(parseEfficiencyArgs(['a.tar', '--ci', '--lowest-efficiency', '2'])).toMatch(
      /outside allowed range/,
    );
    expect(parseEfficiencyArgs(['a.tar', '--ci'])).toEqual({
      path: 'a.tar',
      platform: null,
      ci: true,
      rules: {},
    });
  });
});
