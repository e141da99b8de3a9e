/**
 * A zstd frame header may ask for a window of up to 2 GiB (or, single-segment, a content size
 * that is its window). With fzstd (the decoder before libzstd) the 10-byte frames below grew
 * this process by ~1.9 GB and took ~10 s for one 1-byte block each, and a flood of 1-byte
 * blocks copied a 128 MiB window per block. libzstd is told the limit (ZSTD_d_windowLogMax):
 * it refuses such a frame before allocating its window, and keeps its window as a ring.
 */
import { openAsBlob } from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handleRequest } from '../../../workers/verify-job.ts';
import type { VerifyReply } from '../../../workers/messages.ts';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { streamReader } from '../../../src/lib/archive/blob-reader.ts';
import { digestBlob } from '../../../src/lib/verify/digest.ts';
import { createDecoder, decoderModules } from '../../../src/lib/verify/inflate.ts';
import type { BlobJob } from '../../../src/lib/verify/model.ts';
import { Unzstd, ZstdWindowError, unzstdModule } from '../../../src/lib/verify/unzstd.ts';
import { MAX_ZSTD_WINDOW } from '../../../src/lib/limits.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { blob, ociArchive } from '../../support/oci.ts';
import { sha256 } from '../../support/tar.ts';

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** A last raw block of `text` (ASCII, < 8 KiB). */
const lastRaw = (text: string) => [
  ((text.length << 3) | 1) & 0xff,
  (text.length >> 5) & 0xff,
  0,
  ...[...text].map((c) => c.charCodeAt(0)),
];
/** Window descriptor 0xA7: 2^30 + 7 * 2^27 = 1920 MiB, the largest fzstd accepts. */
const BIG_WINDOW = new Uint8Array([...MAGIC, 0x00, 0xa7, ...lastRaw('a')]);
/** Single segment, 4-byte content size 0x7FE00000 = 2046 MiB (fzstd's own ceiling). */
const BIG_CONTENT = new Uint8Array([...MAGIC, 0xa0, 0x00, 0x00, 0xe0, 0x7f, ...lastRaw('a')]);
/** A small frame: 1 KiB window, "hello". */
const HELLO = new Uint8Array([...MAGIC, 0x00, 0x00, ...lastRaw('hello')]);
/** A skippable frame holding 3 bytes. */
const SKIPPABLE = new Uint8Array([0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]);

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

/** Decodes `data` pushed in pieces of `step` bytes; returns the text, the error and the peak
 * growth of the process's RSS. */
async function decode(data: Uint8Array, step = data.length) {
  const before = process.memoryUsage().rss;
  let peak = before;
  let text = '';
  const decoder = createDecoder(
    'zstd',
    (chunk) => {
      peak = Math.max(peak, process.memoryUsage().rss);
      text += new TextDecoder().decode(chunk);
    },
    await decoderModules(),
  );
  let error: unknown = null;
  try {
    for (let at = 0; at < data.length; at += step) await decoder.push(data.subarray(at, at + step));
    await decoder.end();
  } catch (e) {
    error = e;
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { text, error, grewMB: (peak - before) / 1e6 };
}

describe('the window limit', () => {
  it('allows exactly the limit and refuses a byte more (single-segment content sizes)', async () => {
    /** A single-segment frame of `size` bytes announced, holding one empty last raw block. */
    const frame = (size: number) =>
      new Uint8Array([...MAGIC, 0xa0, ...new Uint8Array(new Uint32Array([size]).buffer), 1, 0, 0]);
    const unzstd = await unzstdModule();
    const run = (size: number) => {
      const u = new Unzstd(unzstd, () => {});
      try {
        u.push(frame(size));
        return 'read';
      } catch (error) {
        return error instanceof ZstdWindowError ? error.message : `other: ${String(error)}`;
      }
    };
    // Within the limit the frame is read (and then found short of its announced content).
    expect(run(MAX_ZSTD_WINDOW)).not.toMatch(/window/);
    expect(run(MAX_ZSTD_WINDOW + 1)).toBe(
      'zstd frame asks for a 128.1 MiB window, more than the 128 MiB limit',
    );
  });

  it('reads the 1 GiB bomb fixture’s frame header (an 8 MiB window) without refusing it', async () => {
    const header = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x84, 0x68, 0x00, 0x06, 0x00, 0x40]);
    const u = new Unzstd(await unzstdModule(), () => {});
    expect(() => u.push(header)).not.toThrow();
    expect(() => u.finish()).toThrow(/ends inside a frame/);
  });
});

