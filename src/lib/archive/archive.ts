import type { Problem } from '../errors.ts';
import type { ByteSource } from './byte-source.ts';
import type { TarEntryType } from './tar-header.ts';
import { ArchiveError, problem } from '../errors.ts';
import { normalizeEntryName, resolveRelative } from './paths.ts';
import { MAX_LINK_DEPTH } from '../limits.ts';

/** One file, directory or link inside an archive (or a dropped folder). */
export interface ArchiveEntry {
  /** The name as stored. */
  rawName: string;
  /** The normalized name used for lookups; null when the stored name is unsafe. */
  name: string | null;
  type: TarEntryType;
  size: number;
  /** Where the data starts in the outer tar (-1 when not in a tar). */
  dataOffset: number;
  linkName: string | null;
  /** True when the archive ends before this entry's data does. */
  truncated: boolean;
}

/** Where an entry's bytes lie inside a Blob, so that a worker can read them itself. */
export interface BlobRange {
  blob: Blob;
  start: number;
  end: number;
}

/** How the entries of an archive can be read. */
export interface Archive {
  readonly name: string;
  readonly size: number;
  readonly container: 'tar' | 'tar+gzip' | 'directory';
  readonly entries: readonly ArchiveEntry[];
  readonly problems: Problem[];
  /** Returns the entry a name leads to, following links inside the archive; undefined if none. */
  lookup(name: string): ArchiveEntry | undefined;
  /** Returns the whole data of a (regular file) entry; refuses more than `limit` bytes. */
  read(entry: ArchiveEntry, limit: number): Promise<Uint8Array>;
  /** Returns the first (up to 512) bytes of an entry's data, for magic-byte sniffing. */
  head(entry: ArchiveEntry): Promise<Uint8Array>;
  /** Returns a stream of an entry's data, or null where only one sequential pass is possible. */
  stream(entry: ArchiveEntry): ReadableStream<Uint8Array> | null;
  /** The bytes of the whole archive as stored (still compressed for tar+gzip); null for a
   * folder. Verification reads it front to back where `stream` gives null. */
  readonly source: ByteSource | null;
  /** Returns where an entry's data lies in a Blob (a File, a dropped folder's file), for
   * workers; null where it lies in none (a Node file, a compressed archive). */
  blobRange(entry: ArchiveEntry): BlobRange | null;
}

/** How many leading bytes `head` gives. */
export const HEAD_BYTES = 512;

/** Builds the lookup table shared by every Archive: unsafe and duplicate names become problems. */
export class EntryTable {
  readonly byName = new Map<string, ArchiveEntry>();
  // Links already reported as escaping: one Set lookup per call, whatever the number of problems.
  private readonly escaped = new Set<string>();

  constructor(
    readonly entries: readonly ArchiveEntry[],
    private readonly problems: Problem[],
  ) {
    for (const entry of entries) {
      if (entry.name === null) {
        problems.push(
          problem(
            'entry-path-unsafe',
            `entry "${entry.rawName}" has an absolute or "../" path; it is ignored`,
            entry.rawName,
          ),
        );
        continue;
      }
      if (entry.name === '') continue;
      const previous = this.byName.get(entry.name);
      if (previous && previous.type !== 'directory') {
        problems.push(
          problem(
            'entry-duplicate',
            `entry "${entry.name}" appears more than once; the last copy is used`,
            entry.name,
          ),
        );
      }
      this.byName.set(entry.name, entry);
    }
  }

  /** Returns the regular-file entry `name` leads to, following symlinks and hard links. */
  lookup(name: string): ArchiveEntry | undefined {
    let current = normalizeEntryName(name);
    for (let depth = 0; depth < MAX_LINK_DEPTH && current !== null; depth++) {
      const entry = this.byName.get(current);
      if (!entry) return undefined;
      if (entry.type === 'symlink') current = resolveRelative(current, entry.linkName ?? '');
      else if (entry.type === 'hardlink') current = normalizeEntryName(entry.linkName ?? '');
      else return entry;
      if (current === null) {
        this.noteEscape(entry);
        return undefined;
      }
    }
    return undefined;
  }

  private noteEscape(entry: ArchiveEntry): void {
    const where = entry.name ?? entry.rawName;
    if (this.escaped.has(where)) return;
    this.escaped.add(where);
    this.problems.push(
      problem(
        'link-escapes',
        `link "${where}" points outside the archive ("${entry.linkName}"); it is not followed`,
        where,
      ),
    );
  }
}

/** Throws unless `entry` is a complete regular file of at most `limit` bytes. */
export function assertReadable(entry: ArchiveEntry, limit: number): void {
  const where = entry.name ?? entry.rawName;
  if (entry.type !== 'file') {
    throw new ArchiveError('entry-not-file', `"${where}" is not a regular file`, where);
  }
  if (entry.truncated) {
    throw new ArchiveError('entry-truncated', `the archive ends inside "${where}"`, where);
  }
  if (entry.size > limit) {
    throw new ArchiveError(
      'entry-too-large',
      `"${where}" is ${entry.size} bytes, more than the ${limit}-byte limit for a JSON document`,
      where,
    );
  }
}
