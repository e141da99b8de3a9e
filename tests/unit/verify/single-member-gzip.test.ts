/**
 * Chromium's DecompressionStream stops after the first gzip member ("Junk found after end of
 * compressed data"). Node's does not, so this file stands one in for it: eStargz layers must
 * still verify, read again with fflate, and other gzip errors must not be retried.
 */
import { readFileSync } from 'node:fs';
import { Gunzip } from 'fflate';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { streamReader } from '../../../src/lib/archive/blob-reader.ts';
import { digestBlob } from '../../../src/lib/verify/digest.ts';
import { nativeGzipReadsAllMembers, preferredGzip } from '../../../src/lib/verify/inflate.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { FIXTURES } from './helpers.ts';

/** A gzip DecompressionStream that fails, as Chromium 156's does, where a second member starts;
 * `streams` counts those made. */
let streams = 0;
class FirstMemberOnly extends TransformStream<Uint8Array, Uint8Array> {
  constructor(format: string) {
    if (format !== 'gzip') throw new TypeError(`unsupported ${format}`);
    streams++;
    let gunzip: Gunzip;
    let second = false;
    super({
      start(controller) {
        gunzip = new Gunzip((data) => controller.enqueue(data.slice()));
        gunzip.onmember = () => (second = true);
      },
      transform(chunk) {
        gunzip.push(chunk);
        if (second) throw new TypeError('Junk found after end of compressed data.');
      },
      flush() {
        gunzip.push(new Uint8Array(0), true);
      },
    });
  }
}

beforeAll(() => {
  vi.stubGlobal('DecompressionStream', FirstMemberOnly);
  return () => vi.unstubAllGlobals();
});

async function estargz() {
  const file = new Uint8Array(readFileSync(FIXTURES + 'dive-test-oci-estargz-image.tar'));
  const archive = await openArchive(bytesSource(file, 'estargz.tar'));
  return { archive, report: await inspectArchive(archive) };
}

describe('a DecompressionStream that stops after one gzip member', () => {
  it('is noticed by the probe, and single passes use fflate from the start', async () => {
    expect(await nativeGzipReadsAllMembers()).toBe(false);
    expect(await preferredGzip(false)).toBe('native');
    expect(await preferredGzip(true)).toBe('portable');
  });

  it('makes an eStargz layer be read again with fflate, which gets its diff_id right', async () => {
    const { archive, report } = await estargz();
    const before = streams;
    const { verification } = await verifyInProcess(archive, report);
    expect(verification.status).toBe('ok');
    expect(verification.checks.find((c) => c.kind === 'diff-id')).toMatchObject({
      actual: 'sha256:2b3dbfdf131b60e153f6c11e1781c35dcaab001dde8f65c5efaad5813817800e',
      ok: true,
    });
    expect(streams - before).toBe(1); // tried natively once, then fflate
  });

  it('does not retry other gzip failures (a bad CRC stays a failure)', async () => {
    const bytes = new Uint8Array([
      0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0x4b, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    ]);
    vi.stubGlobal(
      'DecompressionStream',
      class extends TransformStream {
        constructor() {
          streams++;
          super({
            transform() {
              throw new TypeError('The compressed data was not valid: incorrect data check.');
            },
          });
        }
      },
    );
    const before = streams;
    const reader = streamReader(bytes.length, () =>
      bytesSource(bytes, 'x').stream(0, bytes.length),
    );
    const result = await digestBlob(
      { id: 1, name: 'x', size: bytes.length, dataOffset: 0, decode: 'gzip' },
      reader,
    );
    expect(result.content).toEqual({
      format: 'gzip',
      error: 'not a valid gzip stream: incorrect data check',
    });
    expect(streams - before).toBe(1);
    vi.stubGlobal('DecompressionStream', FirstMemberOnly);
  });
});
