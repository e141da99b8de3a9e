/**
 * Number columns of a listing that are as narrow as their values let them be: a million entries
 * cost 4 bytes each for a size, a time or an offset, not 8, while every value fits in 32 bits
 * (nearly always), and 2 bytes for an owner id below 65,536. A value that does not fit widens the
 * whole column once (16 → 32 bits → 64-bit floats), so every value is kept exactly.
 */

/** A column of numbers: unsigned 16 or 32 bits while every value fits, else 64-bit floats. */
export type NumberColumn = Uint16Array | Uint32Array | Float64Array;

/** In a 32-bit column of data offsets, "not known" (-1 in a 64-bit one). */
export const NO_OFFSET = 0xffffffff;

/** Returns true when `a` is a number column (data from elsewhere is checked with it). */
export function isNumberColumn(a: unknown): a is NumberColumn {
  return a instanceof Uint16Array || a instanceof Uint32Array || a instanceof Float64Array;
}

/** A typed array a listing or a merge keeps. */
export type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

type Transferable = ArrayBuffer & { transfer?: (byteLength: number) => ArrayBuffer };

/** True where `ArrayBuffer.prototype.transfer` exists (Chromium 114+, Firefox 122+, Node 21+). */
export const canTransfer = typeof (ArrayBuffer.prototype as Transferable).transfer === 'function';

/** Returns an array of `length` items holding `a`'s first items (its type kept; new items are
 * zero), and `a` must not be used afterwards. Where `a` owns its whole buffer and the browser
 * has `ArrayBuffer.prototype.transfer`, the old bytes are freed at once, not at the next
 * collection: growing a million entries' columns one after the other then costs one column's
 * copy at a time, not a second listing's worth of garbage. */
export function resized<T extends Column>(a: T, length: number): T {
  const Ctor = a.constructor as new (b: ArrayBuffer | number) => T;
  const buffer = a.buffer as Transferable;
  if (canTransfer && a.byteOffset === 0 && a.byteLength === buffer.byteLength)
    return new Ctor(buffer.transfer!(length * a.BYTES_PER_ELEMENT));
  const next = new Ctor(length);
  next.set(a.subarray(0, Math.min(a.length, length)) as never);
  return next;
}

/** Frees the bytes of an array that owns its whole buffer at once (where the browser has
 * `ArrayBuffer.prototype.transfer`), rather than at the next collection; `a` must not be used
 * afterwards. */
export function freed(a: Column): void {
  const buffer = a.buffer as Transferable;
  if (canTransfer && a.byteOffset === 0 && a.byteLength === buffer.byteLength && a.length > 0)
    buffer.transfer!(0);
}

/** Returns `a` cut to its first `n` items, for keeping: exactly (freeing the rest at once)
 * where `resized` can, else as `fit` does (a view when at most an eighth is spare: a copy would
 * double the peak). */
export function trimmed<T extends Column>(a: T, n: number): T {
  if (a.length === n) return a;
  const buffer = a.buffer as Transferable;
  if (canTransfer && a.byteOffset === 0 && a.byteLength === buffer.byteLength) return resized(a, n);
  return (a.length - n <= a.length / 8 ? a.subarray(0, n) : a.slice(0, n)) as T;
}

/** Stores v at i, first widening the column where v does not fit it; returns the column. */
export function put(a: NumberColumn, i: number, v: number): NumberColumn {
  if (a instanceof Float64Array || fits(a, v)) {
    a[i] = v;
    return a;
  }
  const wide =
    a instanceof Uint16Array && fits(new Uint32Array(0), v)
      ? Uint32Array.from(a)
      : Float64Array.from(a);
  wide[i] = v;
  return wide;
}

/** Stores a data offset (-1: not known) at i, widening as `put` does; returns the column. */
export function putOffset(a: Uint32Array | Float64Array, i: number, v: number): NumberColumn {
  if (a instanceof Float64Array) {
    a[i] = v;
    return a;
  }
  if (v < 0) {
    a[i] = NO_OFFSET;
    return a;
  }
  if (v < NO_OFFSET) {
    a[i] = v;
    return a;
  }
  const wide = Float64Array.from(a, (o) => (o === NO_OFFSET ? -1 : o));
  wide[i] = v;
  return wide;
}

/** Returns a data offset read from its column, or null when not known. */
export function offsetAt(a: NumberColumn, i: number): number | null {
  const o = a[i];
  if (o === undefined) return null;
  if (a instanceof Float64Array) return o < 0 ? null : o;
  return o === NO_OFFSET ? null : o;
}

function fits(a: Uint16Array | Uint32Array, v: number): boolean {
  const max = a instanceof Uint16Array ? 0xffff : 0xffffffff;
  return Number.isInteger(v) && v >= 0 && v <= max;
}
