/**
 * rpm's SQLite backend (`rpmdb.sqlite`), read without an SQLite engine: the file header, the
 * schema table on page 1, then a read-only walk of the `Packages` table B-tree
 * (`hnum INTEGER PRIMARY KEY, blob BLOB`), overflow chains followed, committed WAL frames
 * applied first when the `-wal` file is given (https://www.sqlite.org/fileformat2.html).
 * Every page is visited at most once, so a page loop ends the walk with a problem.
 */
import { MAX_RPM_HEADER_BYTES } from '../limits.ts';
import type { PackageProblem } from '../model.ts';
import { asDbError, type BlobsResult, DbError, type HeaderBlob } from './db-error.ts';
import { headerLength } from './header.ts';
import { walPages } from './wal.ts';

/** The first 16 bytes of every SQLite 3 database. */
export const SQLITE_MAGIC = 'SQLite format 3\0';

const LEAF_TABLE = 13;
const INTERIOR_TABLE = 5;
/** Bytes of the fixed-size serial types 0–11 (fileformat2 §2.1). */
const SERIAL_SIZES = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0];
/** Bytes a record header and its NULL hnum take before the blob, at most (generous). */
const RECORD_SLACK = 64;

interface Pages {
  /** Returns page n (1-based), or throws when it is outside the file. */
  page(n: number): Uint8Array;
  count: number;
  usable: number;
  path: string;
}

function openPages(
  db: Uint8Array,
  path: string,
  wal: Uint8Array | null,
  problems: PackageProblem[],
): Pages {
  if (db.length < 100)
    throw new DbError('package-db-truncated', 'shorter than the 100-byte SQLite header', path);
  const view = new DataView(db.buffer, db.byteOffset, db.byteLength);
  const raw = view.getUint16(16);
  const size = raw === 1 ? 65536 : raw;
  if (size < 512 || size > 65536 || (size & (size - 1)) !== 0)
    throw new DbError(
      'package-db-corrupt',
      `page size ${raw} is not a power of two from 512 to 65536`,
      path,
    );
  const usable = size - (db[20] ?? 0);
  if (usable < 480)
    throw new DbError('package-db-corrupt', `usable page size ${usable} is below 480`, path);
  // The header's page count is valid only when its change counter matches (fileformat 1.3.8);
  // else the file's length says. Pages counted but missing from the file read as truncation.
  const declared = view.getUint32(28);
  const valid = declared > 0 && view.getUint32(24) === view.getUint32(92);
  let count = valid ? declared : Math.ceil(db.length / size);
  const overlay = wal ? walPages(wal, size, `${path}-wal`, problems) : null;
  if (overlay?.pageCount) count = overlay.pageCount;
  return {
    count,
    usable,
    path,
    page(n) {
      if (n < 1 || n > count)
        throw new DbError(
          'package-db-corrupt',
          `page ${n} is outside the database (${count} pages)`,
          path,
        );
      const fromWal = overlay?.pages.get(n);
      if (fromWal) return fromWal;
      const start = (n - 1) * size;
      if (start + size > db.length)
        throw new DbError(
          'package-db-truncated',
          `page ${n} lies beyond the end of the file`,
          path,
        );
      return db.subarray(start, start + size);
    },
  };
}

/** Returns [value, bytes read] of the SQLite varint at `at`. */
function varint(b: Uint8Array, at: number, where: string): [number, number] {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    if (at + i >= b.length)
      throw new DbError('package-db-corrupt', 'a varint runs off its page', where);
    const c = b[at + i] ?? 0;
    if (i === 8) return [v * 256 + c, 9];
    v = v * 128 + (c & 0x7f);
    if (c < 0x80) return [v, i + 1];
  }
  return [v, 9];
}

/** Returns the payload of a table-leaf cell, overflow pages followed; at most `limit` bytes
 * are kept (the caller says how many it needs); throws when the payload claims more than a
 * header blob may take. */
function cellPayload(
  pages: Pages,
  pg: Uint8Array,
  at: number,
  where: string,
  limit: number,
): Uint8Array {
  const [size, n1] = varint(pg, at, where);
  const [, n2] = varint(pg, at + n1, where);
  if (size > MAX_RPM_HEADER_BYTES + RECORD_SLACK)
    throw new DbError(
      'package-db-too-large',
      `a cell payload of ${size} bytes (more than ${MAX_RPM_HEADER_BYTES})`,
      where,
    );
  const start = at + n1 + n2;
  const u = pages.usable;
  const x = u - 35;
  let local = size;
  if (size > x) {
    const m = Math.floor(((u - 12) * 32) / 255) - 23;
    const k = m + ((size - m) % (u - 4));
    local = k <= x ? k : m;
  }
  if (start + local > pg.length)
    throw new DbError('package-db-corrupt', 'a cell runs off its page', where);
  const want = Math.min(size, limit);
  if (local >= want) return pg.subarray(start, start + want);
  const out = new Uint8Array(want);
  out.set(pg.subarray(start, start + local));
  let filled = local;
  let next = new DataView(pg.buffer, pg.byteOffset + start + local, 4).getUint32(0);
  const seen = new Set<number>();
  while (filled < want) {
    if (next === 0)
      throw new DbError(
        'package-db-truncated',
        `an overflow chain ends after ${filled} of ${size} bytes`,
        where,
      );
    if (seen.has(next))
      throw new DbError('package-db-loop', `overflow page ${next} is visited twice`, where);
    seen.add(next);
    const ov = pages.page(next);
    const take = Math.min(u - 4, want - filled);
    out.set(ov.subarray(4, 4 + take), filled);
    filled += take;
    next = new DataView(ov.buffer, ov.byteOffset, 4).getUint32(0);
  }
  return out;
}

