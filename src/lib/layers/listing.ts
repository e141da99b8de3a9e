/**
 * One layer's listing: a record per tar entry, kept as parallel typed arrays and one UTF-8 pool
 * of base names (directories interned once) so that a million entries cost tens of megabytes,
 * not the hundreds a million objects would. Fed entry by entry as a tar parser emits them.
 */
import type { EntryRole, NoteKind } from './path.ts';
import { isNumberColumn, offsetAt, trimmed, type NumberColumn } from './columns.ts';

export type { EntryRole, NoteKind } from './path.ts';

/** What one tar entry is. */
export type EntryType =
  'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

const TYPES: readonly EntryType[] = [
  'file',
  'dir',
  'symlink',
  'hardlink',
  'char',
  'block',
  'fifo',
  'other',
];
const ROLES: readonly EntryRole[] = ['change', 'whiteout', 'opaque', 'ignored'];
const HAS_HASH = 0x20;

/** A tar entry as any header parser can give it (pax and GNU long names already applied). */
export interface TarEntryInput {
  name: string;
  /** The one-character typeflag (`'0'`, `'5'`, …; `'\0'` and `''` mean a regular file). */
  typeflag: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkName: string;
  /** xxhash64 of a regular file's content, 16 hex digits; may also be given later. */
  contentHash?: string | null;
}

/** One entry of a listing, as an object for views. */
export interface LayerEntry {
  index: number;
  path: string;
  /** The name as the archive spells it, where it says more than `path`. */
  rawName: string | null;
  type: EntryType;
  role: EntryRole;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** Symlink target as written; hard link target cleaned like a path. */
  linkTarget: string | null;
  contentHash: string | null;
}

/** Odd names of one kind in one layer: how many, and the first one. */
export interface ListingNote {
  kind: NoteKind;
  count: number;
  example: string;
}

/** A listing as plain data: what `postMessage` and IndexedDB carry (typed arrays, strings and
 * arrays only), made by `toTransfer()` and read back by `LayerListing.fromTransfer()`. */
export interface LayerListingData {
  count: number;
  totalSize: number;
  notes: ListingNote[];
  dirs: string[];
  dirOf: Uint32Array;
  nameEnd: Uint32Array;
  pool: Uint8Array;
  flags: Uint8Array;
  /** Number columns are 16 or 32 bits where every value fits, else 64-bit floats (columns.ts). */
  sizes: NumberColumn;
  mtimes: NumberColumn;
  modes: Uint16Array;
  uids: NumberColumn;
  gids: NumberColumn;
  hashes: Uint32Array;
  /** Each entry's index in `linkTargets` (-1: none); empty when no entry is a link (most
   * layers of many files have few). */
  links: Int32Array;
  linkTargets: string[];
  /** Raw names where they say more than the path, as [entry, name] pairs. */
  raw: [number, string][];
  /** Where each entry's data starts in the decoded layer tar (not known: -1, or NO_OFFSET in a
   * 32-bit column); absent in listings stored before offsets were recorded. */
  offsets?: Uint32Array | Float64Array;
}

/** Returns the buffers of a listing's data, for a `postMessage` transfer list (the listing's
 * arrays own their buffers: `finish()` leaves each array a buffer of its own, cut to its
 * length, or where the browser cannot, at most an eighth of it spare). */
