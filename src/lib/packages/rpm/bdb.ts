/**
 * rpm's Berkeley DB backend (`Packages`, EL ≤ 8): a hash database. Page 0 is the hash
 * metadata page; every hash page (types 2 and 13) holds key/data pairs; a header blob is
 * a data item stored on a chain of overflow pages (H_OFFPAGE), or inline (H_KEYDATA) when it
 * is small. Layouts from libdb `src/dbinc/db_page.h`. Pages are read in file order, so the
 * scan cannot loop; each overflow chain is bounded by its declared length and visits a page
 * at most once.
 */
import { MAX_RPM_HEADER_BYTES } from '../limits.ts';
import type { PackageProblem } from '../model.ts';
import { asDbError, type BlobsResult, DbError, type HeaderBlob } from './db-error.ts';

const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;

/** Returns true when the bytes start with a Berkeley DB hash metadata page (either byte order). */
export function isBerkeleyHash(db: Uint8Array): boolean {
  if (db.length < 26) return false;
  const view = new DataView(db.buffer, db.byteOffset, db.byteLength);
  return (
    (view.getUint32(12, true) === HASH_MAGIC || view.getUint32(12, false) === HASH_MAGIC) &&
    db[25] === P_HASHMETA
  );
}

/** Returns the header blobs stored in a Berkeley DB hash `Packages` file, and the problems. */
export function bdbHeaderBlobs(db: Uint8Array, path: string): BlobsResult {
  const problems: PackageProblem[] = [];
  const blobs: HeaderBlob[] = [];
  try {
    if (db.length < 512)
      throw new DbError('package-db-truncated', 'shorter than a Berkeley DB metadata page', path);
    const view = new DataView(db.buffer, db.byteOffset, db.byteLength);
    const le = view.getUint32(12, true) === HASH_MAGIC;
    if (!le && view.getUint32(12, false) !== HASH_MAGIC)
      throw new DbError('package-db-corrupt', 'not a Berkeley DB hash database (bad magic)', path);
    if (db[25] !== P_HASHMETA)
      throw new DbError('package-db-corrupt', `metadata page type ${db[25]}`, path);
    if (db[24] !== 0)
      throw new DbError('package-db-corrupt', 'an encrypted Berkeley DB database', path);
    const pageSize = view.getUint32(20, le);
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
      throw new DbError('package-db-corrupt', `page size ${pageSize}`, path);
    const filePages = Math.floor(db.length / pageSize);
    const lastPage = view.getUint32(32, le);
    if (lastPage >= filePages)
      problems.push(
        new DbError(
          'package-db-truncated',
          `the metadata names page ${lastPage} but the file holds ${filePages} pages`,
          path,
        ).toProblem(),
      );
    const page = (n: number, where: string): DataView => {
      if (n >= filePages)
        throw new DbError(
          'package-db-truncated',
          `page ${n} lies beyond the end of the file`,
          where,
        );
      return new DataView(db.buffer, db.byteOffset + n * pageSize, pageSize);
    };
    for (let n = 1; n < Math.min(lastPage + 1, filePages); n++) {
      const pg = page(n, path);
      const type = pg.getUint8(25);
      if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
      const entries = pg.getUint16(20, le);
      if (PAGE_HEADER + 2 * entries > pageSize) {
        problems.push(
          new DbError(
            'package-db-corrupt',
            `${entries} entries do not fit the page`,
            `${path} page ${n}`,
          ).toProblem(),
        );
        continue;
      }
      const offset = (i: number) => pg.getUint16(PAGE_HEADER + 2 * i, le);
      // Items are packed from the end of the page down: item i ends where item i-1 starts.
      const itemEnd = (i: number) => (i === 0 ? pageSize : offset(i - 1));
      for (let i = 1; i < entries; i += 2) {
        const where = `${path} page ${n} item ${i}`;
        try {
          const at = offset(i);
          const end = itemEnd(i);
          if (at < PAGE_HEADER || at >= end || end > pageSize)
            throw new DbError('package-db-corrupt', `item offset ${at} is outside the page`, where);
          const type = pg.getUint8(at);
          if (type === H_OFFPAGE) {
            if (at + 12 > pageSize)
              throw new DbError('package-db-corrupt', 'an off-page item runs off the page', where);
            blobs.push({
              bytes: overflow(
                pg.getUint32(at + 4, le),
                pg.getUint32(at + 8, le),
                page,
                le,
                pageSize,
                where,
              ),
              where,
            });
          } else if (type === H_KEYDATA && end - at - 1 >= 8) {
            // rpm's key 0 holds the largest instance number, not a header.
            const keyAt = offset(i - 1);
            const keyEnd = itemEnd(i - 1);
            const key = new Uint8Array(
              db.buffer,
              db.byteOffset + n * pageSize + keyAt + 1,
              Math.max(0, keyEnd - keyAt - 1),
            );
            if (key.every((b) => b === 0)) continue;
            blobs.push({
              bytes: new Uint8Array(db.buffer, db.byteOffset + n * pageSize + at + 1, end - at - 1),
              where,
            });
          }
        } catch (e) {
          problems.push(asDbError(e, where).toProblem());
        }
      }
    }
  } catch (e) {
    problems.push(asDbError(e, path).toProblem());
  }
  return { blobs, problems };
}

/** Returns the `length` bytes of an item stored on the overflow chain starting at page `first`. */
function overflow(
  first: number,
  length: number,
  page: (n: number, where: string) => DataView,
  le: boolean,
  pageSize: number,
  where: string,
): Uint8Array {
  if (length > MAX_RPM_HEADER_BYTES)
    throw new DbError(
      'package-db-too-large',
      `an item claiming ${length} bytes (more than ${MAX_RPM_HEADER_BYTES})`,
      where,
    );
  const out = new Uint8Array(length);
  const seen = new Set<number>();
  let filled = 0;
  let n = first;
  while (filled < length) {
    if (n === 0)
      throw new DbError(
        'package-db-truncated',
        `an overflow chain ends after ${filled} of ${length} bytes`,
        where,
      );
    if (seen.has(n))
      throw new DbError('package-db-loop', `overflow page ${n} is visited twice`, where);
    seen.add(n);
    const pg = page(n, where);
    if (pg.getUint8(25) !== P_OVERFLOW)
      throw new DbError(
        'package-db-corrupt',
        `page ${n} of an overflow chain has type ${pg.getUint8(25)}`,
        where,
      );
    const onPage = Math.min(pg.getUint16(22, le), pageSize - PAGE_HEADER, length - filled);
    if (onPage === 0)
      throw new DbError('package-db-corrupt', `overflow page ${n} holds no bytes`, where);
    out.set(new Uint8Array(pg.buffer, pg.byteOffset + PAGE_HEADER, onPage), filled);
    filled += onPage;
    n = pg.getUint32(16, le);
  }
  return out;
}