/** Returns the values of a record: numbers for integers, Uint8Array for blobs, string for
 * text, null for NULL (floats as null: the tables read here have none). */
function recordValues(p: Uint8Array, where: string): (number | string | Uint8Array | null)[] {
  const [headerSize, n] = varint(p, 0, where);
  let h = n;
  let body = headerSize;
  const out: (number | string | Uint8Array | null)[] = [];
  while (h < headerSize && h < p.length) {
    const [t, m] = varint(p, h, where);
    h += m;
    const len = t >= 12 ? Math.floor((t - 12) / 2) : (SERIAL_SIZES[t] ?? 0);
    const v = p.subarray(body, body + len);
    if (t === 0 || t === 7) out.push(null);
    else if (t === 8 || t === 9) out.push(t - 8);
    else if (t < 7) out.push(v.reduce((a, c) => a * 256 + c, 0));
    else if (t % 2 === 0) out.push(v);
    else out.push(new TextDecoder().decode(v));
    body += len;
  }
  return out;
}

/** Calls `onCell` with (page, cell offset) for every cell of a table B-tree, in key order. */
function walkTable(
  pages: Pages,
  root: number,
  problems: PackageProblem[],
  onCell: (pg: Uint8Array, at: number, where: string) => void,
) {
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const where = `${pages.path} page ${n}`;
    if (seen.has(n)) {
      problems.push(
        new DbError(
          'package-db-loop',
          `B-tree page ${n} is reached twice; it is read once`,
          where,
        ).toProblem(),
      );
      continue;
    }
    seen.add(n);
    try {
      const pg = pages.page(n);
      const h = n === 1 ? 100 : 0;
      const view = new DataView(pg.buffer, pg.byteOffset, pg.byteLength);
      const type = view.getUint8(h);
      const cells = view.getUint16(h + 3);
      if (type === LEAF_TABLE) {
        for (let i = 0; i < cells; i++) {
          const ptr = view.getUint16(h + 8 + 2 * i);
          try {
            onCell(pg, ptr, `${where} cell ${i}`);
          } catch (e) {
            problems.push(asDbError(e, `${where} cell ${i}`).toProblem());
          }
        }
      } else if (type === INTERIOR_TABLE) {
        // Pushed right-most first so that children pop in key order.
        stack.push(view.getUint32(h + 8));
        for (let i = cells - 1; i >= 0; i--) {
          const ptr = view.getUint16(h + 12 + 2 * i);
          if (ptr + 4 > pg.length)
            throw new DbError('package-db-corrupt', `cell ${i} points off the page`, where);
          stack.push(view.getUint32(ptr));
        }
      } else {
        throw new DbError(
          'package-db-corrupt',
          `page type ${type} where a table B-tree page was expected`,
          where,
        );
      }
    } catch (e) {
      problems.push(asDbError(e, where).toProblem());
    }
  }
}

/** Returns the header blobs of rpm's `Packages` table in an `rpmdb.sqlite` file (with its
 * `-wal` file when there is one), and the problems met. */
export function sqliteHeaderBlobs(
  db: Uint8Array,
  path: string,
  wal: Uint8Array | null = null,
): BlobsResult {
  const problems: PackageProblem[] = [];
  const blobs: HeaderBlob[] = [];
  try {
    const pages = openPages(db, path, wal, problems);
    let root = 0;
    walkTable(pages, 1, problems, (pg, at, where) => {
      const v = recordValues(cellPayload(pages, pg, at, where, 1 << 20), where);
      if (
        v[0] === 'table' &&
        typeof v[1] === 'string' &&
        v[1].toLowerCase() === 'packages' &&
        typeof v[3] === 'number'
      )
        root = v[3];
    });
    if (root === 0)
      throw new DbError('package-db-corrupt', 'the schema has no Packages table', path);
    walkTable(pages, root, problems, (pg, at, where) => {
      // The blob is the record's only BLOB value; its declared header length says how much
      // of the payload is needed, so a hostile size claim is refused before any copy.
      const head = recordValues(cellPayload(pages, pg, at, where, RECORD_SLACK), where);
      const prefix = head.find((x): x is Uint8Array => x instanceof Uint8Array);
      if (!prefix)
        throw new DbError('package-record-invalid', 'a Packages row without a blob', where);
      headerLength(prefix, where);
      const values = recordValues(cellPayload(pages, pg, at, where, Infinity), where);
      const blob = values.find((x): x is Uint8Array => x instanceof Uint8Array);
      if (blob) blobs.push({ bytes: blob, where });
    });
  } catch (e) {
    problems.push(asDbError(e, path).toProblem());
  }
  return { blobs, problems };
}
