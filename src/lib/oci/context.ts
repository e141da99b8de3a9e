import type { Archive } from '../archive/archive.ts';
import type { Problem } from '../report/model.ts';
import type { Descriptor } from './descriptor.ts';
import { ArchiveError, type ProblemCode, problem } from '../errors.ts';
import { blobPath } from './digest.ts';
import { readJson } from './json.ts';

/** What the layout readers share while they walk one archive. */
export interface ReadContext {
  archive: Archive;
  problems: Problem[];
  /** The archive's file name, for references when the archive names none. */
  fileName: string;
  signal?: AbortSignal;
}

/** Notes a problem once (same code and place). */
export function note(
  ctx: ReadContext,
  code: ProblemCode,
  message: string,
  where: string | null,
): void {
  if (ctx.problems.some((p) => p.code === code && p.where === where && p.message === message))
    return;
  ctx.problems.push(problem(code, message, where));
}

/** Returns the archive entry of a descriptor's blob, noting a problem when it is missing or its
 * length differs from the descriptor's size. */
export function blobEntry(ctx: ReadContext, descriptor: Descriptor, what: string) {
  const path = blobPath(descriptor.digest);
  const entry = ctx.archive.lookup(path);
  if (!entry) {
    note(
      ctx,
      'blob-missing',
      `${what} ${descriptor.digest} is not in the archive (no ${path})`,
      descriptor.digest,
    );
    return undefined;
  }
  if (!entry.truncated && entry.size !== descriptor.size) {
    note(
      ctx,
      'size-mismatch',
      `${what} ${descriptor.digest}: the descriptor says ${descriptor.size} bytes, the blob has ${entry.size}`,
      descriptor.digest,
    );
  }
  return entry;
}

/** Returns the parsed JSON document a descriptor points to, or null with the problem noted. */
export async function readDocument(
  ctx: ReadContext,
  descriptor: Descriptor,
  what: string,
): Promise<unknown | null> {
  ctx.signal?.throwIfAborted();
  const entry = blobEntry(ctx, descriptor, what);
  if (!entry) return null;
  try {
    return await readJson(ctx.archive, entry, `${what} ${descriptor.digest}`);
  } catch (error) {
    if (error instanceof ArchiveError) {
      note(ctx, error.code, error.message, descriptor.digest);
      return null;
    }
    throw error;
  }
}
