import { describe, expect, it } from 'vitest';
import {
  layerReadBytes,
  ListingStore,
  type LayerRead,
} from '../../../../src/app/library/listing-store.ts';
import { LayerListingBuilder } from '../../../../src/lib/layers/listing.ts';
import { listingEntry } from '../../../support/tar.ts';
import { memoryListings } from '../../../support/listing-backend.ts';

/** Returns a layer read of `files` regular files of `size` bytes each, one kept. */
function layer(files: number, size = 10): LayerRead {
  const b = new LayerListingBuilder();
  for (let i = 0; i < files; i++) b.add(listingEntry(`f${i}`, { size }));
  const listing = b.finish().toTransfer();
  return {
    listing,
    kept: { files: [{ entry: 0, path: 'f0', bytes: new Uint8Array([1, 2, 3]) }], dropped: [] },
  };
}

const D = (n: number) => `sha256:${String(n).padStart(64, '0')}`;

function store(maxBytes = 1 << 30) {
  let clock = 0;
  const backend = memoryListings();
  const s = new ListingStore(
    () => backend,
    maxBytes,
    () => ++clock,
  );
  return { s, backend };
}

describe('ListingStore', () => {
  it('keeps a layer by diff_id and gives back the same listing and kept files', async () => {
    const { s } = store();
    const read = layer(3);
    expect(await s.put(D(1), read)).toBe(true);
    const back = await s.get(D(1));
    expect(back?.listing.count).toBe(3);
    expect([...back!.listing.sizes]).toEqual([10, 10, 10]);
    expect(back?.kept?.files[0]?.bytes).toEqual(new Uint8Array([1, 2, 3]));
    expect(await s.get(D(2))).toBeNull();
    expect(await s.has([D(1), D(2)])).toEqual(new Set([D(1)]));
  });

  it('lets the least recently used layers go past the bound, never the one just kept', async () => {
    const one = layerReadBytes(layer(100));
    const { s } = store(one * 2 + 10);
    await s.put(D(1), layer(100));
    await s.put(D(2), layer(100));
    await s.get(D(1)); // 1 is now used after 2
    await s.put(D(3), layer(100));
    expect(await s.has([D(1), D(2), D(3)])).toEqual(new Set([D(1), D(3)]));
  });

  it('does not keep a layer larger than the whole bound', async () => {
    const { s, backend } = store(100);
    expect(await s.put(D(1), layer(1000))).toBe(false);
    expect(backend.map.size).toBe(0);
  });

  it('ignores and deletes a damaged entry: arrays that do not fit the count', async () => {
    const { s, backend } = store();
    await s.put(D(1), layer(3));
    const data = backend.map.get(`data:${D(1)}`) as { listing: { count: number } };
    data.listing.count = 1_000_000; // the attack: a count to index past the arrays by
    expect(await s.get(D(1))).toBeNull();
    expect(backend.map.has(`data:${D(1)}`)).toBe(false);
    expect(backend.map.has(`meta:${D(1)}`)).toBe(false);
  });

  it('ignores damaged kept files, another diff_id under the key, and another version', async () => {
    const { s, backend } = store();
    await s.put(D(1), layer(3));
    const data = backend.map.get(`data:${D(1)}`) as LayerRead & { diffId: string; version: number };
    backend.map.set(`data:${D(1)}`, {
      ...data,
      kept: { files: [{ entry: 99, path: 'x', bytes: new Uint8Array() }], dropped: [] },
    });
    expect(await s.get(D(1))).toBeNull();
    await s.put(D(2), layer(3));
    backend.map.set(`data:${D(2)}`, { ...data, diffId: D(3) });
    expect(await s.get(D(2))).toBeNull();
    await s.put(D(4), layer(3));
    backend.map.set(`data:${D(4)}`, { ...data, diffId: D(4), version: 99 });
    expect(await s.get(D(4))).toBeNull();
    backend.map.set(`data:${D(5)}`, 'not an object');
    backend.map.set(`meta:${D(5)}`, { version: 1, bytes: 1, usedAt: 1 });
    expect(await s.get(D(5))).toBeNull();
  });

  it('resolves with a notice when storage fails', async () => {
    const s = new ListingStore(() => {
      throw new DOMException('blocked', 'InvalidStateError');
    });
    expect(await s.put(D(1), layer(1))).toBe(false);
    expect(await s.get(D(1))).toBeNull();
    expect(s.notice).toMatch(/not kept for later/);
  });
});

describe('ListingStore, in pieces', () => {
  it('writes a layer as pieces, deletes them with it, and drops a layer missing one', async () => {
    const { s, backend } = store();
    await s.put(D(1), layer(3));
    const parts = () => [...backend.map.keys()].filter((k) => k.startsWith(`part:${D(1)}:`));
    expect(parts().length).toBeGreaterThan(1);
    // Kept again: the pieces are replaced, none left over.
    const before = parts().length;
    await s.put(D(1), layer(3));
    expect(parts().length).toBe(before);
    backend.map.delete(parts()[0]!);
    expect(await s.get(D(1))).toBeNull();
    expect(parts()).toEqual([]);
    expect(backend.map.size).toBe(0);
  });

  it('lets go of pieces no head names (a write cut off) when it evicts', async () => {
    const { s, backend } = store();
    backend.map.set(`part:${D(9)}:0`, new Uint8Array(3));
    await s.put(D(1), layer(3));
    expect(backend.map.has(`part:${D(9)}:0`)).toBe(false);
    expect(await s.get(D(1))).not.toBeNull();
  });
});
