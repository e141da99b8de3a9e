/**
 * Data offsets: the scanner records where each entry's data starts in the decoded layer tar, so
 * that a file of an uncompressed layer can be sliced out without reading the layer again. Truth
 * is the test-side tar reader's bodies (not the code under test): the bytes at each recorded
 * offset are every regular file's body, byte for byte; offsets survive a transfer; a listing
 * stored before offsets existed reads back with none.
 */
import { describe, expect, it } from 'vitest';
import { ListingScanner } from '../../../src/lib/layers/listing-scanner.ts';
import { LayerListing, LayerListingBuilder } from '../../../src/lib/layers/listing.ts';
import { fixture } from '../../support/paths.ts';
import { imageLayers, readTar } from './support.ts';

async function scan(tar: Uint8Array): Promise<LayerListing> {
  const scanner = await ListingScanner.create();
  // Odd piece sizes, so that offsets are not an accident of one push.
  for (let at = 0; at < tar.length; at += 777) scanner.push(tar.subarray(at, at + 777));
  return scanner.finish();
}

describe('data offsets', () => {
  it.each(['dive-test-docker-image.tar', 'gen-umoci-rawlayers-opaque-whiteout-oci-archive.tar'])(
    'point at every regular file body of %s',
    async (name) => {
      let files = 0;
      for (const tar of imageLayers(fixture(name))[0]!.layers) {
        const listing = await scan(tar);
        const raw = readTar(tar);
        expect(listing.count).toBe(raw.length);
        raw.forEach((e, i) => {
          if (listing.type(i) !== 'file') return;
          const at = listing.dataOffset(i);
          expect(at).not.toBeNull();
          expect(Buffer.from(tar.subarray(at!, at! + e.size))).toEqual(Buffer.from(e.body));
          files++;
        });
        const back = LayerListing.fromTransfer(structuredClone(listing.toTransfer()));
        expect(back.dataOffset(raw.length - 1)).toBe(listing.dataOffset(raw.length - 1));
      }
      expect(files).toBeGreaterThan(3);
    },
  );

  it('are unknown where none were given, and in listings stored without them', () => {
    const b = new LayerListingBuilder();
    b.add({ name: 'a', typeflag: '0', size: 1, mode: 0, uid: 0, gid: 0, mtime: 0, linkName: '' });
    b.add(
      { name: 'b', typeflag: '0', size: 1, mode: 0, uid: 0, gid: 0, mtime: 0, linkName: '' },
      1536,
    );
    const listing = b.finish();
    expect(listing.dataOffset(0)).toBeNull();
    expect(listing.dataOffset(1)).toBe(1536);
    const { offsets: _, ...old } = listing.toTransfer();
    expect(LayerListing.fromTransfer(old).dataOffset(1)).toBeNull();
    const bad = { ...listing.toTransfer(), offsets: new Float64Array(5) };
    expect(() => LayerListing.fromTransfer(bad)).toThrow(/does not fit/);
  });
});
