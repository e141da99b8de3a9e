/**
 * Layers inflate with the project's own zlib (WebAssembly), not the platform's
 * DecompressionStream (Chromium's stops after the first gzip member, and was slower here): with
 * no DecompressionStream at all, an eStargz layer (one gzip member per file) still gets its
 * diff_id right in one read, and a gzip-compressed archive still opens and verifies.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { FIXTURES } from './helpers.ts';

beforeAll(() => {
  vi.stubGlobal('DecompressionStream', undefined);
});
afterAll(() => {
  vi.unstubAllGlobals();
});

async function verify(bytes: Uint8Array, name: string) {
  const archive = await openArchive(bytesSource(bytes, name));
  const report = await inspectArchive(archive);
  return (await verifyInProcess(archive, report)).verification;
}

describe('without a DecompressionStream', () => {
  it('an eStargz layer verifies, its diff_id read across all its members', async () => {
    expect(globalThis.DecompressionStream).toBeUndefined();
    const file = new Uint8Array(readFileSync(FIXTURES + 'dive-test-oci-estargz-image.tar'));
    const verification = await verify(file, 'estargz.tar');
    expect(verification.status).toBe('ok');
    expect(verification.checks.find((c) => c.kind === 'diff-id')).toMatchObject({
      actual: 'sha256:2b3dbfdf131b60e153f6c11e1781c35dcaab001dde8f65c5efaad5813817800e',
      ok: true,
    });
  });

  it('a gzip-compressed archive (.tar.gz) opens and verifies', async () => {
    const file = readFileSync(FIXTURES + 'dive-test-oci-estargz-image.tar');
    const verification = await verify(new Uint8Array(gzipSync(file)), 'estargz.tar.gz');
    expect(verification.status).toBe('ok');
  });
});
