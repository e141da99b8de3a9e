/**
 * rpm's NDB backend (`Packages.db`, SUSE): a 32-byte header (`RpmP` magic, version 0, slot
 * page count), slot pages of 4096 bytes holding 16-byte slots (`Slot`, package index, block
 * offset, block count), and per package a blob at block offset × 16: a 16-byte blob header
 * (`BlbS`, package index, checksum, length) then the header blob (rpm `lib/backend/ndb/rpmpkg.c`).
 */
import { MAX_RPM_HEADER_BYTES } from '../limits.ts';
import type { PackageProblem } from '../model.ts';
import { asDbError, type BlobsResult, DbError, type HeaderBlob } from './db-error.ts';

const NDB_MAGIC = 0x506d7052; // 'RpmP' little-endian
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOB_MAGIC = 0x53626c42; // 'BlbS'
const SLOT_PAGE = 4096;
const BLOCK = 16;

/** Returns true when the bytes start with an rpm NDB header. */
export function isNdb(db: Uint8Array): boolean {
  return (
    db.length >= 4 && new DataView(db.buffer, db.byteOffset, 4).getUint32(0, true) === NDB_MAGIC
  );
}

/** Returns the header blobs of an NDB `Packages.db` file, and the problems met. */
export function ndbHeaderBlobs(db: Uint8Array, path: string): BlobsResult {
  const problems: PackageProblem[] = [];
  const blobs: HeaderBlob[] = [];
  try {
    if (db.length < 32)
      throw new DbError('package-db-truncated', 'shorter than the 32-byte NDB header', path);
    const view = new DataView(db.buffer, db.byteOffset, db.byteLength);
    if (view.getUint32(0, true) !== NDB_MAGIC)
      throw new DbError('package-db-corrupt', 'not an NDB database', path);
    if (view.getUint32(4, true) !== 0)
      throw new DbError(
        'package-db-corrupt',
        `NDB version ${view.getUint32(4, true)} is not 0`,
        path,
      );
    const slotPages = view.getUint32(12, true);
    if (slotPages === 0) throw new DbError('package-db-corrupt', 'no slot pages', path);
    let slotBytes = slotPages * SLOT_PAGE;
    if (slotBytes > db.length) {
      problems.push(
        new DbError(
          'package-db-truncated',
          `${slotPages} slot pages declared, ${Math.floor(db.length / SLOT_PAGE)} present`,
          path,
        ).toProblem(),
      );
      slotBytes = db.length - (db.length % BLOCK);
    }
    // The first two slots' room is the database header.
    for (let at = 32; at + BLOCK <= slotBytes; at += BLOCK) {
      const where = `${path} slot ${(at - 32) / BLOCK}`;
      if (view.getUint32(at, true) !== SLOT_MAGIC) {
        problems.push(
          new DbError(
            'package-db-corrupt',
            'bad slot magic; the slot table is not read further',
            where,
          ).toProblem(),
        );
        break;
      }
      const pkgIndex = view.getUint32(at + 4, true);
      if (pkgIndex === 0) continue;
      try {
        const start = view.getUint32(at + 8, true) * BLOCK;
        if (start + BLOCK > db.length)
          throw new DbError(
            'package-db-truncated',
            `blob at byte ${start} lies beyond the end`,
            where,
          );
        if (view.getUint32(start, true) !== BLOB_MAGIC)
          throw new DbError('package-db-corrupt', 'bad blob magic', where);
        if (view.getUint32(start + 4, true) !== pkgIndex)
          throw new DbError(
            'package-db-corrupt',
            `blob of package ${view.getUint32(start + 4, true)} where ${pkgIndex} was expected`,
            where,
          );
        const length = view.getUint32(start + 12, true);
        if (length > MAX_RPM_HEADER_BYTES)
          throw new DbError(
            'package-db-too-large',
            `a blob claiming ${length} bytes (more than ${MAX_RPM_HEADER_BYTES})`,
            where,
          );
        if (start + BLOCK + length > db.length)
          throw new DbError(
            'package-db-truncated',
            `a blob of ${length} bytes runs past the end of the file`,
            where,
          );
        blobs.push({ bytes: db.subarray(start + BLOCK, start + BLOCK + length), where });
      } catch (e) {
        problems.push(asDbError(e, where).toProblem());
      }
    }
  } catch (e) {
    problems.push(asDbError(e, path).toProblem());
  }
  return { blobs, problems };
}
