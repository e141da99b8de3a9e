/**
 * rpm databases: the backend told by magic bytes (SQLite, NDB, Berkeley DB hash — the order
 * go-rpmdb uses), its header blobs read, each blob parsed into a package.
 */
import { MAX_PACKAGE_DB_BYTES, MAX_PACKAGES } from '../limits.ts';
import {
  capProblems,
  type PackageProblem,
  packageProblem,
  type ReadResult,
  type RpmPackage,
} from '../model.ts';
import { bdbHeaderBlobs, isBerkeleyHash } from './bdb.ts';
import { asDbError, type BlobsResult } from './db-error.ts';
import { readHeader } from './header.ts';
import { isNdb, ndbHeaderBlobs } from './ndb.ts';
import { SQLITE_MAGIC, sqliteHeaderBlobs } from './sqlite.ts';

export { readHeader } from './header.ts';

/** The two directories rpm keeps its database in. */
export const RPM_DB_DIRS = ['var/lib/rpm', 'usr/lib/sysimage/rpm'] as const;
/** The database file of each backend, as rpm names it. */
export const RPM_DB_FILES = {
  sqlite: 'rpmdb.sqlite',
  ndb: 'Packages.db',
  bdb: 'Packages',
} as const;

/** The three rpm database formats. */
export type RpmBackend = 'sqlite' | 'ndb' | 'bdb';

/** Returns the backend whose magic the bytes carry, or null. */
export function rpmBackendOf(db: Uint8Array): RpmBackend | null {
  const head = String.fromCharCode(...db.subarray(0, 16));
  if (head === SQLITE_MAGIC) return 'sqlite';
  if (isNdb(db)) return 'ndb';
  if (isBerkeleyHash(db)) return 'bdb';
  return null;
}

/** Returns the packages of an rpm database file (any backend; `wal` is the SQLite
 * `rpmdb.sqlite-wal` beside it, if any) and the problems met, each naming `path`. */
export function readRpmDatabase(
  db: Uint8Array,
  path: string,
  wal: Uint8Array | null = null,
): ReadResult<RpmPackage> & { backend: RpmBackend | null } {
  if (db.length === 0)
    return {
      backend: null,
      packages: [],
      problems: [packageProblem('package-db-truncated', 'an empty file', path)],
    };
  if (db.length > MAX_PACKAGE_DB_BYTES)
    return {
      backend: null,
      packages: [],
      problems: [
        packageProblem(
          'package-db-too-large',
          `${db.length} bytes (more than ${MAX_PACKAGE_DB_BYTES})`,
          path,
        ),
      ],
    };
  const backend = rpmBackendOf(db);
  let found: BlobsResult;
  if (backend === 'sqlite') found = sqliteHeaderBlobs(db, path, wal);
  else if (backend === 'ndb') found = ndbHeaderBlobs(db, path);
  else if (backend === 'bdb') found = bdbHeaderBlobs(db, path);
  else
    return {
      backend,
      packages: [],
      problems: [
        packageProblem(
          'package-db-unknown-format',
          'not an rpm database (no SQLite, NDB or Berkeley DB magic)',
          path,
        ),
      ],
    };
  const problems: PackageProblem[] = [...found.problems];
  const packages: RpmPackage[] = [];
  for (const blob of found.blobs) {
    if (packages.length >= MAX_PACKAGES) {
      problems.push(
        packageProblem(
          'package-db-too-large',
          `more than ${MAX_PACKAGES} packages; the rest are not read`,
          path,
        ),
      );
      break;
    }
    try {
      packages.push(readHeader(blob.bytes, blob.where));
    } catch (e) {
      problems.push(asDbError(e, blob.where).toProblem());
    }
  }
  return { backend, packages, problems: capProblems(problems, path) };
}
