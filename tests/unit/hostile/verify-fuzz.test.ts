import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { ArchiveError } from '../../../src/lib/errors.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { blobPath } from '../../../src/lib/oci/digest.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { FIXTURES } from '../../support/paths.ts';
import { expectOkMeansEverythingHashed } from '../../support/verified.ts';

const fixtures = FIXTURES;
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

// Uncompressed tar, gzip layers (OCI index), legacy docker save: the three ways blobs are named.
const inputs = [
  'dive-test-oci-uncompressed-image.tar',
  'gen-buildah-multiarch-oci-archive.tar',
  'gen-buildah-docker-archive-arm64-v8.tar',
].map((name) => ({ name, bytes: new Uint8Array(readFileSync(fixtures + name)) }));

/** Verifies mutated bytes; checks every "ok" against an independent hash of the same bytes. */
async function verifyMutated(bytes: Uint8Array, flipped: number[]) {
  let archive, report;
  try {
    archive = await openArchive(bytesSource(bytes, 'fuzz.tar'));
    report = await inspectArchive(archive);
  } catch (error) {
    if (error instanceof ArchiveError) return;
    throw error;
  }
  const { verification } = await verifyInProcess(archive, report);
  // ok implies every descriptor of every manifest shown was hashed in this run.
  expectOkMeansEverythingHashed({ ...report, verification });
  for (const check of verification.checks.filter((c) => c.ok)) {
    expect(check.actual).toBe(check.expected);
    if (check.kind !== 'blob-digest' && check.kind !== 'diff-id') continue;
    const entry = archive.lookup(blobPath(check.target)) ?? archive.lookup(check.target);
    if (!entry) continue;
    const stored = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.size);
    const content = check.kind === 'diff-id' && stored[0] === 0x1f ? gunzipSync(stored) : stored;
    if (check.kind === 'blob-digest') expect(sha256(content), check.target).toBe(check.expected);
  }
  // A flipped byte inside a blob the report relies on can never leave the archive "ok".
  const blobs = archive.entries.filter((e) => e.type === 'file' && e.size > 0 && e.name);
  const hit = blobs.some((e) =>
    flipped.some((at) => at >= e.dataOffset && at < e.dataOffset + e.size),
  );
  const used = verification.checks.length > 0;
  if (hit && used && verification.status === 'ok') {
    // Only entries no check covers (e.g. `oci-layout`, `repositories`) may change unnoticed.
    const covered = new Set(verification.checks.map((c) => c.target));
    const changed = blobs.filter((e) =>
      flipped.some((at) => at >= e.dataOffset && at < e.dataOffset + e.size),
    );
    for (const e of changed) {
      expect(
        covered.has(e.name!) || [...covered].some((t) => blobPath(t) === e.name),
        e.name!,
      ).toBe(false);
    }
  }
}

describe('verification never claims a wrong digest as verified', () => {
  for (const { name, bytes } of inputs) {
    it(`${name}: byte flips anywhere`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.nat(bytes.length - 1), { minLength: 1, maxLength: 4 }),
          async (at) => {
            const copy = bytes.slice();
            for (const i of at) copy[i]! ^= 0x5a;
            await verifyMutated(copy, at);
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
});
