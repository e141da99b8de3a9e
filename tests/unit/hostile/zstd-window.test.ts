/**
 * A zstd frame header may ask for a window of up to 2 GiB (or, single-segment, a content size
 * that is its window); fzstd allocates it and copies it once per block. Before ZstdFrames, the
 * 10-byte frames below grew this process by ~1.9 GB and took ~10 s for one 1-byte block each.
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
import { createDecoder } from '../../../src/lib/verify/inflate.ts';
import { gunzipModule } from '../../../src/lib/archive/gunzip.ts';
import type { BlobJob } from '../../../src/lib/verify/model.ts';
import {
  WINDOW_SLACK,
  ZstdFrames,
  ZstdWindowError,
  checkWindow,
  parseFrameHeader,
} from '../../../src/lib/verify/zstd-frames.ts';
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
/** A small frame: 1 KiB window, checksum flag, "hello" (checksum not checked by fzstd). */
const HELLO = new Uint8Array([...MAGIC, 0x04, 0x00, ...lastRaw('hello'), 1, 2, 3, 4]);
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
    await gunzipModule(),
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

describe('zstd frame headers', () => {
  it('reads the 1 GiB bomb fixture’s header: an 8 MiB window, the content size apart', () => {
    const header = parseFrameHeader(
      new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x84, 0x68, 0x00, 0x06, 0x00, 0x40]),
    );
    expect(header).toEqual({
      headerSize: 10,
      windowSize: 8 << 20,
      contentSize: 1073743360,
      singleSegment: false,
      checksum: true,
      dictionaryId: 0,
    });
    expect(() => checkWindow(header)).not.toThrow();
  });

  it('takes a single-segment frame’s content size as its window', () => {
    expect(parseFrameHeader(BIG_CONTENT)).toMatchObject({
      headerSize: 9,
      windowSize: 2046 * 2 ** 20,
      contentSize: 2046 * 2 ** 20,
      singleSegment: true,
    });
    // 2-byte content sizes count from 256; 8-byte ones are read whole.
    const two = new Uint8Array([...MAGIC, 0x60, 0x00, 0x01]);
    expect(parseFrameHeader(two)).toMatchObject({ windowSize: 512, contentSize: 512 });
    const eight = new Uint8Array([...MAGIC, 0xe0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(parseFrameHeader(eight)).toMatchObject({ headerSize: 13, contentSize: 2 ** 32 });
  });

  it('allows exactly the limit and refuses a byte more', () => {
    const at = (windowSize: number) => () =>
      checkWindow({ ...parseFrameHeader(HELLO), windowSize });
    expect(at(MAX_ZSTD_WINDOW)).not.toThrow();
    expect(at(MAX_ZSTD_WINDOW + 1)).toThrow(
      'zstd frame asks for a 128.1 MiB window, more than the 128 MiB limit',
    );
    expect(at(MAX_ZSTD_WINDOW + 1)).toThrow(ZstdWindowError);
  });
});

describe('a zstd layer asking for a huge window', () => {
  it('is refused before fzstd allocates it: a 1920 MiB window descriptor', async () => {
    const { error, grewMB } = await decode(BIG_WINDOW);
    expect(error).toBeInstanceOf(ZstdWindowError);
    expect((error as Error).message).toBe(
      'zstd frame asks for a 1920 MiB window, more than the 128 MiB limit',
    );
    expect(grewMB).toBeLessThan(50);
  });

  it('is refused before fzstd allocates it: a 2046 MiB single-segment content size', async () => {
    const { error, grewMB } = await decode(BIG_CONTENT);
    expect((error as Error).message).toBe(
      'zstd frame asks for a 2046 MiB window, more than the 128 MiB limit',
    );
    expect(grewMB).toBeLessThan(50);
  });

  it('refuses a 2 GiB window with the same message (fzstd’s own says ">2046MB")', async () => {
    const { error } = await decode(new Uint8Array([...MAGIC, 0x00, 0xa8, ...lastRaw('a')]));
    expect((error as Error).message).toBe(
      'zstd frame asks for a 2048 MiB window, more than the 128 MiB limit',
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
    expect((error as Error).message).toBe('zstd data ends inside frame 1 (at byte 23)');
  });

  it('refuses a flood of 1-byte blocks that would each copy a 128 MiB window', async () => {
    // 128 MiB window (0x88), then 4-byte raw blocks of 1 byte: fzstd shifts its whole window
    // along after each (before: 20,000 of them, 80 KB, took minutes).
    const blocks = 20_000;
    const flood = new Uint8Array(6 + 4 * blocks);
    flood.set([...MAGIC, 0x00, 0x88]);
    for (let i = 0; i < blocks; i++)
      flood.set([i === blocks - 1 ? 0x09 : 0x08, 0, 0, 0x61], 6 + 4 * i);
    const { error, grewMB } = await decode(flood);
    expect(error).toBeInstanceOf(ZstdWindowError);
    // The frame's allocation and 7 blocks fit the slack (1 GiB of window work); the 8th not.
    expect((error as Error).message).toBe(
      'zstd data has 8 blocks for 7 bytes decoded, each copying a 128 MiB window: ' +
        'more work than the data is worth',
    );
    expect(WINDOW_SLACK / MAX_ZSTD_WINDOW).toBe(8);
    expect(grewMB).toBeLessThan(300);
  });

  it('lets empty blocks by: fzstd does no window work for them', async () => {
    const blocks = 5_000;
    const empties = new Uint8Array(6 + 3 * blocks + 4);
    empties.set([...MAGIC, 0x00, 0x88]);
    empties.set(lastRaw('a'), empties.length - 4);
    expect(await decode(empties)).toMatchObject({ text: 'a', error: null });
  });

  it('charges window copying per block only where a block decodes too little', () => {
    let decoded = 0;
    const frames = new ZstdFrames(() => decoded);
    // 128 MiB window, then full 128 KiB RLE blocks (4 bytes each): as a bomb, in proportion.
    const header = new Uint8Array([...MAGIC, 0x00, 0x88]);
    const rle = new Uint8Array([((128 << 10) << 3) | 2, (128 << 10) >> 5, (128 << 10) >> 13, 0]);
    expect(frames.advance(header, 0)).toBe(6);
    for (let i = 0; i < 2_000; i++) {
      expect(frames.advance(rle, 0)).toBe(4); // no stop: the work is in proportion
      decoded += 128 << 10;
    }
    expect(frames.blocks).toBe(2_000);
    // The same blocks decoding to nothing are refused once the slack is spent.
    const idle = new ZstdFrames(() => 0);
    idle.advance(header, 0);
    expect(() => {
      for (;;) idle.advance(rle, idle.advance(rle, 0));
    }).toThrow(ZstdWindowError);
    expect(idle.blocks).toBe(WINDOW_SLACK / MAX_ZSTD_WINDOW);
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
