import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main, parseArgs } from '../../../src/cli/main.ts';
import { BAD, FIXTURES } from './helpers.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../../src/cli/stevedore.js', import.meta.url));

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(
    argv,
    (t) => void (out += t),
    (t) => void (err += t),
  );
  return { code, out, err };
}

describe('stevedore verify', () => {
  it('parses its options: text by default, or json', () => {
    expect(parseArgs(['verify', 'a.tar'])).toEqual({
      command: 'verify',
      path: 'a.tar',
      format: 'text',
      platform: null,
    });
    expect(parseArgs(['verify', 'a.tar', '--format', 'json'])).toMatchObject({ format: 'json' });
    expect(parseArgs(['verify', 'a.tar', '--format', 'md'])).toBe(
      '--format takes text or json, not "md"',
    );
    expect(parseArgs(['verify'])).toBe('verify needs an archive path');
  });

  it('exits 0 when every check passes, printing nothing on stdout', async () => {
    const { code, out, err } = await cli(
      'verify',
      FIXTURES + 'gen-buildah-multiarch-oci-archive.tar',
    );
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toBe(
      `stevedore: ${FIXTURES}gen-buildah-multiarch-oci-archive.tar: 45 checks passed\n`,
    );
  });

  it('exits 1 when a check fails, each failure on its own line', async () => {
    const { code, out, err } = await cli('verify', BAD + 'oci-layer-byte-flipped.tar');
    expect(code).toBe(1);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      'blob-digest: layer 1 sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f of linux/amd64: SHA-256 is sha256:857de105a79d307376a56e194de87c21e831eff10247cf03ef192a2183ed1f9b, expected sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f',
    );
    expect(lines[1]).toMatch(
      /^diff-id: layer 1 sha256:00bd\S+ of linux\/amd64 is not a valid gzip stream/,
    );
    expect(err).toMatch(/2 of 45 checks failed\n$/);
  });

  it('exits 1 for a missing blob and a size mismatch too', async () => {
    for (const [file, kind] of [
      ['oci-missing-layer-blob.tar', 'reference'],
      ['oci-descriptor-size-mismatch.tar', 'blob-size'],
      ['oci-diffid-mismatch.tar', 'diff-id'],
      ['docker-archive-layer-byte-flipped.tar', 'name'],
    ] as const) {
      const { code, out } = await cli('verify', BAD + file);
      expect(code).toBe(1);
      expect(out).toContain(`${kind}: `);
    }
  });

  it('exits 2 when the archive cannot be read', async () => {
    for (const file of [
      BAD + 'oci-index-not-json.tar',
      BAD + 'truncated-oci-archive-in-header.tar',
      '/nonexistent.tar',
    ]) {
      const { code, out, err } = await cli('verify', file);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('prints the report JSON with its verification filled in', async () => {
    const { code, out } = await cli('verify', '--format', 'json', BAD + 'oci-diffid-mismatch.tar');
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.schema).toBe('stevedore.report/v1');
    expect(json.verification.status).toBe('failed');
    expect(json.verification.checks).toHaveLength(10);
    expect(json.verification.checks.filter((c: { ok: boolean }) => !c.ok)).toMatchObject([
      { kind: 'diff-id' },
    ]);
    const good = await cli('verify', '--format=json', FIXTURES + 'trivy-alpine-310.tar.gz');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out).verification).toMatchObject({ status: 'ok' });
  });

  it('gives the same exit codes from the real binary', async () => {
    await expect(
      run('node', [bin, 'verify', FIXTURES + 'dive-test-oci-zstd-image.tar']),
    ).resolves.toMatchObject({ stdout: '' });
    await expect(
      run('node', [bin, 'verify', BAD + 'oci-diffid-mismatch.tar']),
    ).rejects.toMatchObject({ code: 1 });
    await expect(
      run('node', [bin, 'verify', BAD + 'ggcr-null_manifest.tar']),
    ).rejects.toMatchObject({ code: 2 });
  }, 60_000);

  it('verifies an OCI layout directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stevedore-verify-'));
    try {
      await run('tar', ['-xf', FIXTURES + 'gen-buildah-multiarch-oci-archive.tar', '-C', dir]);
      const { code, err } = await cli('verify', dir);
      expect(code).toBe(0);
      expect(err).toBe(`stevedore: ${dir}: 45 checks passed\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
