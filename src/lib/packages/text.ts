/** Small text helpers shared by the package readers. */
import { MAX_PACKAGE_DB_BYTES } from './limits.ts';
import { packageProblem, type ReadResult } from './model.ts';

const utf8 = new TextDecoder('utf-8');

/** Returns the bytes as text (UTF-8; invalid sequences become U+FFFD, as a viewer shows them). */
export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** Returns <0, 0, >0 comparing two strings by code point, which is the byte order of their
 * UTF-8 (what `sort` does in the C locale, and strcmp). */
export function compareC(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every BMP code point in UTF-8 byte order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Returns a non-negative integer parsed from decimal text, or null. */
export function parseCount(value: string | null | undefined): number | null {
  if (value == null || !/^\s*\d{1,15}\s*$/.test(value)) return null;
  return Number(value.trim());
}

/** Returns the result of a database file too large to read: no packages, one problem. */
export function tooLarge<T>(length: number, path: string): ReadResult<T> {
  return {
    packages: [],
    problems: [
      packageProblem(
        'package-db-too-large',
        `${length} bytes (more than ${MAX_PACKAGE_DB_BYTES}); not read`,
        path,
      ),
    ],
  };
}
