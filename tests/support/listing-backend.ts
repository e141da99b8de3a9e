import type { ListingBackend } from '../../src/app/library/listing-store.ts';

/** Returns a ListingBackend over a Map that clones values in and out, as IndexedDB does; `log`
 * records each call. */
export function memoryListings(
  map = new Map<string, unknown>(),
  log: string[] = [],
): ListingBackend & { map: Map<string, unknown>; log: string[] } {
  return {
    map,
    log,
    get: async (k) => (log.push(`get ${k}`), structuredClone(map.get(k))),
    set: async (k, v) => void (log.push(`set ${k}`), map.set(k, structuredClone(v))),
    del: async (k) => void (log.push(`del ${k}`), map.delete(k)),
    keys: async () => [...map.keys()],
  };
}
