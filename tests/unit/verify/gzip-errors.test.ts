/**
 * A corrupt gzip layer fails with words about the data ("not a valid gzip stream: incorrect data
 * check"), never with the decoder's API ("Failed to execute 'write' on
 * 'WritableStreamDefaultWriter': …", as Chromium words it); a cut stream says it is cut; a failed
 * read of the source is passed on as it is.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { type ChunkReader, streamReader } from '../../../src/lib/archive/blob-reader.ts';
import { GzipError, gunzipStream, gzipError } from '../../../src/lib/archive/gunzip.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { digestBlob } from '../../../src/lib/verify/digest.ts';
import type { GzipDecoder } from '../../../src/lib/verify/inflate.ts';
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

async function decodeLayer(bytes: Uint8Array, gzip: GzipDecoder) {
  const job = { id: 1, name: 'layer', size: bytes.length, dataOffset: 0, decode: 'gzip' as const };
  return digestBlob(job, memoryReader(bytes, 100_000), { gzip });
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
    for (const gzip of ['native', 'portable'] as const) {
      const { content } = await decodeLayer(layer, gzip);
      expect(content).toMatchObject({ format: 'gzip', sha256: sha256(raw), length: raw.length });
    }
  });

  it('a flipped byte in the middle: "not a valid gzip stream: <zlib\'s word>"', async () => {
    const layer = await realLayer();
    const bad = flipped(layer, Math.floor(layer.length / 2));
    const { content } = await decodeLayer(bad, 'native');
    expect(content).toMatchObject({ format: 'gzip' });
    const error = (content as { error: string }).error;
    expect(error).toMatch(/^not a valid gzip stream: [a-z]/);
    expect(error).not.toMatch(/Failed to execute|WritableStream|TypeError/);
  });

  it('a flipped block header: fflate says so too (fflate checks no CRC: only bad structure)', async () => {
    const layer = await realLayer();
    // Byte 10 is the first deflate block's header (no FNAME in this layer's gzip header).
    expect(layer[3]).toBe(0);
    for (const gzip of ['native', 'portable'] as const) {
      const { content } = await decodeLayer(flipped(layer, 10), gzip);
      expect((content as { error: string }).error).toMatch(/^not a valid gzip stream: [a-z]/);
    }
  });

  it('a cut layer says that it ends early', async () => {
    const layer = await realLayer();
    const cut = layer.subarray(0, layer.length - 5000);
    for (const gzip of ['native', 'portable'] as const) {
      const { content } = await decodeLayer(cut, gzip);
      expect(content).toMatchObject({
        format: 'gzip',
        error: 'the gzip stream ends early: the data is cut short',
      });
    }
  });
});

describe('gzipError', () => {
  // As Chromium 156's DecompressionStream words them (seen with a byte-flipped stream).
  const chromium = [
    [
      "TypeError: Failed to execute 'write' on 'WritableStreamDefaultWriter': The compressed data was not valid: incorrect data check.",
      'not a valid gzip stream: incorrect data check',
    ],
    [
      'TypeError: The compressed data was not valid: unknown header flags set.',
      'not a valid gzip stream: unknown header flags set',
    ],
    [
      "Failed to execute 'close' on 'WritableStreamDefaultWriter': Compressed input was truncated.",
      'the gzip stream ends early: the data is cut short',
    ],
    [
      "Failed to execute 'write' on 'WritableStreamDefaultWriter': Junk found after end of compressed data.",
      'not a valid gzip stream: junk after the end of the compressed data',
    ],
  ] as const;

  it.each(chromium)('%s', (input, message) => {
    const out = gzipError(new TypeError(input.replace(/^TypeError: /, '')));
    expect(out).toBeInstanceOf(GzipError);
    expect((out as Error).message).toBe(message);
  });

  it('passes an abort through, and a GzipError as it is', () => {
    const abort = new DOMException('stopped', 'AbortError');
    expect(gzipError(abort)).toBe(abort);
    const once = gzipError(new Error('invalid distance'));
    expect(gzipError(once)).toBe(once);
    expect((once as Error).message).toBe('not a valid gzip stream: invalid distance');
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
