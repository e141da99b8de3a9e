/**
 * Builds a LayerListing as a tar parser emits entries: arrays grow by doubling, one column at a
 * time (where the browser can free the old one at once: columns.ts `resized`), and are cut to
 * their length once at the end; names are cleaned and judged on the way in, and odd names become
 * one note per kind, so that memory is bounded by the entries kept whatever the names are.
 *
 * A plain name (nearly every one) makes no JavaScript object on its way in: no cleaned-name
 * record, no directory string when it is in the same directory as the entry before, its bytes
 * written into the pool by hand. Measured in Chromium on a layer of 1,000,000 files, the
 * objects made per entry grew the listing worker's heap from 5 to ~70 MB committed.
 */
import {
  fit,
  LayerListing,
  MAX_LISTING_ENTRIES,
  typeOf,
  type ListingNote,
  type TarEntryInput,
} from './listing.ts';
import { cleanPath, quickPath, roleOf, sameName, type EntryRole, type NoteKind } from './path.ts';
import { type NumberColumn, put, putOffset, resized } from './columns.ts';

const TYPE_CODES = {
  file: 0,
  dir: 1,
  symlink: 2,
  hardlink: 3,
  char: 4,
  block: 5,
  fifo: 6,
  other: 7,
};
const ROLE_CODES: Record<EntryRole, number> = { change: 0, whiteout: 1, opaque: 2, ignored: 3 };
const HAS_HASH = 0x20;
const EXAMPLE_CHARS = 200;

/** Feeds tar entries in archive order; `finish()` returns the compact listing. */
export class LayerListingBuilder {
  private n = 0;
  private cap = 0;
  private poolUsed = 0;
  private total = 0;
  private dirIds = new Map<string, number>();
  private dirs: string[] = [];
  private dirOf = new Uint32Array(0);
  private nameEnd = new Uint32Array(0);
  private pool = new Uint8Array(1024);
  private flags = new Uint8Array(0);
  // Sizes, times, owner ids and offsets start narrow (columns.ts) and widen only if they must.
  private sizes: NumberColumn = new Uint32Array(0);
  private mtimes: NumberColumn = new Uint32Array(0);
  private modes = new Uint16Array(0);
  private uids: NumberColumn = new Uint16Array(0);
  private gids: NumberColumn = new Uint16Array(0);
  private hashes = new Uint32Array(0);
  private links = new Int32Array(0);
  private offsets: Uint32Array | Float64Array = new Uint32Array(0);
  private linkTargets: string[] = [];
  private raw = new Map<number, string>();
  private notes = new Map<NoteKind, ListingNote>();
  private readonly encoder = new TextEncoder();
  // The directory of the entry before, and its id: entries of a directory come together.
  private lastDir: string | null = null;
  private lastDirId = -1;
  /** The cleaned path of the entry added last ('' before any). */
  lastPath = '';

  /** Returns the number of entries kept so far. */
  get count(): number {
    return this.n;
  }

  /** Adds one entry (with where its data starts in the layer tar, if known); returns its index,
   * or -1 when the listing is full (counted in a note). */
  add(e: TarEntryInput, dataOffset = -1): number {
    if (this.n >= MAX_LISTING_ENTRIES) {
      this.note('too-many-entries', e.name);
      return -1;
    }
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    let path = quickPath(e.name);
    let role: EntryRole = 'change';
    if (path === null || path.includes('.wh.')) {
      const clean = cleanPath(e.name);
      path = clean.path;
      for (const k of clean.notes) this.note(k, e.name);
      if (!sameName(e.name, path) || clean.notes.includes('nul-in-name')) this.raw.set(i, e.name);
      const judged = roleOf(path);
      role = judged.role;
      if (judged.note) this.note(judged.note, e.name);
    }
    this.lastPath = path;

    const slash = path.lastIndexOf('/');
    this.dirOf[i] = this.dirIdOf(path, slash);
    this.putName(path, slash + 1);
    this.nameEnd[i] = this.poolUsed;

    const type = typeOf(e.typeflag, e.name);
    this.flags[i] = TYPE_CODES[type] | (ROLE_CODES[role] << 3);
    const size = this.num(e.size, e.name);
    this.sizes = put(this.sizes, i, size);
    this.total += size;
    this.mtimes = put(this.mtimes, i, Number.isFinite(e.mtime) ? e.mtime : 0);
    this.modes[i] = this.num(e.mode, e.name) & 0o7777;
    this.uids = put(this.uids, i, this.num(e.uid, e.name));
    this.gids = put(this.gids, i, this.num(e.gid, e.name));
    const offset = Number.isSafeInteger(dataOffset) && dataOffset >= 0 ? dataOffset : -1;
    this.offsets = putOffset(this.offsets, i, offset) as Uint32Array | Float64Array;
    if (type === 'symlink' || type === 'hardlink') {
      let target = e.linkName;
      if (type === 'hardlink') {
        target = cleanPath(e.linkName).path;
        if (target === path) this.note('hardlink-to-self', e.name);
      }
      // The column is made at the first link (-1 for every entry before): a layer without
      // links keeps none.
      if (this.links.length < this.cap) this.links = new Int32Array(this.cap).fill(-1);
      this.links[i] = this.linkTargets.length;
      this.linkTargets.push(target);
    }
    if (e.contentHash) this.setContentHash(i, e.contentHash);
    return i;
  }

