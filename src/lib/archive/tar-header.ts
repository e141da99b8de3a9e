/**
 * Single 512-byte tar header blocks (V7, ustar, GNU, star) and pax records, decoded as Go's
 * archive/tar decodes them: the same numeric fields refused, the same prefix rules, the same
 * record syntax. Knows nothing about where the bytes come from; the walk is in tar-parser.ts.
 */
import type { Problem } from '../errors.ts';
import { problem } from '../errors.ts';

export const BLOCK = 512;

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** The header layouts Go tells apart (its getFormat). */
export type TarFormat = 'v7' | 'ustar' | 'gnu' | 'star';

/** What one header block says, before pax / GNU long-name records are applied. */
export interface RawHeader {
  name: string;
  linkName: string;
  size: number;
  /** The typeflag character ('0', '5', 'x', 'L', …; NUL stays '\0', as Go's TypeRegA). */
  flag: string;
  format: TarFormat;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
}

const decoder = new TextDecoder('utf-8');

/** Returns bytes decoded as UTF-8; short ASCII (almost every name) without the decoder's cost,
 * which dominates reading 100,000s of headers. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length > 256) return decoder.decode(bytes);
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return decoder.decode(bytes);
    text += String.fromCharCode(c);
  }
  return text;
}

/** Returns the NUL-terminated text at `start` (the whole field when it has no NUL). */
export function cString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return decodeText(block.subarray(start, end));
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0;
}

/** Returns the octal number in a field as Go's parseOctal reads it (spaces and NULs trimmed at
 * both ends, then up to the first NUL, then octal digits only); NaN where Go fails. */
export function parseOctal(block: Uint8Array, start: number, length: number): number {
  let from = start;
  let to = start + length;
  while (from < to && isBlank(block[from]!)) from++;
  while (to > from && isBlank(block[to - 1]!)) to--;
  if (from === to) return 0;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = block[i]!;
    if (c === 0) break;
    if (c < 0x30 || c > 0x37) return NaN;
    value = value * 8 + (c - 0x30);
  }
  // Go parses into a uint64.
  return value < 2 ** 64 ? value : NaN;
}

/** Returns the number in a tar numeric field: octal text, or base-256 (two's complement) when
 * the high bit is set, as Go's parseNumeric; NaN where Go fails (overflow, bad digits). */
export function parseNumber(block: Uint8Array, start: number, length: number): number {
  if (length > 0 && (block[start]! & 0x80) !== 0) {
    const invert = (block[start]! & 0x40) !== 0 ? 0xff : 0;
    let value = 0;
    for (let i = start; i < start + length; i++) {
      let c = block[i]! ^ invert;
      if (i === start) c &= 0x7f;
      if (value >= 2 ** 56) return NaN;
      value = value * 256 + c;
    }
    if (value >= 2 ** 63) return NaN;
    return invert ? -value - 1 : value;
  }
  return parseOctal(block, start, length);
}

