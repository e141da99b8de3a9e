/**
 * The layer listings the page's verification made, kept in IndexedDB by diff_id (database
 * `stevedore-listings`, apart from the report library): a report reopened from "Recent images"
 * without its archive still has its files and packages, and a base layer shared by many images is
 * listed once. Each layer is kept as the transfer data the worker sent (LayerListingData and the
 * package files' bytes), cut into pieces of a few megabytes (listing-pieces.ts: one record of a
 * million entries would cost the page more copies of it while IndexedDB writes it), under
 * `data:<diff_id>` (the head: small fields, and where each big array went), `part:<diff_id>:<k>`
 * (the pieces, written one at a time) and `meta:<diff_id>` (its size and when it was last used,
 * written last), so that eviction reads the small records only. The total is bounded; past it
 * the least recently used layers go. An entry that does not have the shape this version writes
 * is ignored (and deleted), like a damaged report in the library. The store's calls run one
 * after the other (a write of many pieces is not interleaved with another's eviction).
 */
import { createStore, del, get, keys, set } from 'idb-keyval';
import { messageOf } from '../../lib/errors.ts';
import type { KeptFiles } from '../../lib/layers/kept-files.ts';
import { LayerListing, type LayerListingData } from '../../lib/layers/listing.ts';
import { cutRead, joinRead, release, type ReadHead } from './listing-pieces.ts';

/** Entries written by another version of the app carry another number and are ignored. */
export const LISTING_VERSION = 2;

/** Bytes of listings kept at most, in all (an estimate of what IndexedDB stores). */
export const MAX_STORED_LISTING_BYTES = 512 * 1024 * 1024;

/** One layer as the verification read it: its listing and the package files it kept. */
export interface LayerRead {
  listing: LayerListingData;
  /** Null where the read kept nothing (no `keep` asked). */
  kept: KeptFiles | null;
}

/** The few key-value calls the store needs; idb-keyval in the page, a Map in tests. */
export interface ListingBackend {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<IDBValidKey[]>;
}

/** Returns the IndexedDB backend (database `stevedore-listings`, store `listings`). */
export function indexedDbListings(): ListingBackend {
  const store = createStore('stevedore-listings', 'listings');
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    keys: () => keys(store),
  };
}

interface Meta {
  version: typeof LISTING_VERSION;
  bytes: number;
  usedAt: number;
}

interface Data extends ReadHead {
  version: typeof LISTING_VERSION;
  diffId: string;
}

/** A stored layer with its pieces joined. */
interface Whole extends LayerRead {
  version: typeof LISTING_VERSION;
  diffId: string;
}

const DATA = 'data:';
const META = 'meta:';
const PART = 'part:';

/** Returns about how many bytes a layer read takes (its arrays, strings and kept files). */
export function layerReadBytes(read: LayerRead): number {
  const l = read.listing;
  let n =
    l.dirOf.byteLength +
    l.nameEnd.byteLength +
    l.pool.byteLength +
    l.flags.byteLength +
    l.sizes.byteLength +
    l.mtimes.byteLength +
    l.modes.byteLength +
    l.uids.byteLength +
    l.gids.byteLength +
    l.hashes.byteLength +
    l.links.byteLength +
    (l.offsets?.byteLength ?? 0);
  for (const d of l.dirs) n += 2 * d.length;
  for (const t of l.linkTargets) n += 2 * t.length;
  for (const [, r] of l.raw) n += 8 + 2 * r.length;
  for (const f of read.kept?.files ?? []) n += f.bytes.byteLength + 2 * f.path.length;
  return n;
}

/** Returns the layer read of a stored record, or null when it is not one this version wrote
 * whole (wrong version, wrong shape, arrays that do not fit the count). */
export function asLayerRead(value: unknown, diffId: string): LayerRead | null {
  const v = value as Partial<Whole> | null;
  if (!v || typeof v !== 'object' || v.version !== LISTING_VERSION || v.diffId !== diffId)
    return null;
  const l = v.listing;
  if (!l || typeof l !== 'object') return null;
  const strings = (a: unknown) => Array.isArray(a) && a.every((s) => typeof s === 'string');
  const ok =
    typeof l.totalSize === 'number' &&
    Array.isArray(l.notes) &&
    l.notes.every(
      (n) =>
        n &&
        typeof n.kind === 'string' &&
        typeof n.count === 'number' &&
        typeof n.example === 'string',
    ) &&
    strings(l.dirs) &&
    strings(l.linkTargets) &&
    l.pool instanceof Uint8Array &&
    Array.isArray(l.raw) &&
    l.raw.every((r) => Array.isArray(r) && typeof r[0] === 'number' && typeof r[1] === 'string');
  if (!ok) return null;
  try {
    LayerListing.fromTransfer(l); // checks the arrays' types, and their lengths against the count
  } catch {
    return null;
  }
  const kept = v.kept ?? null;
  if (kept !== null) {
    const files =
      typeof kept === 'object' &&
      Array.isArray(kept.files) &&
      kept.files.every(
        (f) =>
          f &&
          Number.isSafeInteger(f.entry) &&
          f.entry >= 0 &&
          f.entry < l.count &&
          typeof f.path === 'string' &&
          f.bytes instanceof Uint8Array,
      ) &&
      Array.isArray(kept.dropped) &&
      kept.dropped.every(
        (d) =>
          d &&
          Number.isSafeInteger(d.entry) &&
          typeof d.path === 'string' &&
          typeof d.size === 'number' &&
          (d.kind === 'too-large' || d.kind === 'incomplete') &&
          typeof d.reason === 'string',
      );
    if (!files) return null;
  }
  return { listing: l, kept };
}

