/**
 * Parsing of single 512-byte tar header blocks (ustar, GNU, pax), shared by the random-access
 * indexer and the streaming reader. Knows nothing about where the bytes come from.
 */

export const BLOCK = 512;

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

/** What one header block says, before pax / GNU long-name records are applied. */
export interface RawHeader {
  name: string;
  linkName: string;
  size: number;
  /** The typeflag character ('0', '5', 'x', 'L', …; NUL is reported as '0'). */
  flag: string;
}

/** Overrides carried by pax ('x', 'g') and GNU ('L', 'K') records for the next entry. */
export interface PendingNames {
  path?: string;
  linkPath?: string;
  size?: number;
}

import type { Problem } from '../errors.ts';
import type { ArchiveEntry } from './archive.ts';
import { problem } from '../errors.ts';
import { normalizeEntryName } from './paths.ts';

const decoder = new TextDecoder('utf-8');

function cString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return decoder.decode(block.subarray(start, end));
}

/** Returns the number in a tar numeric field: octal text, or GNU base-256 when the high bit is set. */
export function parseNumber(block: Uint8Array, start: number, length: number): number {
  if ((block[start]! & 0x80) !== 0) {
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  let value = 0;
  let seen = false;
  for (let i = start; i < start + length; i++) {
    const c = block[i]!;
    if (c === 0 || (c === 0x20 && seen)) break;
    if (c === 0x20) continue;
    if (c < 0x30 || c > 0x37) return NaN;
    value = value * 8 + (c - 0x30);
    seen = true;
  }
  return value;
}

/** Returns true when every byte of the block is zero (an end-of-archive marker). */
export function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Returns true when the header's checksum field matches its bytes. */
export function checksumOk(block: Uint8Array): boolean {
  const stored = parseNumber(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** Returns the header fields of a block whose checksum has been checked. */
export function parseHeader(block: Uint8Array): RawHeader {
  const magic = cString(block, 257, 6);
  const version = cString(block, 263, 2);
  let name = cString(block, 0, 100);
  // POSIX ustar splits long names into prefix + name; GNU ("ustar  ") uses that space otherwise.
  if (magic === 'ustar' && version !== ' ') {
    const prefix = cString(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  const flagByte = block[156]!;
  return {
    name,
    linkName: cString(block, 157, 100),
    size: parseNumber(block, 124, 12),
    flag: flagByte === 0 ? '0' : String.fromCharCode(flagByte),
  };
}

/** Returns the type of entry a typeflag stands for. */
export function entryType(flag: string): TarEntryType {
  switch (flag) {
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

/** Returns true for records that describe the next entry rather than being one. */
export function isMetaRecord(flag: string): boolean {
  return flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';
}

/** Applies a pax ('x'/'g') or GNU ('L'/'K') record's data to the pending overrides. */
export function applyMetaRecord(flag: string, data: Uint8Array, pending: PendingNames): void {
  if (flag === 'L') pending.path = cString(data, 0, data.length);
  else if (flag === 'K') pending.linkPath = cString(data, 0, data.length);
  else if (flag === 'x' || flag === 'g') {
    for (const [key, value] of parsePax(data)) {
      if (key === 'path') pending.path = value;
      else if (key === 'linkpath') pending.linkPath = value;
      else if (key === 'size') {
        const n = Number(value);
        if (Number.isSafeInteger(n) && n >= 0) pending.size = n;
      }
    }
  }
}

/** Returns the key/value records of a pax extended header ("<len> <key>=<value>\n"). */
export function parsePax(data: Uint8Array): [string, string][] {
  const records: [string, string][] = [];
  let at = 0;
  while (at < data.length) {
    let space = at;
    while (space < data.length && data[space] !== 0x20) space++;
    const length = Number(decoder.decode(data.subarray(at, space)));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) break;
    const record = decoder.decode(data.subarray(space + 1, at + length - 1));
    const eq = record.indexOf('=');
    if (eq > 0) records.push([record.slice(0, eq), record.slice(eq + 1)]);
    at += length;
  }
  return records;
}

/** Returns the number of bytes an entry of `size` bytes occupies, padded to whole blocks. */
export function paddedSize(size: number): number {
  return Math.ceil(size / BLOCK) * BLOCK;
}

/** A header block judged: the end of the archive, a fault that stops reading, or a header. */
export type HeaderVerdict = { end: true } | { fault: Problem } | { raw: RawHeader };

/** Returns what the block at `offset` is; `first` says whether any entry came before it. */
export function judgeHeader(block: Uint8Array, offset: number, first: boolean): HeaderVerdict {
  if (isZeroBlock(block)) return { end: true };
  if (!checksumOk(block)) {
    return {
      fault: problem(
        'tar-header-invalid',
        first
          ? 'not a tar archive (no valid tar header at its start)'
          : `invalid tar header checksum at offset ${offset}; the rest of the archive is not read`,
      ),
    };
  }
  const raw = parseHeader(block);
  if (!Number.isSafeInteger(raw.size) || raw.size < 0) {
    return {
      fault: problem('tar-header-invalid', `invalid size in the tar header at offset ${offset}`),
    };
  }
  return { raw };
}

/** Returns the entry a (non-meta) header describes, pax/GNU overrides applied; its data starts
 * at `dataOffset`. Only regular files have data here: other types get size 0. */
export function entryOf(raw: RawHeader, names: PendingNames, dataOffset: number): ArchiveEntry {
  const type = entryType(raw.flag);
  const rawName = names.path ?? raw.name;
  return {
    rawName,
    name: normalizeEntryName(rawName),
    type,
    size: type === 'file' ? (names.size ?? raw.size) : 0,
    dataOffset,
    linkName: type === 'symlink' || type === 'hardlink' ? (names.linkPath ?? raw.linkName) : null,
    truncated: false,
  };
}
