/**
 * A corrupt gzip layer fails with words about the data ("not a valid gzip stream: incorrect data
 * check"), never with a decoder's API ("Failed to execute 'write' on
 * 'WritableStreamDefaultWriter': …", as Chromium's DecompressionStream words it); a cut stream
 * says it is cut; a failed read of the source is passed on as it is.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { type ChunkReader, streamReader } from '../../../src/lib/archive/blob-reader.ts';
import { GzipError, gunzipStream } from '../../../src/lib/archive/gunzip.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { digestBlob } from '../../../src/lib/verify/digest.ts';
import { sha256 } from '../../support/tar.ts';
import { FIXTURES } from './helpers.ts';

/** The kaniko fixture's gzip layer: 764,655 bytes, a real layer as built. */
async function realLayer(): Promise<Uint8Array> {
  const file = readFileSync(FIXTURES + 'dive-test-kaniko-image.tar');
  const archive = await openArchive(bytesSource(new Uint8Array(file), 'kaniko.tar'));
  const entry = archive.lookup(
    '5c4213be9af904dd74649d250f22023f532b2f9179ffcb15260b5eaa10d7a3b4.tar.gz',
  )!;
  return archive.read(entry, entry.size);
}

/** Returns a reader over bytes in memory, in pieces of `piece` bytes. */
function memoryReader(bytes: Uint8Array, piece = 1 << 20): ChunkReader {
  const open = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += piece)
          controller.enqueue(bytes.slice(at, at + piece));
        controller.close();
      },
    });
  return streamReader(bytes.length, open, async () => bytes.slice());
}

async function decodeLayer(bytes: Uint8Array) {
  const job = { id: 1, name: 'layer', size: bytes.length, dataOffset: 0, decode: 'gzip' as const };
  return digestBlob(job, memoryReader(bytes, 100_000));
}

/** Returns a copy of `bytes` with the byte at `at` flipped. */
function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at]! ^= 0xff;
  return copy;
}

describe('a corrupt gzip layer fails with a message about the data', () => {
  it('the real layer decodes as Node does (the test stands on a valid layer)', async () => {
    const layer = await realLayer();
    const raw = gunzipSync(layer);
    const { content } = await decodeLayer(layer);
    expect(content).toMatchObject({ format: 'gzip', sha256: sha256(raw), length: raw.length });
  });

  it('a flipped byte in the middle: "not a valid gzip stream: <zlib\'s word>"', async () => {
    const layer = await realLayer();
    const bad = flipped(layer, Math.floor(layer.length / 2));
    const { content } = await decodeLayer(bad);
    expect(content).toMatchObject({ format: 'gzip' });
    const error = (content as { error: string }).error;
    expect(error).toMatch(/^not a valid gzip stream: [a-z]/);
    expect(error).not.toMatch(/Failed to execute|WritableStream|TypeError/);
  });

  it('a flipped block header: "not a valid gzip stream: <zlib\'s word>"', async () => {
    const layer = await realLayer();
    // Byte 10 is the first deflate block's header (no FNAME in this layer's gzip header).
    expect(layer[3]).toBe(0);
    const { content } = await decodeLayer(flipped(layer, 10));
    // zlib reads other blocks from there, and their bytes fail the CRC-32.
    expect((content as { error: string }).error).toBe(
      'not a valid gzip stream: incorrect data check',
    );
  });

  it('a cut layer says that it ends early', async () => {
    const layer = await realLayer();
    const cut = layer.subarray(0, layer.length - 5000);
    const { content } = await decodeLayer(cut);
    expect(content).toMatchObject({
      format: 'gzip',
      error: 'the gzip stream ends early: the data is cut short',
    });
  });
});

describe('gunzipStream (a gzip-compressed archive)', () => {
  async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
    let n = 0;
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return n;
      n += value.length;
    }
  }

  it('a corrupt stream fails with a GzipError', async () => {
    const gz = gzipSync(Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) ^ (i >> 8)));
    const bad = flipped(gz, gz.length - 6); // the stored CRC
    const error = await drain(gunzipStream(memoryReader(bad))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GzipError);
    expect((error as Error).message).toMatch(/^not a valid gzip stream: [a-z]/);
  });

  it('a failed read of the source is passed on as it is, not called a gzip fault', async () => {
    const gz = gzipSync(new Uint8Array(300_000));
    const failing: ChunkReader = {
      size: gz.length,
      async read(onChunk) {
        await onChunk(gz.subarray(0, 100));
        throw new Error('the disk went away');
      },
      readAll: async () => gz,
    };
    const error = await drain(gunzipStream(failing)).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(GzipError);
    expect((error as Error).message).toBe('the disk went away');
  });
});
