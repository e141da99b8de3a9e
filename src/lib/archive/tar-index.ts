import type { Problem } from '../errors.ts';
import type { ByteSource } from './byte-source.ts';
import type { Archive, ArchiveEntry, BlobRange } from './archive.ts';
import { EntryTable, HEAD_BYTES, assertReadable } from './archive.ts';
import { TarParser } from './tar-parser.ts';
import { MAX_ENTRIES } from '../limits.ts';

/** Headers (and pax/GNU records) are read through a window of this size, so that runs of small
 * entries and records cost one read; entry data nobody reads is skipped, never read. */
export const WINDOW = 16 * 1024;

/**
 * The windows read while indexing are kept, up to this many bytes, and small entries that lie
 * whole inside one (JSON documents, a layer's first bytes) are read from them: in the page every
 * read of a File is a round trip to the browser process (2–10 ms each, more under load), and
 * the report reads manifest.json, index.json, the configs and every layer's head right after
 * indexing, the archive identity manifest.json and index.json once more.
 */
const KEPT_WINDOW_BYTES = 1 << 20;

/** Bytes of the archive already read: [offset, offset + bytes.length). */
export interface Window {
  offset: number;
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/** Options of `indexTar`. */
export interface IndexOptions {
  signal?: AbortSignal;
  maxEntries?: number;
  /** Called after each window with the offset reached and the archive's size. */
  onProgress?: (bytesRead: number, total: number) => void;
  /** The archive's first bytes, where the caller has read them already. */
  first?: Uint8Array;
  /** The archive's last bytes from `offset` on, being read already (see `TAIL`): headers that
   * lie there are taken from them, not read again. */
  tail?: { offset: number; bytes: Promise<Uint8Array> };
}

/**
 * How much of the archive's end `openArchive` reads beside its start. `docker save` (legacy and
 * OCI) and most OCI layouts write their JSON documents last, after the layers: the headers of
 * the last entries then come with the first read instead of costing the last round trip of the
 * index, whose reads can only follow one another (each header says where the next one is).
 */
export const TAIL = 2 * WINDOW;

/** Returns the entries of an uncompressed tar, reading only its headers and records. */
export async function indexTar(
  src: ByteSource,
  options: IndexOptions = {},
): Promise<{ entries: ArchiveEntry[]; problems: Problem[]; windows: Window[] }> {
  const entries: ArchiveEntry[] = [];
  const windows: Window[] = [];
  let kept = 0;
  let first = options.first && options.first.length > 0 ? options.first : null;
  const { tail } = options;
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
    const offset = parser.offset;
    let window: Uint8Array;
    if (first && offset === 0) window = first.subarray(0, Math.min(first.length, left));
    else if (left <= 0) window = EMPTY;
    else if (tail && offset >= tail.offset) window = (await tail.bytes).slice(offset - tail.offset);
    else window = await src.read(offset, Math.min(WINDOW, left));
    first = null;
    if (window.length > 0 && kept + window.length <= KEPT_WINDOW_BYTES) {
      windows.push({ offset, bytes: window });
      kept += window.length;
    }
    parser.push(window, window.length === 0);
    options.onProgress?.(Math.min(parser.offset, src.size), src.size);
  }
  return { entries, problems: parser.problems, windows };
}

/** Returns bytes [start, end) where one window holds them whole (a copy), else null. Windows
 * are in ascending order of offset. */
function fromWindows(windows: readonly Window[], start: number, end: number): Uint8Array | null {
  let low = 0;
  let high = windows.length - 1;
  // The last window that starts at or before `start`.
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (windows[mid]!.offset <= start) low = mid + 1;
    else high = mid - 1;
  }
  const window = windows[high];
  if (!window || end > window.offset + window.bytes.length) return null;
  return window.bytes.slice(start - window.offset, end - window.offset);
}

/** An Archive over an uncompressed tar with random access to its entries. */
export class TarArchive implements Archive {
  readonly container = 'tar' as const;
  private readonly table: EntryTable;

  constructor(
    private readonly src: ByteSource,
    readonly entries: readonly ArchiveEntry[],
    readonly problems: Problem[],
    /** Windows read while indexing (see KEPT_WINDOW_BYTES); small reads are served from them. */
    private readonly windows: readonly Window[] = [],
  ) {
    this.table = new EntryTable(entries, problems);
  }

  /** Returns bytes [offset, offset + length) of the archive, from a kept window where one
   * holds them, else from the source (fewer only where the source ends). */
  private async bytes(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.src.size);
    return fromWindows(this.windows, offset, end) ?? this.src.read(offset, length);
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
    return this.bytes(entry.dataOffset, entry.size);
  }

  async head(entry: ArchiveEntry): Promise<Uint8Array> {
    const available = Math.max(0, Math.min(entry.size, this.src.size - entry.dataOffset));
    return this.bytes(entry.dataOffset, Math.min(HEAD_BYTES, available));
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
