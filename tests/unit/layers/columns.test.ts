import { describe, expect, it } from 'vitest';
import { resized, trimmed } from '../../../src/lib/layers/columns.ts';
import { LayerListing, LayerListingBuilder } from '../../../src/lib/layers/listing.ts';
import { listingEntry } from '../../support/tar.ts';

/** Builds a listing of these entries (with data offsets), sent through a structured clone. */
function listed(entries: { over: Parameters<typeof listingEntry>[1]; offset: number }[]) {
  const b = new LayerListingBuilder();
  entries.forEach(({ over, offset }, i) => b.add(listingEntry(`f${i}`, over), offset));
  const data = structuredClone(b.finish().toTransfer());
  return { data, listing: LayerListing.fromTransfer(data) };
}

describe('listing number columns', () => {
  it('are 32 bits (owner ids 16) while every value fits', () => {
    const { data, listing } = listed([
      { over: { size: 0xffffffff, mtime: 1_700_000_000, uid: 65_535, gid: 7 }, offset: 512 },
      { over: { size: 3 }, offset: -1 },
    ]);
    expect(data.sizes).toBeInstanceOf(Uint32Array);
    expect(data.mtimes).toBeInstanceOf(Uint32Array);
    expect(data.uids).toBeInstanceOf(Uint16Array);
    expect(data.gids).toBeInstanceOf(Uint16Array);
    expect(data.offsets).toBeInstanceOf(Uint32Array);
    expect(listing.size(0)).toBe(0xffffffff);
    expect(listing.mtime(0)).toBe(1_700_000_000);
    expect(listing.uid(0)).toBe(65_535);
    expect(listing.dataOffset(0)).toBe(512);
    expect(listing.dataOffset(1)).toBeNull();
  });

  it('widen when a value does not fit, keeping every value exactly', () => {
    const big = 2 ** 40 + 3; // past 4 GiB: a file, and an offset in a big layer
    const { data, listing } = listed([
      { over: { size: 5, mtime: 10, uid: 1, gid: 2 }, offset: -1 },
      { over: { size: big, mtime: -86_400.5, uid: 70_000, gid: 2 ** 33 }, offset: big },
      { over: { size: 6, mtime: 11, uid: 3, gid: 4 }, offset: 1024 },
    ]);
    expect(data.sizes).toBeInstanceOf(Float64Array);
    expect(data.mtimes).toBeInstanceOf(Float64Array);
    expect(data.uids).toBeInstanceOf(Uint32Array);
    expect(data.gids).toBeInstanceOf(Float64Array);
    expect(data.offsets).toBeInstanceOf(Float64Array);
    expect([0, 1, 2].map((i) => listing.size(i))).toEqual([5, big, 6]);
    expect([0, 1, 2].map((i) => listing.mtime(i))).toEqual([10, -86_400.5, 11]);
    expect([0, 1, 2].map((i) => listing.uid(i))).toEqual([1, 70_000, 3]);
    expect([0, 1, 2].map((i) => listing.gid(i))).toEqual([2, 2 ** 33, 4]);
    expect([0, 1, 2].map((i) => listing.dataOffset(i))).toEqual([null, big, 1024]);
  });

  it('widen past a growth of the builder (values set before and after it kept)', () => {
    const b = new LayerListingBuilder();
    for (let i = 0; i < 3000; i++) b.add(listingEntry(`f${i}`, { size: i === 2500 ? 2 ** 35 : i }));
    const listing = b.finish();
    expect(listing.size(1999)).toBe(1999);
    expect(listing.size(2500)).toBe(2 ** 35);
    expect(listing.size(2999)).toBe(2999);
  });

  it('are refused from elsewhere when of another type', () => {
    const { data } = listed([{ over: {}, offset: 0 }]);
    expect(() => LayerListing.fromTransfer({ ...data, sizes: new Int32Array(1) as never })).toThrow(
      /does not fit/,
    );
    expect(() =>
      LayerListing.fromTransfer({ ...data, modes: new Uint32Array(1) as never }),
    ).toThrow(/does not fit/);
  });
});

describe('the column of link targets', () => {
  it('is empty in a layer without links, and made at the first link (-1 before it)', () => {
    const none = listed([
      { over: {}, offset: 512 },
      { over: {}, offset: 1024 },
    ]);
    expect(none.data.links).toHaveLength(0);
    expect(none.listing.linkTarget(1)).toBeNull();
    const b = new LayerListingBuilder();
    for (let i = 0; i < 1500; i++) b.add(listingEntry(`f${i}`)); // past a growth
    b.add(listingEntry('l', { typeflag: '2', linkName: '../x' }));
    for (let i = 0; i < 1500; i++) b.add(listingEntry(`g${i}`)); // and past another
    const data = structuredClone(b.finish().toTransfer());
    const some = LayerListing.fromTransfer(data);
    expect(data.links).toHaveLength(3001);
    expect(some.linkTarget(0)).toBeNull();
    expect(some.linkTarget(1500)).toBe('../x');
    expect(some.linkTarget(3000)).toBeNull();
  });
});

describe('resized and trimmed columns', () => {
  it('keep the first items, zero the new ones and own their buffer', () => {
    const a = Int32Array.from([5, -1, 7]);
    const grown = resized(a, 6);
    expect(grown).toBeInstanceOf(Int32Array);
    expect([...grown]).toEqual([5, -1, 7, 0, 0, 0]);
    expect(grown.buffer.byteLength).toBe(24);
    const cut = trimmed(resized(Float64Array.from([1.5, 2.5, 3.5, 4.5]), 64), 3);
    expect(cut).toBeInstanceOf(Float64Array);
    expect([...cut]).toEqual([1.5, 2.5, 3.5]);
    const shorter = resized(Uint16Array.from([1, 2, 3]), 2);
    expect([...shorter]).toEqual([1, 2]);
  });

  it('cut a view on a shared buffer by copying, never by transferring it', () => {
    const whole = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const view = whole.subarray(2, 6);
    expect([...trimmed(view, 2)]).toEqual([3, 4]);
    expect([...resized(view, 5)]).toEqual([3, 4, 5, 6, 0]);
    expect([...whole]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // still readable: not detached
  });
});
