/** Listings of a fixture's first image, built by the test-side tar reader, and their merge. */
import { mergeLayers, type MergedFilesystem } from '../../../src/lib/layers/merge.ts';
import type { LayerListing } from '../../../src/lib/layers/listing.ts';
import { fixture } from '../../support/paths.ts';
import { imageLayers, listingOf } from '../layers/support.ts';

const cache = new Map<string, Promise<{ tars: Uint8Array[]; listings: LayerListing[] }>>();

/** Returns the layer tars and listings of a fixture's first image, lowest first. */
export function fixtureListings(
  name: string,
): Promise<{ tars: Uint8Array[]; listings: LayerListing[] }> {
  let p = cache.get(name);
  if (!p) {
    p = (async () => {
      const tars = imageLayers(fixture(name))[0]!.layers;
      return { tars, listings: await Promise.all(tars.map((t) => listingOf(t))) };
    })();
    cache.set(name, p);
  }
  return p;
}

/** Returns the merged filesystem of a fixture's first image. */
export async function fixtureFs(name: string): Promise<MergedFilesystem> {
  return mergeLayers((await fixtureListings(name)).listings);
}