describe('a zstd layer asking for a huge window', () => {
  it('is refused before its window is allocated: a 1920 MiB window descriptor', async () => {
    const { error, grewMB } = await decode(BIG_WINDOW);
    expect(error).toBeInstanceOf(ZstdWindowError);
    expect((error as Error).message).toBe(
      'zstd frame asks for a 1920 MiB window, more than the 128 MiB limit',
    );
    expect(grewMB).toBeLessThan(50);
  });

  it('is refused before its window is allocated: a 2046 MiB single-segment content size', async () => {
    const { error, grewMB } = await decode(BIG_CONTENT);
    expect((error as Error).message).toBe(
      'zstd frame asks for a 2046 MiB window, more than the 128 MiB limit',
    );
    expect(grewMB).toBeLessThan(50);
  });

  it('refuses a 2 GiB window with the same message', async () => {
    const { error } = await decode(new Uint8Array([...MAGIC, 0x00, 0xa8, ...lastRaw('a')]));
    expect((error as Error).message).toBe(
      'zstd frame asks for a window of 2 GiB or more, more than the 128 MiB limit',
    );
  });

  it('checks every frame as it arrives: a good frame, a skippable one, then a huge one', async () => {
    const stream = concat(HELLO, SKIPPABLE, HELLO, BIG_WINDOW);
    for (const step of [1, 7, stream.length]) {
      const { text, error, grewMB } = await decode(stream, step);
      expect(text).toBe('hellohello');
      expect((error as Error).message).toMatch(/^zstd frame asks for a 1920 MiB window/);
      expect(grewMB).toBeLessThan(50);
    }
  });

  it('still decodes frames within the limit, header split byte by byte', async () => {
    const stream = concat(SKIPPABLE, HELLO, HELLO);
    expect(await decode(stream, 1)).toMatchObject({ text: 'hellohello', error: null });
  });

  it('says where zstd data ends inside a frame', async () => {
    const { error } = await decode(concat(HELLO, BIG_WINDOW.subarray(0, 5)));
    expect((error as Error).message).toBe(
      `not a valid zstd stream: the data ends inside a frame (at byte ${HELLO.length + 5})`,
    );
  });

  it('reads a flood of 1-byte blocks under a 128 MiB window without copying the window', async () => {
    // 128 MiB window (0x88), then 4-byte raw blocks of 1 byte: fzstd shifted its whole window
    // along after each (20,000 of them, 80 KB, took minutes); libzstd writes into a ring.
    const blocks = 20_000;
    const flood = new Uint8Array(6 + 4 * blocks);
    flood.set([...MAGIC, 0x00, 0x88]);
    for (let i = 0; i < blocks; i++)
      flood.set([i === blocks - 1 ? 0x09 : 0x08, 0, 0, 0x61], 6 + 4 * i);
    const { text, error, grewMB } = await decode(flood);
    expect(error).toBeNull();
    expect(text).toBe('a'.repeat(blocks));
    expect(grewMB).toBeLessThan(300);
  });

  it('refuses a frame whose checksum does not match its content', async () => {
    // Checksum flag set (0x04), "hello", then a 4-byte checksum that is not XXH64's.
    const bad = new Uint8Array([...MAGIC, 0x04, 0x00, ...lastRaw('hello'), 1, 2, 3, 4]);
    const { error } = await decode(bad);
    expect((error as Error).message).toBe(
      "not a valid zstd stream: Restored data doesn't match checksum",
    );
  });

  it('lets empty blocks by', async () => {
    const blocks = 5_000;
    const empties = new Uint8Array(6 + 3 * blocks + 4);
    empties.set([...MAGIC, 0x00, 0x88]);
    empties.set(lastRaw('a'), empties.length - 4);
    expect(await decode(empties)).toMatchObject({ text: 'a', error: null });
  });
});

describe('the refusal reaches the layer’s result', () => {
  const job: BlobJob = { id: 3, name: 'blobs/sha256/x', size: 0, dataOffset: 0, decode: 'zstd' };
  const dir = mkdtempSync(path.join(tmpdir(), 'zstd-window-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('in this thread (digestBlob, as verifyInProcess reads): not checkable, with why', async () => {
    for (const data of [BIG_WINDOW, BIG_CONTENT]) {
      const reader = streamReader(
        data.length,
        () => bytesSource(data, 'x').stream(0, data.length),
        async () => data.slice(),
      );
      const result = await digestBlob({ ...job, size: data.length }, reader);
      expect(result.content).toEqual({
        format: 'zstd',
        error: expect.stringMatching(
          /^zstd frame asks for a (1920|2046) MiB window, more than the 128 MiB limit$/,
        ),
        unsupported: true,
      });
    }
  });

  it('in the worker job: a result, then done', async () => {
    const file = path.join(dir, 'layer.zst');
    writeFileSync(file, BIG_WINDOW);
    const replies: VerifyReply[] = [];
    const request = { type: 'digest' as const, id: 9, job: { ...job, size: BIG_WINDOW.length } };
    await handleRequest(
      { ...request, blob: await openAsBlob(file), start: 0, end: BIG_WINDOW.length },
      (reply) => replies.push(reply),
    );
    expect(replies.filter((r) => r.type !== 'progress')).toMatchObject([
      {
        type: 'result',
        result: {
          id: 3,
          content: {
            format: 'zstd',
            error: 'zstd frame asks for a 1920 MiB window, more than the 128 MiB limit',
            unsupported: true,
          },
        },
      },
      { type: 'done', id: 9 },
    ]);
  });
});

/** Returns an OCI archive whose one layer is `layer`, a zstd blob claiming `diffId`. */
function zstdArchive(layer: Uint8Array, diffId: string): Uint8Array {
  return ociArchive({
    layer: { layer: blob(layer), diffId, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' },
  });
}

describe('an image whose zstd layer asks for a huge window', () => {
  it('verifies partial: blobs checked, the diff_id not checkable, and why', async () => {
    const archive = await openArchive(
      bytesSource(zstdArchive(BIG_CONTENT, sha256('a')), 'big.tar'),
    );
    const report = await inspectArchive(archive);
    const before = process.memoryUsage().rss;
    const { verification, jobs } = await verifyInProcess(archive, report);
    expect(process.memoryUsage().rss - before).toBeLessThan(100e6);
    expect(verification.status).toBe('partial');
    expect(verification.checks.every((c) => c.ok)).toBe(true);
    expect(verification.checks.some((c) => c.kind === 'diff-id')).toBe(false);
    const layer = jobs.find((j) => j.state === 'unsupported')!;
    expect(layer.detail).toMatch(
      /^"blobs\/sha256\/[0-9a-f]{64}": zstd frame asks for a 2046 MiB window, more than the 128 MiB limit, its diff_id is not checked$/,
    );
  });
});
