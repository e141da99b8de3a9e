import type { KeyValueStore } from '../../src/app/library/report-cache.ts';

/** Returns a KeyValueStore over a Map that clones values in and out, as IndexedDB does. */
export function memoryStore(map = new Map<string, unknown>()): KeyValueStore {
  return {
    get: async (k) => structuredClone(map.get(k)),
    set: async (k, v) => void map.set(k, structuredClone(v)),
    del: async (k) => void map.delete(k),
    entries: async () => [...map.entries()].map(([k, v]) => [k, structuredClone(v)]),
  };
}
