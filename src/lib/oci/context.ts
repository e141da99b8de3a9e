/**
 * What the layout readers share while they read one archive: its problems, the documents
 * already parsed (each once), and the budget that bounds the walk whatever the archive claims.
 */
import type { Archive, ArchiveEntry } from '../archive/archive.ts';
import type { BlobRef, Descriptor } from './model.ts';
import { ArchiveError, ProblemLog, type ProblemCode } from '../errors.ts';
import { MAX_DOCUMENTS, MAX_MANIFESTS, MAX_PARSED_BYTES } from '../limits.ts';
import { blobPath } from './digest.ts';
import { readJson } from './json.ts';

/** A parsed document, or null where it is missing or unreadable (the problem noted once). */
interface Parsed {
  value: unknown | null;
  bytes: number;
}

/** The state of reading one archive. */
export class ReadContext {
  readonly problems: ProblemLog;
  readonly ambiguities = new ProblemLog();
  /** Nodes (indexes and manifests) visited so far, repeats included. */
  visits = 0;
  /** Manifests reported so far, all images together. */
  manifests = 0;
  /** Set once the walk budget is spent: nothing more is read. */
  exhausted = false;
  private parsedBytes = 0;
  private readonly documents = new Map<string, Promise<Parsed>>();

  constructor(
    readonly archive: Archive,
    /** The archive's file name, for references when the archive names none. */
    readonly fileName: string,
    readonly signal?: AbortSignal,
  ) {
    this.problems = new ProblemLog([]);
  }

  /** Notes a problem once (same code, place and message). */
  note(code: ProblemCode, message: string, where: string | null): void {
    this.problems.note(code, message, where);
  }

  /** Notes that another reader could see a different image here (see ImageArchive). */
  ambiguous(code: ProblemCode, message: string, where: string | null): void {
    this.ambiguities.note(code, message, where);
    this.note(code, message, where);
  }

  /** Counts one more node of the walk; returns false (once noting why) when the budget is
   * spent, after which the caller reads nothing more. */
  visit(kind: 'node' | 'manifest'): boolean {
    if (this.exhausted) return false;
    this.visits++;
    if (kind === 'manifest') this.manifests++;
    if (this.visits > MAX_DOCUMENTS || this.manifests > MAX_MANIFESTS) {
      this.exhausted = true;
      this.note(
        'too-many-manifests',
        `the archive's indexes lead to more than ${this.manifests > MAX_MANIFESTS ? `${MAX_MANIFESTS} manifests` : `${MAX_DOCUMENTS} documents`}; the rest are not read`,
        null,
      );
      return false;
    }
    return true;
  }

  /** Returns where a descriptor's blob is, noting a problem when it is missing or its length
   * differs from the descriptor's size. */
  blob(descriptor: Descriptor, what: string): BlobRef {
    const path = blobPath(descriptor.digest);
    let entry = this.archive.lookup(path) ?? null;
    if (entry && entry.type !== 'file') {
      this.note(
        'entry-not-file',
        `${what} ${descriptor.digest}: ${path} is not a regular file`,
        descriptor.digest,
      );
      entry = null;
    } else if (!entry) {
      this.note(
        'blob-missing',
        `${what} ${descriptor.digest} is not in the archive (no ${path})`,
        descriptor.digest,
      );
    } else if (!entry.truncated && entry.size !== descriptor.size) {
      this.note(
        'size-mismatch',
        `${what} ${descriptor.digest}: the descriptor says ${descriptor.size} bytes, the blob has ${entry.size}`,
        descriptor.digest,
      );
    }
    return { descriptor, path, entry: entry ?? null };
  }

  /** Returns the parsed JSON of a blob (each entry parsed once per archive), or null with the
   * problem noted. `bytes` is the document's length. */
  async document(ref: BlobRef, what: string, quiet = false): Promise<Parsed> {
    this.signal?.throwIfAborted();
    const entry = ref.entry;
    if (!entry) return { value: null, bytes: 0 };
    let parsed = this.documents.get(entry.name ?? entry.rawName);
    if (!parsed) {
      parsed = this.parse(
        entry,
        `${what} ${ref.descriptor?.digest ?? `"${ref.path}"`}`,
        ref,
        quiet,
      );
      this.documents.set(entry.name ?? entry.rawName, parsed);
    }
    return parsed;
  }

  private async parse(
    entry: ArchiveEntry,
    what: string,
    ref: BlobRef,
    quiet: boolean,
  ): Promise<Parsed> {
    const where = ref.descriptor?.digest ?? ref.path;
    if (this.parsedBytes + entry.size > MAX_PARSED_BYTES) {
      if (!quiet)
        this.note(
          'documents-budget',
          `${what} is not read: the archive's documents pass ${MAX_PARSED_BYTES / 2 ** 20} MiB of JSON`,
          where,
        );
      return { value: null, bytes: 0 };
    }
    this.parsedBytes += entry.size;
    try {
      return { value: await readJson(this.archive, entry, what), bytes: entry.size };
    } catch (error) {
      if (error instanceof ArchiveError) {
        if (!quiet) this.note(error.code, error.message, where);
        return { value: null, bytes: 0 };
      }
      throw error;
    }
  }
}
