/**
 * Builds a LayerListing as a tar parser emits entries: arrays grow by doubling and are trimmed
 * once at the end, names are cleaned and judged on the way in, and odd names become one note
 * per kind, so that memory is bounded by the entries kept whatever the names are.
 */
import {
  fit,
  LayerListing,
  MAX_LISTING_ENTRIES,
  typeOf,
  type ListingNote,
  type TarEntryInput,
} from './listing.ts';
import { cleanPath, roleOf, sameName, type EntryRole, type NoteKind } from './path.ts';
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
    const { path, notes } = cleanPath(e.name);
    for (const k of notes) this.note(k, e.name);
    if (!sameName(e.name, path) || notes.includes('nul-in-name')) this.raw.set(i, e.name);
    const { role, note } = roleOf(path);
    if (note) this.note(note, e.name);

    const slash = path.lastIndexOf('/');
    const dir = slash < 0 ? '' : path.slice(0, slash);
    let d = this.dirIds.get(dir);
    if (d === undefined) {
      d = this.dirs.length;
      this.dirs.push(dir);
      this.dirIds.set(dir, d);
    }
    this.dirOf[i] = d;
    this.putName(path.slice(slash + 1));
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
    this.links[i] = -1;
    const offset = Number.isSafeInteger(dataOffset) && dataOffset >= 0 ? dataOffset : -1;
    this.offsets = putOffset(this.offsets, i, offset) as Uint32Array | Float64Array;
    if (type === 'symlink' || type === 'hardlink') {
      let target = e.linkName;
      if (type === 'hardlink') {
        target = cleanPath(e.linkName).path;
        if (target === path) this.note('hardlink-to-self', e.name);
      }
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
      fit(this.links, n),
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

  private putName(base: string): void {
    const need = this.poolUsed + base.length * 3;
    if (need > this.pool.length) {
      const next = new Uint8Array(Math.max(need, this.pool.length * 2));
      next.set(this.pool.subarray(0, this.poolUsed));
      this.pool = next;
    }
    this.poolUsed += this.encoder.encodeInto(base, this.pool.subarray(this.poolUsed)).written;
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const grown = <T extends { length: number; set(a: T): void }>(
      a: T,
      make: (n: number) => T,
      k = 1,
    ) => {
      const next = make(cap * k);
      next.set(a);
      return next;
    };
    this.dirOf = grown(this.dirOf, (n) => new Uint32Array(n));
    this.nameEnd = grown(this.nameEnd, (n) => new Uint32Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
    this.sizes = resized(this.sizes, cap);
    this.mtimes = resized(this.mtimes, cap);
    this.modes = grown(this.modes, (n) => new Uint16Array(n));
    this.uids = resized(this.uids, cap);
    this.gids = resized(this.gids, cap);
    this.hashes = grown(this.hashes, (n) => new Uint32Array(n), 2);
    this.links = grown(this.links, (n) => new Int32Array(n));
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