/**
 * The listings kept in this browser. Every call resolves: a storage failure becomes `notice`
 * (one line) and the page carries on listing layers as it verifies them.
 */
export class ListingStore {
  notice: string | null = null;
  #backend: ListingBackend | null = null;

  constructor(
    private readonly open: () => ListingBackend = indexedDbListings,
    /** Bytes kept at most in all. */
    readonly maxBytes: number = MAX_STORED_LISTING_BYTES,
    private readonly now: () => number = Date.now,
  ) {}

  #queue: Promise<unknown> = Promise.resolve();

  private backend(): ListingBackend {
    return (this.#backend ??= this.open());
  }

  /** Returns the diff_ids of those asked for whose listing is kept (without reading them). */
  async has(diffIds: readonly string[]): Promise<Set<string>> {
    return this.guard(async () => {
      const all = new Set((await this.backend().keys()).map(String));
      return new Set(diffIds.filter((d) => all.has(DATA + d) && all.has(META + d)));
    }, new Set<string>());
  }

  /** Returns the kept read of a layer, marking it used; null when none is kept, or it is
   * damaged (then it is deleted). */
  async get(diffId: string): Promise<LayerRead | null> {
    return this.guard(async () => {
      const b = this.backend();
      const meta = asMeta(await b.get(META + diffId));
      if (!meta) return null;
      const head = (await b.get(DATA + diffId)) as Partial<Data> | null;
      const ok = head && typeof head === 'object' && head.version === LISTING_VERSION;
      const joined = ok ? await joinRead(head as Data, (k) => b.get(partKey(diffId, k))) : null;
      const read = joined && asLayerRead({ ...head, ...joined }, diffId);
      if (!read) {
        await this.remove(diffId);
        return null;
      }
      await b.set(META + diffId, { ...meta, usedAt: this.now() });
      return read;
    }, null);
  }

  /** Keeps a layer's read (replacing one kept before), then lets the least recently used go
   * until the total is within `maxBytes`; returns false when it was not kept (larger than the
   * bound alone, or storage failed). */
  async put(diffId: string, read: LayerRead): Promise<boolean> {
    const bytes = layerReadBytes(read);
    if (bytes > this.maxBytes) return false;
    return this.guard(async () => {
      const b = this.backend();
      await this.remove(diffId);
      const cut = cutRead(read);
      for (let k = 0; k < cut.pieces; k++) {
        const piece = cut.piece(k);
        await b.set(partKey(diffId, k), piece);
        release(piece);
      }
      const data: Data = { version: LISTING_VERSION, diffId, ...cut.head };
      await b.set(DATA + diffId, data);
      await b.set(META + diffId, { version: LISTING_VERSION, bytes, usedAt: this.now() });
      await this.evict(diffId);
      return true;
    }, false);
  }

  /** Lets the least recently used layers go (never `keep`) until the total fits; a layer whose
   * meta record is damaged or orphaned goes first. */
  private async evict(keep: string): Promise<void> {
    const b = this.backend();
    const all = (await b.keys()).map(String);
    const data = new Set(all.filter((k) => k.startsWith(DATA)).map((k) => k.slice(DATA.length)));
    // Pieces of a layer with no head (a write cut off): nothing reads them.
    for (const k of all.filter((k) => k.startsWith(PART))) {
      const diffId = k.slice(PART.length, k.lastIndexOf(':'));
      if (!data.has(diffId)) await b.del(k);
    }
    const kept: { diffId: string; meta: Meta }[] = [];
    for (const k of all.filter((k) => k.startsWith(META))) {
      const diffId = k.slice(META.length);
      const meta = asMeta(await b.get(k));
      if (!meta || !data.has(diffId)) await this.remove(diffId);
      else kept.push({ diffId, meta });
      data.delete(diffId);
    }
    for (const orphan of data) await this.remove(orphan);
    let total = kept.reduce((n, e) => n + e.meta.bytes, 0);
    kept.sort((a, b) => a.meta.usedAt - b.meta.usedAt);
    for (const e of kept) {
      if (total <= this.maxBytes) break;
      if (e.diffId === keep) continue;
      await this.remove(e.diffId);
      total -= e.meta.bytes;
    }
  }

  private async remove(diffId: string): Promise<void> {
    const b = this.backend();
    await b.del(META + diffId);
    await b.del(DATA + diffId);
    const parts = PART + diffId + ':';
    for (const k of (await b.keys()).map(String)) if (k.startsWith(parts)) await b.del(k);
  }

  /** Runs `work` after every call before it (one at a time), resolving with `fallback` when
   * storage fails. */
  private guard<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    const run = async () => {
      try {
        return await work();
      } catch (error) {
        this.#backend = null;
        this.notice = `Browser storage failed (${messageOf(error)}): file listings are not kept for later.`;
        return fallback;
      }
    };
    const next = this.#queue.then(run);
    this.#queue = next;
    return next;
  }
}

/** Returns the key of a layer's piece k. */
function partKey(diffId: string, k: number): string {
  return `${PART}${diffId}:${k}`;
}

/** Returns a meta record of this version, or null. */
function asMeta(value: unknown): Meta | null {
  const v = value as Partial<Meta> | null;
  if (!v || typeof v !== 'object' || v.version !== LISTING_VERSION) return null;
  if (typeof v.bytes !== 'number' || !(v.bytes >= 0) || typeof v.usedAt !== 'number') return null;
  return v as Meta;
}
