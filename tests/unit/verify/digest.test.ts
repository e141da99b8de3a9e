import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { streamReader } from '../../../src/lib/archive/blob-reader.ts';
import { type DigestBlobOptions, digestBlob } from '../../../src/lib/verify/digest.ts';
import { browserEngine } from '../../../src/lib/verify/hash.ts';
import { sniffFormat } from '../../../src/lib/verify/inflate.ts';
import type { BlobJob, Decoding } from '../../../src/lib/verify/model.ts';
import { sha256 } from '../../support/tar.ts';
import { FIXTURES } from './helpers.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';

/** Returns a reader over bytes in memory, streamed 1 MiB at a time. */
function memoryReader(bytes: Uint8Array) {
  const stream = () => bytesSource(bytes, 'x').stream(0, bytes.length);
  return streamReader(bytes.length, stream, async () => bytes.slice());
}

function job(bytes: Uint8Array, decode: Decoding | null): BlobJob {
  return { id: 7, name: 'blob', size: bytes.length, dataOffset: 0, decode };
}

async function digest(bytes: Uint8Array, decode: Decoding | null, options: DigestBlobOptions = {}) {
  return digestBlob(job(bytes, decode), memoryReader(bytes), options);
}

/** The eStargz layer of the dive fixture: 4 gzip members, 4,496 bytes. */
async function estargzLayer(): Promise<Uint8Array> {
  const file = readFileSync(FIXTURES + 'dive-test-oci-estargz-image.tar');
  const archive = await openArchive(bytesSource(new Uint8Array(file), 'estargz.tar'));
  const entry = archive.lookup(
    'blobs/sha256/faae588a698ab938e22085e54a6ee1dcab88eca70618c8cca18cd1169ce7cb5a',
  )!;
  return archive.read(entry, entry.size);
}

const ESTARGZ_DIFF_ID = 'sha256:2b3dbfdf131b60e153f6c11e1781c35dcaab001dde8f65c5efaad5813817800e';
const big = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31) ^ (i >> 9));

describe('digestBlob', () => {
  it('gives the stored digest and length alone when no diff_id needs decoding', async () => {
    const bytes = big(700_000);
    expect(await digest(bytes, null)).toEqual({
      id: 7,
      sha256: sha256(bytes),
      length: 700_000,
      content: null,
    });
  });

  it('uses the stored digest as the content digest of an uncompressed layer', async () => {
    for (const size of [1000, 700_000]) {
      const bytes = big(size);
      const result = await digest(bytes, 'none');
      expect(result.content).toEqual({ format: 'none', sha256: sha256(bytes), length: size });
    }
  });

  it('decodes zstd (the dive fixture layer)', async () => {
    const file = readFileSync(FIXTURES + 'dive-test-oci-zstd-image.tar');
    const archive = await openArchive(bytesSource(new Uint8Array(file), 'zstd.tar'));
    const hex = '0308a5d81b28debb7e24a609dcdfca5fdb64c908bda38b0e4774a7d017a67297';
    const entry = archive.lookup(`blobs/sha256/${hex}`)!;
    const result = await digest(await archive.read(entry, entry.size), 'zstd');
    expect(result.sha256).toBe(`sha256:${hex}`);
    expect(result.content).toEqual({
      format: 'zstd',
      sha256: 'sha256:356d5e7f4012d87cb1078ac1f480e90528eec4940ce45c50380321436db38758',
      length: 12800,
    });
  });

  it('decodes gzip, whole small blobs and streamed large ones alike', async () => {
    const raw = big(3_000_000);
    for (const bytes of [gzipSync(raw), gzipSync(raw.subarray(0, 1000))]) {
      const expected = bytes.length > 100_000 ? raw : raw.subarray(0, 1000);
      const result = await digest(bytes, 'gzip');
      expect(result.sha256).toBe(sha256(bytes));
      expect(result.content).toEqual({
        format: 'gzip',
        sha256: sha256(expected),
        length: expected.length,
      });
    }
  });

  it('reads every member of an eStargz layer in one pass', async () => {
    const layer = await estargzLayer();
    const result = await digest(layer, 'gzip');
    expect(result.content).toEqual({ format: 'gzip', sha256: ESTARGZ_DIFF_ID, length: 14848 });
  });

  it('sniffs the compression where no media type says, even from a first chunk of 1 byte', async () => {
    const raw = big(5000);
    const gz = gzipSync(raw);
    const reader = streamReader(gz.length, () => {
      let at = 0;
      return new ReadableStream({
        pull(c) {
          if (at >= gz.length) return c.close();
          const n = at === 0 ? 1 : 3;
          c.enqueue(gz.slice(at, (at += n)));
        },
      });
    });
    const engine = { ...browserEngine, wholeLimit: 0 };
    const result = await digestBlob(job(gz, 'auto'), reader, { engine });
    expect(result.content).toEqual({ format: 'gzip', sha256: sha256(raw), length: 5000 });
    expect((await digest(raw, 'auto')).content).toMatchObject({
      format: 'none',
      sha256: sha256(raw),
    });
  });

  it('says why content cannot be decoded, and still gives the stored digest', async () => {
    const bytes = gzipSync(big(100_000)).subarray(0, 5000);
    const result = await digest(bytes, 'gzip');
    expect(result.sha256).toBe(sha256(bytes));
    expect(result.content).toMatchObject({ format: 'gzip', error: expect.any(String) });
    const xz = new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2, 3]);
    expect((await digest(xz, 'auto')).content).toEqual({
      format: null,
      error: 'xz is not supported',
      unsupported: true,
    });
  });

  it('reports bytes read and decoded', async () => {
    const raw = big(2_000_000);
    const gz = gzipSync(raw);
    let last: [number, number] = [0, 0];
    const engine = { ...browserEngine, wholeLimit: 0 };
    await digestBlob(job(gz, 'gzip'), memoryReader(gz), {
      engine,
      onProgress: (r, d) => (last = [r, d]),
    });
    expect(last[0]).toBe(gz.length);
    expect(last[1]).toBeGreaterThan(1_000_000);
  });
});

describe('sniffFormat', () => {
  it('knows gzip, zstd, and what it cannot decode', () => {
    expect(sniffFormat(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]))).toBe('gzip');
    expect(sniffFormat(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0, 0]))).toBe('zstd');
    expect(sniffFormat(new TextEncoder().encode('BZh91AY'))).toEqual({ unsupported: 'bzip2' });
    expect(sniffFormat(new TextEncoder().encode('hello!'))).toBe('none');
  });
});