/** Returns true when every byte of the block is zero (an end-of-archive marker). */
export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Returns true when the header's checksum field matches its bytes (summed unsigned or signed). */
export function checksumOk(block: Uint8Array): boolean {
  const stored = parseOctal(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

function bytesAre(block: Uint8Array, start: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (block[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Returns the layout of a checksummed header, by its magic, version and star trailer. */
export function formatOf(block: Uint8Array): TarFormat {
  if (bytesAre(block, 257, 'ustar\0')) return bytesAre(block, 508, 'tar\0') ? 'star' : 'ustar';
  if (bytesAre(block, 257, 'ustar ') && bytesAre(block, 263, ' \0')) return 'gnu';
  return 'v7';
}

/** Numeric fields Go parses in every header (mode, uid, gid, size, mtime) and in all but V7
 * ones (devmajor, devminor): one it cannot parse makes it refuse the header. */
const NUMERIC_FIELDS: [number, number][] = [
  [100, 8],
  [108, 8],
  [116, 8],
  [124, 12],
  [136, 12],
];
const USTAR_NUMERIC_FIELDS: [number, number][] = [
  [329, 8],
  [337, 8],
];

function badTime(block: Uint8Array, at: number): boolean {
  return block[at] !== 0 && Number.isNaN(parseNumber(block, at, 12));
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Returns the header fields of a block whose checksum has been checked; null where Go's
 * reader refuses the header (a numeric field it cannot parse). */
export function parseHeader(block: Uint8Array): RawHeader | null {
  const format = formatOf(block);
  for (const [at, length] of NUMERIC_FIELDS)
    if (Number.isNaN(parseNumber(block, at, length))) return null;
  if (format !== 'v7') {
    for (const [at, length] of USTAR_NUMERIC_FIELDS)
      if (Number.isNaN(parseNumber(block, at, length))) return null;
  }
  let name = cString(block, 0, 100);
  let prefix = '';
  if (format === 'ustar') prefix = cString(block, 345, 155);
  else if (format === 'star') {
    prefix = cString(block, 345, 131);
    if (Number.isNaN(parseNumber(block, 476, 12)) || Number.isNaN(parseNumber(block, 488, 12)))
      return null;
  } else if (format === 'gnu') {
    // GNU keeps atime/ctime at 345: Go reads them, and where they do not parse takes the field
    // for a ustar prefix written by old Go writers (golang.org/issues/12594), if it is ASCII.
    if (badTime(block, 345) || badTime(block, 357)) {
      const text = cString(block, 345, 155);
      if (isAscii(text)) prefix = text;
    }
  }
  if (prefix) name = `${prefix}/${name}`;
  return {
    name,
    linkName: cString(block, 157, 100),
    size: parseNumber(block, 124, 12),
    flag: String.fromCharCode(block[156]!),
    format,
    mode: parseNumber(block, 100, 8),
    uid: parseNumber(block, 108, 8),
    gid: parseNumber(block, 116, 8),
    mtime: parseNumber(block, 136, 12),
  };
}

/** Returns the type of entry a typeflag stands for (NUL as a file: a trailing "/" in the name
 * makes it a directory, which the parser decides). */
export function entryType(flag: string): TarEntryType {
  switch (flag) {
    case '\0':
    case '0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

/** Returns true for the types Go reads no data for, whatever their size field says (its
 * isHeaderOnlyType): hard link, symlink, char and block devices, directory, FIFO. */
export function isHeaderOnly(flag: string): boolean {
  return flag >= '1' && flag <= '6' && flag.length === 1;
}

/** Returns true for records that describe the next entry rather than being one. */
export function isMetaRecord(flag: string): boolean {
  return flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';
}

const DECIMAL = /^[+-]?[0-9]+$/;

/** Returns the key/value records of a pax extended header ("<len> <key>=<value>\n"), or null
 * where Go's parsePAX refuses it (bad length, no newline, no "=", NUL in a name, GNU sparse
 * offset/numbytes out of order). Later keys replace earlier ones, as in Go's map. */
export function parsePax(data: Uint8Array): [string, string][] | null {
  const records = new Map<string, string>();
  const sparse: string[] = [];
  let at = 0;
  while (at < data.length) {
    let space = at;
    while (space < data.length && data[space] !== 0x20) space++;
    if (space === data.length) return null;
    const lengthText = decodeText(data.subarray(at, space));
    if (!DECIMAL.test(lengthText)) return null;
    const length = Number(lengthText);
    if (length < 5 || at + length > data.length || length <= space - at + 1) return null;
    if (data[at + length - 1] !== 0x0a) return null;
    const body = data.subarray(space + 1, at + length - 1);
    const eq = body.indexOf(0x3d);
    if (eq <= 0) return null;
    const key = decodeText(body.subarray(0, eq));
    const raw = body.subarray(eq + 1);
    const nameKey = key === 'path' || key === 'linkpath' || key === 'uname' || key === 'gname';
    if (nameKey ? raw.includes(0) : key.includes('\0')) return null;
    const value = decodeText(raw);
    if (key === 'GNU.sparse.offset' || key === 'GNU.sparse.numbytes') {
      const wanted = sparse.length % 2 === 0 ? 'GNU.sparse.offset' : 'GNU.sparse.numbytes';
      if (key !== wanted || value.includes(',')) return null;
      sparse.push(value);
    } else records.set(key, value);
    at += length;
  }
  if (sparse.length > 0) records.set('GNU.sparse.map', sparse.join(','));
  return [...records];
}

/** Returns the integer a pax numeric value holds (Go's ParseInt, 64 bits); NaN where it fails
 * or is beyond what a JavaScript number holds exactly. */
export function paxInteger(value: string): number {
  if (!DECIMAL.test(value)) return NaN;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : NaN;
}

/** Returns true for a pax time ("<seconds>[.<digits>]") Go's parsePAXTime accepts. */
export function paxTimeOk(value: string): boolean {
  return /^[+-]?[0-9]+(\.[0-9]*)?$/.test(value);
}

/** Returns the number of bytes an entry of `size` bytes occupies, padded to whole blocks. */
export function paddedSize(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** A header block judged: the end-of-archive marker, a fault that stops reading, or a header. */
export type HeaderVerdict = { end: true } | { fault: Problem } | { raw: RawHeader };

/** Returns what the block at `offset` is (a bad block at offset 0 means "not a tar"). */
export function judgeHeader(block: Uint8Array, offset: number): HeaderVerdict {
  if (isZeroBlock(block)) return { end: true };
  if (!checksumOk(block)) {
    return {
      fault: problem(
        'tar-header-invalid',
        offset === 0
          ? 'not a tar archive (no valid tar header at its start)'
          : `invalid tar header checksum at offset ${offset}; the rest of the archive is not read`,
      ),
    };
  }
  const raw = parseHeader(block);
  if (!raw || !Number.isSafeInteger(raw.size) || raw.size < 0) {
    return {
      fault: problem(
        'tar-header-invalid',
        `invalid ${raw ? 'size' : 'numeric field'} in the tar header at offset ${offset}; the rest of the archive is not read`,
      ),
    };
  }
  return { raw };
}
