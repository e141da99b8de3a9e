/**
 * The closed vocabulary of what can be wrong with an input: problem codes, the Problem record,
 * the error that stops a report, and one way to turn anything thrown into a message.
 */
import { oneLine } from './text.ts';

/** Every code a Problem or ArchiveError may carry. */
export type ProblemCode =
  // the outer archive
  | 'empty'
  | 'not-an-archive'
  | 'not-an-image'
  | 'tar-header-invalid'
  | 'tar-truncated'
  | 'tar-global-header'
  | 'tar-ambiguous'
  | 'too-many-entries'
  | 'gzip-invalid'
  | 'gzip-truncated'
  | 'entry-path-unsafe'
  | 'entry-duplicate'
  | 'entry-not-file'
  | 'entry-not-kept'
  | 'entry-truncated'
  | 'entry-too-large'
  | 'link-escapes'
  // the documents
  | 'json-invalid'
  | 'index-missing'
  | 'index-invalid'
  | 'index-cycle'
  | 'index-too-deep'
  | 'manifest-missing'
  | 'manifest-invalid'
  | 'too-many-manifests'
  | 'too-many-layers'
  | 'text-budget'
  | 'documents-budget'
  | 'descriptor-invalid'
  | 'blob-missing'
  | 'size-mismatch'
  | 'diff-ids-count'
  | 'platform-mismatch'
  | 'layouts-disagree'
  | 'no-images'
  // outside the archive
  | 'fetch-failed'
  | 'sample-unavailable'
  | 'not-in-library'
  | 'internal-error';

/** Something wrong with the input that did not stop the report: what, and where. */
export interface Problem {
  /** Stable machine-readable code, e.g. `json-invalid`, `blob-missing`, `tar-truncated`. */
  code: ProblemCode;
  /** The entry name or digest the problem is about; null when it concerns the whole archive. */
  where: string | null;
  message: string;
}

/** An input that cannot give a report at all; `where` names the entry or digest at fault. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly where: string | null = null,
  ) {
    super(message);
  }

  /** Returns this error as a Problem, for lists of what went wrong. */
  toProblem(): Problem {
    return { code: this.code, where: this.where, message: this.message };
  }
}

/** Returns a Problem record. */
export function problem(code: ProblemCode, message: string, where: string | null = null): Problem {
  return { code, where, message };
}

/** Returns the one-line message of anything thrown. */
export function messageOf(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

/** A list of problems that notes each (code, place, message) once, in constant time. */
export class ProblemLog {
  private readonly seen = new Set<string>();

  constructor(readonly list: Problem[] = []) {
    for (const p of list) this.seen.add(key(p));
  }

  /** Adds a problem unless the same one is there already; returns true when it was added. */
  add(p: Problem): boolean {
    const k = key(p);
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    this.list.push(p);
    return true;
  }

  /** Adds a problem made of its parts (see `add`). */
  note(code: ProblemCode, message: string, where: string | null = null): boolean {
    return this.add(problem(code, message, where));
  }
}

function key(p: Problem): string {
  return `${p.code}\0${p.where ?? ''}\0${p.message}`;
}
