import { describe, expect, it } from 'vitest';
import {
  cutRead,
  joinRead,
  PIECE_BYTES,
  release,
} from '../../../../src/app/library/listing-pieces.ts';
import type { LayerRead } from '../../../../src/app/library/listing-store.ts';
import { LayerListingBuilder } from '../../../../src/lib/layers/listing.ts';
import { listingEntry } from '../../../support/tar.ts';

/** A read whose name pool and kept file are several pieces long, and its lists one piece. */
function bigRead(): LayerRead {
  const b = new LayerListingBuilder();
  for (let i = 0; i < 5; i++) b.add(listingEntry(`d${i}/f${i}`, { size: i }));
  const listing = b.finish().toTransfer();
  const pool = new Uint8Array(2 * PIECE_BYTES + 12345);
  for (let i = 0; i < pool.length; i++) pool[i] = (i * 7919) & 0xff;
  const bytes = new Uint8Array(PIECE_BYTES + 1).fill(9);
  return {
    listing: { ...listing, pool, nameEnd: new Uint32Array([1, 2, 3, 4, pool.length]) },
    kept: { files: [{ entry: 1, path: 'd1/f1', bytes }], dropped: [] },
  };
}

/** Cuts a read and keeps its pieces as IndexedDB would: cloned, each written before the next. */
function written(read: LayerRead) {
  const cut = cutRead(read);
  const pieces: unknown[] = [];
  for (let k = 0; k < cut.pieces; k++) {
    const piece = cut.piece(k);
    if (ArrayBuffer.isView(piece)) expect(piece.byteLength).toBeLessThanOrEqual(PIECE_BYTES);
    // Its own buffer, no bigger than itself: a clone of it writes only this piece.
    if (ArrayBuffer.isView(piece)) expect(piece.buffer.byteLength).toBe(piece.byteLength);
    pieces.push(structuredClone(piece));
    release(piece);
  }
  return { head: structuredClone(cut.head), pieces };
}

describe('listing pieces', () => {
  it('cuts the big arrays into pieces of at most PIECE_BYTES and joins them back equal', async () => {
    const read = bigRead();
    const { head, pieces } = written(read);
    // pool: 3 pieces, kept bytes: 2, the 10 other typed arrays and the directories: 1 each, the
    // empty lists (link targets, raw names) and links column (no entry is a link): none.
    expect(pieces.length).toBe(3 + 2 + 10 + 1);
    expect(JSON.stringify(head).length).toBeLessThan(4096);
    const back = await joinRead(head, async (k) => pieces[k]);
    expect(back).not.toBeNull();
    expect(back!.listing.links).toHaveLength(0);
    const same = (a: Uint8Array, b: Uint8Array) =>
      a.constructor === b.constructor && Buffer.compare(a, b) === 0;
    expect(same(back!.listing.pool, read.listing.pool)).toBe(true);
    expect(back!.listing.dirs).toEqual(read.listing.dirs);
    expect(back!.listing.sizes).toEqual(read.listing.sizes);
    expect(back!.listing.count).toBe(5);
    expect(same(back!.kept!.files[0]!.bytes, read.kept!.files[0]!.bytes)).toBe(true);
  });

  it('gives null for a missing piece, a piece of another type, or one too long', async () => {
    const { head, pieces } = written(bigRead());
    expect(await joinRead(head, async (k) => (k === 1 ? undefined : pieces[k]))).toBeNull();
    expect(
      await joinRead(head, async (k) => (k === 0 ? new Uint16Array(4) : pieces[k])),
    ).toBeNull();
    expect(
      await joinRead(head, async (k) => (k === 0 ? new Uint8Array(PIECE_BYTES + 1) : pieces[k])),
    ).toBeNull();
  });

  it('reads a listing written in the 4 MiB pieces of earlier versions, and no bigger piece', async () => {
    const read = bigRead();
    const { head, pieces } = written(read);
    // The pool as one piece of 2 MiB and a bit, as a 4 MiB piece size cut it.
    const ref = head.listing.pool as { first: number; count: number };
    const old = pieces.slice();
    old.splice(ref.first, ref.count, read.listing.pool.slice());
    const shift = ref.count - 1;
    const oldHead = structuredClone(head);
    oldHead.listing.pool = { ...ref, count: 1 };
    const moved = (v: unknown) => {
      const r = v as { first?: number } | null;
      if (r && typeof r === 'object' && typeof r.first === 'number' && r.first > ref.first)
        return { ...r, first: r.first - shift };
      return v;
    };
    for (const key of Object.keys(oldHead.listing))
      if (key !== 'pool') oldHead.listing[key] = moved(oldHead.listing[key]);
    oldHead.kept!.files = oldHead.kept!.files.map((f) => ({
      ...f,
      bytes: moved(f.bytes) as typeof f.bytes,
    }));
    const back = await joinRead(oldHead, async (k) => old[k]);
    expect(back).not.toBeNull();
    expect(Buffer.compare(back!.listing.pool, read.listing.pool)).toBe(0);
    expect(back!.kept!.files[0]!.bytes).toEqual(read.kept!.files[0]!.bytes);
    // A piece over 4 MiB is no piece any version wrote.
    const huge = new Uint8Array(4 * 1024 * 1024 + 1);
    const hugeHead = structuredClone(oldHead);
    hugeHead.listing.pool = { ...ref, count: 1, length: huge.length };
    expect(await joinRead(hugeHead, async (k) => (k === ref.first ? huge : old[k]))).toBeNull();
  });
});
