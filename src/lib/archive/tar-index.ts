import type { Problem } from '../errors.ts';
import type { ByteSource } from './byte-source.ts';
import type { Archive, ArchiveEntry, BlobRange } from './archive.ts';
import { EntryTable, HEAD_BYTES, assertReadable } from './archive.ts';
import { TarParser } from './tar-parser.ts';
import { MAX_ENTRIES } from '../limits.ts';

/** Headers (and pax/GNU records) are read through a window of this size, so that runs of small
 * entries and records cost one read; entry data nobody reads is skipped, never read. */
const WINDOW = 16 * 1024;

const EMPTY = new Uint8Array(0);

/** Options of `indexTar`. */
export interface IndexOptions {
  signal?: AbortSignal;
  maxEntries?: number;
  /** Called after each window with the offset reached and the archive's size. */
  onProgress?: (bytesRead: number, total: number) => void;
}

/** Returns the entries of an uncompressed tar, reading only its headers and records. */
export async function indexTar(
  src: ByteSource,
  options: IndexOptions = {},
): Promise<{ entries: ArchiveEntry[]; problems: Problem[] }> {
  const entries: ArchiveEntry[] = [];
  const parser = new TarParser(
    { entry: (entry) => void entries.push(entry) },
    { maxEntries: options.maxEntries ?? MAX_ENTRIES },
  );
  while (!parser.done) {
    options.signal?.throwIfAborted();
    // Seek over what the parser would only pass by: the data of the entries.
    const skip = Math.min(parser.skippable, src.size - parser.offset);
    if (skip > 0) parser.skip(skip);
    const left = src.size - parser.offset;
    const window = left > 0 ? await src.read(parser.offset, Math.min(WINDOW, left)) : EMPTY;
    parser.push(window, window.length === 0);
    options.onProgress?.(Math.min(parser.offset, src.size), src.size);
  }
  return { entries, problems: parser.problems };
}

/** An Archive over an uncompressed tar with random access to its entries. */
export class TarArchive implements Archive {
  readonly container = 'tar' as const;
  private readonly table: EntryTable;

  constructor(
    private readonly src: ByteSource,
    readonly entries: readonly ArchiveEntry[],
    readonly problems: Problem[],
  ) {
    this.table = new EntryTable(entries, problems);
  }

  get name(): string {
    return this.src.name;
  }

  get size(): number {
    return this.src.size;
  }

  lookup(name: string): ArchiveEntry | undefined {
    return this.table.lookup(name);
  }

  async read(entry: ArchiveEntry, limit: number): Promise<Uint8Array> {
    assertReadable(entry, limit);
    return this.src.read(entry.dataOffset, entry.size);
  }

  async head(entry: ArchiveEntry): Promise<Uint8Array> {
    const available = Math.max(0, Math.min(entry.size, this.src.size - entry.dataOffset));
    return this.src.read(entry.dataOffset, Math.min(HEAD_BYTES, available));
  }

  stream(entry: ArchiveEntry): ReadableStream<Uint8Array> {
    return this.src.stream(entry.dataOffset, entry.dataOffset + entry.size);
  }

  get source(): ByteSource {
    return this.src;
  }

  blobRange(entry: ArchiveEntry): BlobRange | null {
    const blob = this.src.blob;
    if (!blob) return null;
    return { blob, start: entry.dataOffset, end: entry.dataOffset + entry.size };
  }
}