  /** Records entry i's xxhash64 (16 hex digits) once its body has been read; false if malformed. */
  setContentHash(i: number, hex: string): boolean {
    if (i < 0 || i >= this.n || !/^[0-9a-f]{1,16}$/i.test(hex)) return false;
    const h = hex.padStart(16, '0');
    return this.setContentHashWords(i, parseInt(h.slice(0, 8), 16), parseInt(h.slice(8), 16));
  }

  /** Records entry i's xxhash64 as its high and low 32 bits (no hex on the way: a scanner
   * hashing a million small files); false when i is no entry. */
  setContentHashWords(i: number, high: number, low: number): boolean {
    if (i < 0 || i >= this.n) return false;
    this.hashes[2 * i] = high;
    this.hashes[2 * i + 1] = low;
    this.flags[i] = this.flags[i]! | HAS_HASH;
    return true;
  }

  /** Returns the finished listing; the builder must not be used afterwards. */
  finish(): LayerListing {
    const n = this.n;
    const listing = new LayerListing(
      n,
      this.total,
      [...this.notes.values()],
      this.dirs,
      fit(this.dirOf, n),
      fit(this.nameEnd, n),
      fit(this.pool, this.poolUsed),
      fit(this.flags, n),
      fit(this.sizes, n),
      fit(this.mtimes, n),
      fit(this.modes, n),
      fit(this.uids, n),
      fit(this.gids, n),
      fit(this.hashes, 2 * n),
      this.links.length === 0 ? this.links : fit(this.links, n),
      this.linkTargets,
      this.raw,
      fit(this.offsets, n),
    );
    // Let the grown arrays go now: a caller still holding the builder must not hold them too.
    this.dirOf = this.nameEnd = this.hashes = new Uint32Array(0);
    this.uids = this.gids = new Uint16Array(0);
    this.flags = new Uint8Array(0);
    this.sizes = this.mtimes = this.offsets = new Uint32Array(0);
    this.modes = new Uint16Array(0);
    this.links = new Int32Array(0);
    this.pool = new Uint8Array(0);
    this.cap = this.n = this.poolUsed = 0;
    this.dirIds = new Map();
    this.dirs = [];
    this.linkTargets = [];
    this.raw = new Map();
    this.notes = new Map();
    this.lastDir = null;
    this.lastPath = '';
    return listing;
  }

  private note(kind: NoteKind, name: string): void {
    const seen = this.notes.get(kind);
    if (seen) seen.count++;
    else this.notes.set(kind, { kind, count: 1, example: exampleOf(name) });
  }

  /** Sizes, modes and ids are unsigned integers; anything else is noted and read as 0. */
  private num(v: number, name: string): number {
    if (Number.isSafeInteger(v) && v >= 0) return v;
    this.note('bad-number', name);
    return 0;
  }

  /** Returns the id of the directory part of `path` (before `slash`; '' when none), interned. */
  private dirIdOf(path: string, slash: number): number {
    const last = this.lastDir;
    if (slash > 0 && last !== null && slash === last.length && path.startsWith(last))
      return this.lastDirId;
    const dir = slash < 0 ? '' : path.slice(0, slash);
    let d = this.dirIds.get(dir);
    if (d === undefined) {
      d = this.dirs.length;
      this.dirs.push(dir);
      this.dirIds.set(dir, d);
    }
    this.lastDir = dir;
    this.lastDirId = d;
    return d;
  }

  /** Appends `path` from `from` on to the pool as UTF-8 (ASCII by hand: no view, no string). */
  private putName(path: string, from: number): void {
    const need = this.poolUsed + (path.length - from) * 3;
    if (need > this.pool.length)
      this.pool = resized(this.pool, Math.max(need, this.pool.length * 2));
    const pool = this.pool;
    let at = this.poolUsed;
    for (let k = from; k < path.length; k++) {
      const c = path.charCodeAt(k);
      if (c >= 0x80) {
        at = -1;
        break;
      }
      pool[at++] = c;
    }
    if (at >= 0) this.poolUsed = at;
    else
      this.poolUsed += this.encoder.encodeInto(
        path.slice(from),
        pool.subarray(this.poolUsed),
      ).written;
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    // One column after the other: where the old one is freed at once, the growth costs one
    // column's copy, not the whole listing's.
    this.dirOf = resized(this.dirOf, cap);
    this.nameEnd = resized(this.nameEnd, cap);
    this.flags = resized(this.flags, cap);
    this.sizes = resized(this.sizes, cap);
    this.mtimes = resized(this.mtimes, cap);
    this.modes = resized(this.modes, cap);
    this.uids = resized(this.uids, cap);
    this.gids = resized(this.gids, cap);
    this.hashes = resized(this.hashes, 2 * cap);
    if (this.links.length > 0) {
      const old = this.links.length;
      this.links = resized(this.links, cap);
      this.links.fill(-1, old);
    }
    this.offsets = resized(this.offsets, cap);
    this.cap = cap;
  }
}

/** A name cut for a note: a 64 KiB name must not make a 64 KiB message. */
function exampleOf(name: string): string {
  const clean = name.replace(/\0/g, '\\0');
  return clean.length > EXAMPLE_CHARS
    ? `${clean.slice(0, EXAMPLE_CHARS)}… (${name.length} chars)`
    : clean;
}
