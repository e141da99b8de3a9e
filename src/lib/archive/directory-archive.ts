import type { Problem } from '../errors.ts';
import type { Archive, ArchiveEntry, BlobRange } from './archive.ts';
import { EntryTable, HEAD_BYTES, assertReadable } from './archive.ts';
import { normalizeEntryName } from './paths.ts';

/** A file of a dropped folder, with its path relative to the folder. */
export interface DirectoryFile {
  path: string;
  blob: Blob;
}

/** An Archive over the files of a dropped folder (an OCI layout directory). */
export class DirectoryArchive implements Archive {
  readonly container = 'directory' as const;
  readonly entries: readonly ArchiveEntry[];
  readonly problems: Problem[] = [];
  readonly size: number;
  private readonly blobs = new Map<ArchiveEntry, Blob>();
  private readonly table: EntryTable;

  constructor(
    readonly name: string,
    files: readonly DirectoryFile[],
  ) {
    const entries: ArchiveEntry[] = [];
    for (const file of files) {
      const entry: ArchiveEntry = {
        rawName: file.path,
        name: normalizeEntryName(file.path),
        type: 'file',
        size: file.blob.size,
        dataOffset: -1,
        linkName: null,
        truncated: false,
      };
      entries.push(entry);
      this.blobs.set(entry, file.blob);
    }
    this.entries = entries;
    this.size = files.reduce((sum, f) => sum + f.blob.size, 0);
    this.table = new EntryTable(entries, this.problems);
  }

  lookup(name: string): ArchiveEntry | undefined {
    return this.table.lookup(name);
  }

  async read(entry: ArchiveEntry, limit: number): Promise<Uint8Array> {
    assertReadable(entry, limit);
    return new Uint8Array(await this.blobs.get(entry)!.arrayBuffer());
  }

  async head(entry: ArchiveEntry): Promise<Uint8Array> {
    return new Uint8Array(await this.blobs.get(entry)!.slice(0, HEAD_BYTES).arrayBuffer());
  }

  stream(entry: ArchiveEntry): ReadableStream<Uint8Array> {
    return this.blobs.get(entry)!.stream() as ReadableStream<Uint8Array>;
  }

  readonly source = null;

  blobRange(entry: ArchiveEntry): BlobRange {
    const blob = this.blobs.get(entry)!;
    return { blob, start: 0, end: blob.size };
  }
}
