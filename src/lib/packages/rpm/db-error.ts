/** The error the rpm backends throw inside themselves; the reader turns it into a problem. */
import { type PackageProblem, type PackageProblemCode, packageProblem } from '../model.ts';

/** A structure of a database that cannot be read: what, and where (file and position). */
export class DbError extends Error {
  override readonly name = 'DbError';
  constructor(
    readonly code: PackageProblemCode,
    message: string,
    readonly where: string,
  ) {
    super(message);
  }

  /** Returns this error as a package problem. */
  toProblem(): PackageProblem {
    return packageProblem(this.code, this.message, this.where);
  }
}

/** Returns a thrown value as a DbError: a DbError itself, or a RangeError (a read past the
 * end of a DataView, which a bounds check missed) as a corrupt structure at `where`; anything
 * else is a bug and is thrown again. */
export function asDbError(e: unknown, where: string): DbError {
  if (e instanceof DbError) return e;
  if (e instanceof RangeError)
    return new DbError(
      'package-db-corrupt',
      `a structure runs out of bounds (${e.message})`,
      where,
    );
  throw e;
}

/** A header blob found by a backend, with where it was found (for problems). */
export interface HeaderBlob {
  bytes: Uint8Array;
  where: string;
}

/** What a backend returns: the blobs it could read and the problems met. */
export interface BlobsResult {
  blobs: HeaderBlob[];
  problems: PackageProblem[];
}