export function listingBuffers(data: LayerListingData): ArrayBuffer[] {
  const arrays = [
    data.dirOf,
    data.nameEnd,
    data.pool,
    data.flags,
    data.sizes,
    data.mtimes,
    data.modes,
    data.uids,
    data.gids,
    data.hashes,
    data.links,
    ...(data.offsets ? [data.offsets] : []),
  ];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** Entries one listing keeps; past this the rest are counted in a note, never stored. */
export const MAX_LISTING_ENTRIES = 20_000_000;

/** Returns the entry type of a typeflag, reading `'\0'` + trailing `/` as Go's reader does. */
export function typeOf(typeflag: string, name: string): EntryType {
  switch (typeflag) {
    case '0':
    case '7':
      return 'file';
    case '':
    case '\0':
      return name.endsWith('/') ? 'dir' : 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '3':
      return 'char';
    case '4':
      return 'block';
    case '5':
      return 'dir';
    case '6':
      return 'fifo';
    default:
      return 'other';
  }
}

/** A finished, read-only layer listing. */
export class LayerListing {
  constructor(
    /** Number of entries. */
    readonly count: number,
    /** Σ of every entry's header size (dive's layer size). */
    readonly totalSize: number,
    readonly notes: readonly ListingNote[],
    private readonly dirs: readonly string[],
    private readonly dirOf: Uint32Array,
    private readonly nameEnd: Uint32Array,
    private readonly pool: Uint8Array,
    private readonly flags: Uint8Array,
    private readonly sizes: NumberColumn,
    private readonly mtimes: NumberColumn,
    private readonly modes: Uint16Array,
    private readonly uids: NumberColumn,
    private readonly gids: NumberColumn,
    private readonly hashes: Uint32Array,
    private readonly links: Int32Array,
    private readonly linkTargets: readonly string[],
    private readonly raw: ReadonlyMap<number, string>,
    /** Data offsets in the decoded layer tar (see LayerListingData); empty when none were
     * recorded. */
    private readonly offsets: Uint32Array | Float64Array = new Float64Array(0),
  ) {}

  /** Returns the listing as plain data (the same arrays, not copies: transferring them leaves
   * this listing empty). */
  toTransfer(): LayerListingData {
    return {
      count: this.count,
      totalSize: this.totalSize,
      notes: this.notes.map((n) => ({ ...n })),
      dirs: [...this.dirs],
      dirOf: this.dirOf,
      nameEnd: this.nameEnd,
      pool: this.pool,
      flags: this.flags,
      sizes: this.sizes,
      mtimes: this.mtimes,
      modes: this.modes,
      uids: this.uids,
      gids: this.gids,
      hashes: this.hashes,
      links: this.links,
      linkTargets: [...this.linkTargets],
      raw: [...this.raw],
      offsets: this.offsets,
    };
  }

  /** Returns the listing that `toTransfer()` gave, after a structured clone; throws when the
   * arrays do not fit the count (data from elsewhere is not trusted to index by). */
  static fromTransfer(d: LayerListingData): LayerListing {
    const n = d.count;
    const fits =
      Number.isSafeInteger(n) &&
      n >= 0 &&
      d.dirOf instanceof Uint32Array &&
      d.dirOf.length === n &&
      d.nameEnd instanceof Uint32Array &&
      d.nameEnd.length === n &&
      (n === 0 || d.nameEnd[n - 1]! <= d.pool.length) &&
      d.flags instanceof Uint8Array &&
      d.flags.length === n &&
      [d.sizes, d.mtimes, d.uids, d.gids].every((c) => isNumberColumn(c) && c.length === n) &&
      d.modes instanceof Uint16Array &&
      d.modes.length === n &&
      d.hashes instanceof Uint32Array &&
      d.hashes.length === 2 * n &&
      d.links instanceof Int32Array &&
      (d.links.length === n || (d.links.length === 0 && d.linkTargets.length === 0)) &&
      d.dirOf.every((id) => id < d.dirs.length) &&
      d.links.every((l) => l < d.linkTargets.length) &&
      (d.offsets === undefined ||
        ((d.offsets instanceof Float64Array || d.offsets instanceof Uint32Array) &&
          (d.offsets.length === n || d.offsets.length === 0)));
    if (!fits) throw new Error('listing data does not fit its entry count');
    return new LayerListing(
      n,
      d.totalSize,
      d.notes,
      d.dirs,
      d.dirOf,
      d.nameEnd,
      d.pool,
      d.flags,
      d.sizes,
      d.mtimes,
      d.modes,
      d.uids,
      d.gids,
      d.hashes,
      d.links,
      d.linkTargets,
      new Map(d.raw),
      d.offsets,
    );
  }

  /** Returns the cleaned directory part of entry i's path (`''` at the root). */
  dir(i: number): string {
    return this.dirs[this.dirOf[i]!]!;
  }
  /** Returns the interned directory id of entry i (equal ids, equal directories). */
  dirId(i: number): number {
    return this.dirOf[i]!;
  }
  /** Returns the number of distinct directories. */
  get dirCount(): number {
    return this.dirs.length;
  }
  /** Returns the directory with the given id. */
  dirById(id: number): string {
    return this.dirs[id]!;
  }
  /** Returns the last component of entry i's path (`''` for the root). */
  base(i: number): string {
    return decodeName(this.pool, i === 0 ? 0 : this.nameEnd[i - 1]!, this.nameEnd[i]!);
  }
  /** Returns the pool of base names as UTF-8 (entry i's is `baseStart(i) .. baseEnd(i)`), for
   * readers that compare names without making strings (the merge). */
  get namePool(): Uint8Array {
    return this.pool;
  }
  /** Returns where each entry's base name ends in `namePool` (entry i's starts where entry
   * i - 1's ends, the first at 0), for readers of many names (the merge). */
  get nameEnds(): Uint32Array {
    return this.nameEnd;
  }
  /** Returns where entry i's base name starts in `namePool`. */
  baseStart(i: number): number {
    return i === 0 ? 0 : this.nameEnd[i - 1]!;
  }
  /** Returns where entry i's base name ends in `namePool`. */
  baseEnd(i: number): number {
    return this.nameEnd[i]!;
  }
  /** Returns entry i's cleaned path. */
  path(i: number): string {
    const d = this.dir(i);
    return d === '' ? this.base(i) : `${d}/${this.base(i)}`;
  }
  /** Returns entry i's type. */
  type(i: number): EntryType {
    return TYPES[this.flags[i]! & 7]!;
  }
  /** Returns how the merge treats entry i. */
  role(i: number): EntryRole {
    return ROLES[(this.flags[i]! >> 3) & 3]!;
  }
  /** Returns entry i's size from its header. */
  size(i: number): number {
    return this.sizes[i]!;
  }
  /** Returns entry i's permission bits. */
  mode(i: number): number {
    return this.modes[i]!;
  }
  /** Returns entry i's owner id. */
  uid(i: number): number {
    return this.uids[i]!;
  }
  /** Returns entry i's group id. */
  gid(i: number): number {
    return this.gids[i]!;
  }
  /** Returns entry i's modification time in seconds. */
  mtime(i: number): number {
    return this.mtimes[i]!;
  }
  /** Returns entry i's link target, or null. */
  linkTarget(i: number): string | null {
    const l = this.links[i] ?? -1;
    return l < 0 ? null : this.linkTargets[l]!;
  }
  /** Returns true when entry i has a content hash. */
  hasHash(i: number): boolean {
    return (this.flags[i]! & HAS_HASH) !== 0;
  }
  /** Returns true when entries i of this listing and j of another hold the same hashed content. */
  sameHash(i: number, other: LayerListing, j: number): boolean {
    return (
      this.hasHash(i) &&
      other.hasHash(j) &&
      this.hashes[2 * i] === other.hashes[2 * j] &&
      this.hashes[2 * i + 1] === other.hashes[2 * j + 1]
    );
  }
  /** Returns entry i's xxhash64 as 16 hex digits, or null. */
  contentHash(i: number): string | null {
    if (!this.hasHash(i)) return null;
    return hex8(this.hashes[2 * i]!) + hex8(this.hashes[2 * i + 1]!);
  }
  /** Returns where entry i's data starts in the decoded layer tar, or null when not recorded
   * (a reader may then slice an uncompressed layer at that offset instead of parsing it). */
  dataOffset(i: number): number | null {
    return offsetAt(this.offsets, i);
  }
  /** Returns entry i's raw name where it says more than its path, else null. */
  rawName(i: number): string | null {
    return this.raw.get(i) ?? null;
  }
  /** Returns entry i as an object. */
  entry(i: number): LayerEntry {
    return {
      index: i,
      path: this.path(i),
      rawName: this.rawName(i),
      type: this.type(i),
      role: this.role(i),
      size: this.size(i),
      mode: this.mode(i),
      uid: this.uid(i),
      gid: this.gid(i),
      mtime: this.mtime(i),
      linkTarget: this.linkTarget(i),
      contentHash: this.contentHash(i),
    };
  }
  /** Returns every entry as objects, in archive order (for small listings and tests). */
  *entries(): IterableIterator<LayerEntry> {
    for (let i = 0; i < this.count; i++) yield this.entry(i);
  }
  /** Returns the bytes held by the typed arrays and pool (strings estimated). */
  get byteLength(): number {
    let strings = 0;
    for (const d of this.dirs) strings += 32 + d.length;
    for (const t of this.linkTargets) strings += 32 + t.length;
    for (const r of this.raw.values()) strings += 48 + r.length;
    return (
      strings +
      this.dirOf.byteLength +
      this.nameEnd.byteLength +
      this.pool.byteLength +
      this.flags.byteLength +
      this.sizes.byteLength +
      this.mtimes.byteLength +
      this.modes.byteLength +
      this.uids.byteLength +
      this.gids.byteLength +
      this.hashes.byteLength +
      this.links.byteLength +
      this.offsets.byteLength
    );
  }
}

/** Returns the first n items of a grown array, the only user of its buffer: cut exactly where the
 * browser can free the rest at once, else a view on it when little is spare (no copy of tens of
 * megabytes at the end of a big layer or merge, which would double its peak), else a trimmed
 * copy (columns.ts `trimmed`). */
export function fit<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(
  a: T,
  n: number,
): T {
  return trimmed(a, n);
}

const decoder = new TextDecoder();

/** Returns the name held in `pool[start..end)` (UTF-8). */
export function decodeName(pool: Uint8Array, start: number, end: number): string {
  // Short ASCII names (nearly all) are built directly: TextDecoder costs more per call.
  if (end - start <= 64) {
    let ascii = true;
    for (let k = start; k < end; k++) if (pool[k]! >= 0x80) ascii = false;
    if (ascii)
      return String.fromCharCode.apply(null, pool.subarray(start, end) as unknown as number[]);
  }
  return decoder.decode(pool.subarray(start, end));
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

export { LayerListingBuilder } from './listing-builder.ts';
