/**
 * The rpm header blob (rpm `lib/header.c`): `il` and `dl` (big-endian u32), `il` index
 * entries of 16 bytes (tag, type, offset, count), then `dl` bytes of data. Only the tags the
 * package table and the local report need are read; a tag listed twice (a dribble entry
 * after the immutable region) takes its last value, as rpm's header merge does.
 */
import { MAX_RPM_HEADER_BYTES, MAX_RPM_HEADER_TAGS } from '../limits.ts';
import type { RpmPackage } from '../model.ts';
import { DbError } from './db-error.ts';

const TAG = {
  name: 1000,
  version: 1001,
  release: 1002,
  epoch: 1003,
  summary: 1004,
  size: 1009,
  vendor: 1011,
  license: 1014,
  arch: 1022,
  sourceRpm: 1044,
  longSize: 5009,
} as const;
const WANTED = new Set<number>(Object.values(TAG));

const INT32 = 4;
const INT64 = 5;
const STRING = 6;
const STRING_ARRAY = 8;
const I18NSTRING = 9;

const utf8 = new TextDecoder('utf-8');

/** Returns the number of bytes a header blob starting at `bytes[0]` declares (8 + 16·il + dl);
 * throws when the numbers are beyond the bounds. */
export function headerLength(bytes: Uint8Array, where: string): number {
  if (bytes.length < 8)
    throw new DbError('package-db-truncated', 'a header blob shorter than 8 bytes', where);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  if (il < 1 || il > MAX_RPM_HEADER_TAGS)
    throw new DbError('package-db-corrupt', `a header blob with ${il} index entries`, where);
  const length = 8 + 16 * il + dl;
  if (length > MAX_RPM_HEADER_BYTES)
    throw new DbError(
      'package-db-too-large',
      `a header blob claiming ${length} bytes (more than ${MAX_RPM_HEADER_BYTES})`,
      where,
    );
  return length;
}

/** Returns the package a header blob describes; throws a DbError naming `where` when the blob
 * is truncated, claims too much, or points outside itself. */
export function readHeader(bytes: Uint8Array, where: string): RpmPackage {
  const length = headerLength(bytes, where);
  if (bytes.length < length)
    throw new DbError(
      'package-db-truncated',
      `a header blob of ${bytes.length} bytes declares ${length}`,
      where,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  const dataStart = 8 + 16 * il;
  const values = new Map<number, string | number>();
  for (let i = 0; i < il; i++) {
    const at = 8 + 16 * i;
    const tag = view.getUint32(at);
    if (!WANTED.has(tag)) continue;
    const type = view.getUint32(at + 4);
    const offset = view.getInt32(at + 8);
    const count = view.getUint32(at + 12);
    if (offset < 0 || offset >= dl || count < 1)
      throw new DbError(
        'package-db-corrupt',
        `header tag ${tag} points outside the data (offset ${offset})`,
        where,
      );
    const start = dataStart + offset;
    const end = dataStart + dl;
    if (type === STRING || type === STRING_ARRAY || type === I18NSTRING) {
      const nul = bytes.subarray(start, end).indexOf(0);
      if (nul < 0)
        throw new DbError('package-db-corrupt', `header tag ${tag} has no string end`, where);
      values.set(tag, utf8.decode(bytes.subarray(start, start + nul)));
    } else if (type === INT32) {
      if (start + 4 > end)
        throw new DbError('package-db-corrupt', `header tag ${tag} overruns the data`, where);
      values.set(tag, view.getUint32(start));
    } else if (type === INT64) {
      if (start + 8 > end)
        throw new DbError('package-db-corrupt', `header tag ${tag} overruns the data`, where);
      values.set(tag, Number(view.getBigUint64(start)));
    }
  }
  const str = (t: number) => {
    const v = values.get(t);
    return typeof v === 'string' ? v : null;
  };
  // rpm stores "(none)" in the SOURCERPM of imported public keys and prints it for an absent
  // tag too, so for these tags the two read the same: null (as go-rpmdb reads them).
  const optional = (t: number) => {
    const v = str(t);
    return v === '(none)' ? null : v;
  };
  const num = (t: number) => {
    const v = values.get(t);
    return typeof v === 'number' ? v : null;
  };
  const name = str(TAG.name);
  if (name === null)
    throw new DbError('package-record-invalid', 'a header without a NAME tag', where);
  return {
    name,
    epoch: num(TAG.epoch),
    version: str(TAG.version),
    release: str(TAG.release),
    arch: str(TAG.arch),
    sourceRpm: optional(TAG.sourceRpm),
    license: optional(TAG.license),
    size: num(TAG.size) ?? num(TAG.longSize),
    vendor: optional(TAG.vendor),
    summary: str(TAG.summary),
  };
}
