/**
 * A layer read cut into pieces for IndexedDB, and put back together. IndexedDB copies a value
 * whole when it is written (the structured clone, then the browser's own wrapping of a large
 * clone): a listing of a million entries written as one record costs the page two or three more
 * copies of it for as long as the write takes. Cut into pieces of at most `PIECE_BYTES`, written
 * one after the other, a write holds one piece's copies at a time. Each big array (typed arrays
 * of the listing, kept files' bytes, the lists of directory names, link targets and raw names)
 * is replaced in the head record by a reference (`PieceRef`) to the pieces that hold it.
 */
import type { KeptFiles } from '../../lib/layers/kept-files.ts';
import type { LayerListingData } from '../../lib/layers/listing.ts';
import type { LayerRead } from './listing-store.ts';

/** Bytes of one piece at most (strings counted as two bytes a character): each is copied two or
 * three times while it is written, and those copies are in the page beside the listing and the
 * merged tree of a million paths (4 MiB before: still read). */
export const PIECE_BYTES = 1024 * 1024;

/** Bytes of one piece read at most (what any version wrote). */
const READ_PIECE_BYTES = 4 * 1024 * 1024;

const TYPED = {
  Uint8Array,
  Uint16Array,
  Uint32Array,
  Int32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;
type Typed = InstanceType<(typeof TYPED)[TypedName]>;

/** Where an array went: pieces `first .. first + count - 1`, holding `length` items in all. */
export interface PieceRef {
  piece: TypedName | 'list';
  first: number;
  count: number;
  length: number;
}

/** A layer read with every big array a reference to its pieces. */
export interface ReadHead {
  listing: Record<string, unknown>;
  kept: { files: { entry: number; path: string; bytes: PieceRef }[]; dropped: unknown[] } | null;
}

/** A layer read cut up: the head record, and the pieces to write. Piece k is made when asked
 * for (a copy: a view would be cloned with the whole buffer under it); give it to `release` once
 * written, which frees its bytes at once rather than at the next garbage collection (pieces of a
 * million entries would otherwise stay in the page as tens of megabytes of garbage). */
export interface CutRead {
  head: ReadHead;
  pieces: number;
  piece(k: number): unknown;
}

const LISTS = ['dirs', 'linkTargets', 'raw'] as const;

/** Returns the items of a typed array of this type that one piece holds (of `bytes`). */
function perPiece(name: TypedName, bytes = PIECE_BYTES): number {
  return bytes / TYPED[name].BYTES_PER_ELEMENT;
}

/** Returns the name of a typed array's type (not `constructor.name`: a subclass could lie). */
function typedName(a: ArrayBufferView): TypedName {
  for (const name of Object.keys(TYPED) as TypedName[]) if (a instanceof TYPED[name]) return name;
  throw new Error('not a typed array a listing holds');
}

/** Returns the read cut into a head and pieces. */
export function cutRead(read: LayerRead): CutRead {
  const makers: (() => unknown)[] = [];
  const typed = (
    a: ArrayBufferView & { length: number; slice(from: number, to: number): unknown },
  ) => {
    const name = typedName(a);
    const ref: PieceRef = { piece: name, first: makers.length, count: 0, length: a.length };
    const per = perPiece(name);
    for (let at = 0; at < a.length; at += per) makers.push(() => a.slice(at, at + per));
    ref.count = makers.length - ref.first;
    return ref;
  };
  const list = (items: readonly unknown[]): PieceRef => {
    const ref: PieceRef = { piece: 'list', first: makers.length, count: 0, length: items.length };
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      bytes += 16 + 2 * (typeof item === 'string' ? item.length : String(item).length);
      if (bytes >= PIECE_BYTES || i === items.length - 1) {
        const from = start;
        makers.push(() => items.slice(from, i + 1));
        start = i + 1;
        bytes = 0;
      }
    }
    ref.count = makers.length - ref.first;
    return ref;
  };
  const listing: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(read.listing)) {
    if (ArrayBuffer.isView(value)) listing[key] = typed(value as Typed);
    else if ((LISTS as readonly string[]).includes(key)) listing[key] = list(value as unknown[]);
    else listing[key] = value;
  }
  const kept = read.kept && {
    files: read.kept.files.map((f) => ({ entry: f.entry, path: f.path, bytes: typed(f.bytes) })),
    dropped: read.kept.dropped,
  };
  return { head: { listing, kept }, pieces: makers.length, piece: (k) => makers[k]!() };
}

/** Frees a piece's bytes once it has been written (detaching its buffer, where the browser can:
 * `ArrayBuffer.prototype.transfer`); the piece must not be read afterwards. */
export function release(piece: unknown): void {
  if (!ArrayBuffer.isView(piece)) return;
  const buffer = piece.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
  buffer.transfer?.(0);
}

/** Returns the read a head describes, its pieces read by `piece`, or null when a piece is missing
 * or does not fit its reference (then the record is damaged). The arrays are made at their full
 * length once and filled piece by piece. */
export async function joinRead(
  head: ReadHead,
  piece: (k: number) => Promise<unknown>,
): Promise<LayerRead | null> {
  const refOf = (v: unknown): PieceRef | null => {
    const r = v as PieceRef | null;
    const ok =
      r !== null &&
      typeof r === 'object' &&
      (r.piece === 'list' || Object.prototype.hasOwnProperty.call(TYPED, r.piece)) &&
      [r.first, r.count, r.length].every((n) => Number.isSafeInteger(n) && n >= 0);
    return ok ? r : null;
  };
  const join = async (v: unknown): Promise<Typed | unknown[] | null> => {
    const ref = refOf(v);
    if (!ref) return null;
    if (ref.piece === 'list') {
      const out: unknown[] = [];
      for (let k = 0; k < ref.count; k++) {
        const p = await piece(ref.first + k);
        if (!Array.isArray(p)) return null;
        for (const item of p) out.push(item);
      }
      return out.length === ref.length ? out : null;
    }
    const Ctor = TYPED[ref.piece];
    const most = perPiece(ref.piece, READ_PIECE_BYTES);
    if (ref.count > Math.ceil(ref.length / perPiece(ref.piece)) || ref.count * most < ref.length)
      return null;
    const out = new Ctor(ref.length);
    let at = 0;
    for (let k = 0; k < ref.count; k++) {
      const p = await piece(ref.first + k);
      if (!(p instanceof Ctor) || p.length > most || at + p.length > ref.length) return null;
      out.set(p as never, at);
      at += p.length;
    }
    return at === ref.length ? out : null;
  };
  if (!head || typeof head !== 'object' || !head.listing || typeof head.listing !== 'object')
    return null;
  const listing: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(head.listing)) {
    const isRef = refOf(value) !== null;
    if (!isRef) {
      listing[key] = value;
      continue;
    }
    const joined = await join(value);
    if (!joined) return null;
    listing[key] = joined;
  }
  let kept: KeptFiles | null = null;
  if (head.kept) {
    if (!Array.isArray(head.kept.files)) return null;
    const files: KeptFiles['files'] = [];
    for (const f of head.kept.files) {
      const bytes = f && (await join(f.bytes));
      if (!(bytes instanceof Uint8Array)) return null;
      files.push({ entry: f.entry, path: f.path, bytes });
    }
    kept = { files, dropped: head.kept.dropped as KeptFiles['dropped'] };
  }
  return { listing: listing as unknown as LayerListingData, kept };
}
