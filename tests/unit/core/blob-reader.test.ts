import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_STALLS, blobReader } from '../../../src/lib/archive/blob-reader.ts';
import { FIXTURES } from './helpers.ts';
import { stallingBlob } from '../../support/stalling-blob.ts';

function pattern(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + (i >> 11)) & 255;
  return bytes;
}

const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Reads through `reader` and returns the sha256 of what came, and the chunks' buffers. */
async function readAll(reader: ReturnType<typeof blobReader>, signal?: AbortSignal) {
  const hash = createHash('sha256');
  const buffers: ArrayBufferLike[] = [];
  const sizes: number[] = [];
  const length = await reader.read((chunk) => {
    hash.update(chunk);
    buffers.push(chunk.buffer);
    sizes.push(chunk.buffer.byteLength);
  }, signal);
  return { hex: hash.digest('hex'), length, buffers, sizes };
}

describe('BYOB blob reader', () => {
  it('reads every byte in order through one reused buffer', async () => {
    const bytes = pattern(3_000_000);
    const { blob, opened } = stallingBlob(bytes, []);
    const reader = blobReader(blob, 0, bytes.length, { bufferBytes: 1 << 20 });
    const { hex, length, buffers, sizes } = await readAll(reader);
    expect(length).toBe(bytes.length);
    expect(hex).toBe(sha(bytes));
    expect(opened).toEqual([0]);
    // Every chunk is a view of the 1 MiB buffer, which goes back into the next read: each
    // chunk's buffer is detached (transferred) once the next read is made.
    expect(sizes.length).toBe(30);
    expect(sizes.every((n) => n === 1 << 20)).toBe(true);
    expect(buffers.slice(0, -1).every((b) => b.byteLength === 0)).toBe(true);
  });

  it('resumes a read that stalls from a fresh slice at the offset it had reached', async () => {
    const bytes = pattern(1_000_000);
    const { blob, opened } = stallingBlob(bytes, [300_000, 700_000]);
    const stalledAt: number[] = [];
    const started = Date.now();
    const reader = blobReader(blob, 0, bytes.length, {
      stallMs: 50,
      onStall: (offset) => stalledAt.push(offset),
    });
    const { hex, length } = await readAll(reader);
    expect(length).toBe(bytes.length);
    expect(hex).toBe(sha(bytes));
    expect(stalledAt).toEqual([300_000, 700_000]);
    expect(opened).toEqual([0, 300_000, 700_000]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('resumes within a range of a larger blob', async () => {
    const bytes = pattern(500_000);
    const { blob, opened } = stallingBlob(bytes, [250_000]);
    const { hex } = await readAll(blobReader(blob, 100_000, 400_000, { stallMs: 20 }));
    expect(hex).toBe(sha(bytes.subarray(100_000, 400_000)));
    expect(opened).toEqual([100_000, 250_000]);
  });

  it(`gives up after ${MAX_STALLS} stalls in a row at the same place`, async () => {
    // Every stream it opens stalls at once.
    const stream = () => new ReadableStream({ type: 'bytes', pull: () => new Promise(() => {}) });
    const stuck = { size: 200_000, slice: () => ({ stream }) } as unknown as Blob;
    await expect(readAll(blobReader(stuck, 0, 200_000, { stallMs: 10 }))).rejects.toThrow(
      `reading stalled ${MAX_STALLS} times at byte 0`,
    );
  });

  it('stops at once when aborted during a stalled read', async () => {
    const bytes = pattern(200_000);
    const { blob } = stallingBlob(bytes, [100_000]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled by test')), 30);
    // Its watchdog waits 10 s; the test's own limit (5 s) fails it unless the abort ends the read.
    await expect(
      readAll(blobReader(blob, 0, bytes.length, { stallMs: 10_000 }), controller.signal),
    ).rejects.toThrow('cancelled by test');
  }, 5_000);

  it('says so when the blob ends early', async () => {
    const bytes = pattern(200_000);
    const { blob } = stallingBlob(bytes, [], { endEarly: 150_000 });
    await expect(readAll(blobReader(blob))).rejects.toThrow(
      'the data ends after 150000 of 200000 bytes',
    );
    await expect(blobReader(blob).readAll()).rejects.toThrow(
      'the data ends after 150000 of 200000 bytes',
    );
  });

  it('reads a range of a real file Blob', async () => {
    const path = FIXTURES + 'gen-buildah-multiarch-oci-archive.tar';
    const blob = await openAsBlob(path);
    const whole = new Uint8Array(await blob.arrayBuffer());
    const { hex, length } = await readAll(blobReader(blob, 1536, 9000));
    expect(length).toBe(9000 - 1536);
    expect(hex).toBe(sha(whole.subarray(1536, 9000)));
    expect(sha(await blobReader(blob, 1536, 9000).readAll())).toBe(hex);
  });
});
