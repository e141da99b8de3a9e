import type { Problem } from '../errors.ts';
import type { ByteSource } from './byte-source.ts';
import type { Archive, ArchiveEntry, BlobRange } from './archive.ts';
import { EntryTable, HEAD_BYTES, assertReadable } from './archive.ts';
import { problem } from '../errors.ts';
import {
  applyMetaRecord,
  BLOCK,
  entryOf,
  isMetaRecord,
  judgeHeader,
  paddedSize,
  type PendingNames,
} from './tar-header.ts';
import { MAX_ENTRIES, MAX_META_RECORD } from '../limits.ts';

/** Headers are read through a small window so that runs of small entries cost one read. */
const WINDOW = 16 * 1024;

/** Returns the entries of an uncompressed tar, reading only its headers. */
export async function indexTar(
  src: ByteSource,
  options: { signal?: AbortSignal; maxEntries?: number } = {},
): Promise<{ entries: ArchiveEntry[]; problems: Problem[] }> {
  const maxEntries = options.maxEntries ?? MAX_ENTRIES;
  const entries: ArchiveEntry[] = [];
  const problems: Problem[] = [];
  let windowStart = 0;
  let window: Uint8Array = new Uint8Array(0);
  const block = async (offset: number): Promise<Uint8Array> => {
    if (offset < windowStart || offset + BLOCK > windowStart + window.length) {
      windowStart = offset;
      window = await src.read(offset, Math.max(BLOCK, Math.min(WINDOW, src.size - offset)));
    }
    return window.subarray(offset - windowStart, offset - windowStart + BLOCK);
  };

  let offset = 0;
  let pending: PendingNames = {};
  let global: PendingNames = {};
  while (offset < src.size) {
    options.signal?.throwIfAborted();
    const header = await block(offset);
    if (header.length < BLOCK) {
      problems.push(
        problem(
          'tar-truncated',
          `the archive ends ${header.length} bytes into a tar header at offset ${offset}`,
        ),
      );
      break;
    }
    const verdict = judgeHeader(header, offset, entries.length === 0);
    if ('end' in verdict) break;
    if ('fault' in verdict) {
      problems.push(verdict.fault);
      break;
    }
    const { raw } = verdict;
    const dataOffset = offset + BLOCK;
    if (isMetaRecord(raw.flag)) {
      if (raw.size > MAX_META_RECORD || dataOffset + raw.size > src.size) {
        problems.push(
          problem('tar-header-invalid', `unreadable pax/GNU name record at offset ${offset}`),
        );
        break;
      }
      const data = await src.read(dataOffset, raw.size);
      applyMetaRecord(raw.flag, data, raw.flag === 'g' ? global : pending);
      offset = dataOffset + paddedSize(raw.size);
      continue;
    }
    const names = { ...global, ...pending };
    pending = {};
    const entry = entryOf(raw, names, dataOffset);
    const dataSize = entry.size;
    const rawName = entry.rawName;
    entry.truncated = dataOffset + dataSize > src.size;
    entries.push(entry);
    if (entry.truncated) {
      problems.push(
        problem(
          'tar-truncated',
          `the archive ends inside the data of "${rawName}" (${src.size - dataOffset} of ${dataSize} bytes present)`,
          rawName,
        ),
      );
      break;
    }
    if (entries.length > maxEntries) {
      problems.push(
        problem('too-many-entries', `more than ${maxEntries} entries; the rest are not read`),
      );
      break;
    }
    // A non-file's header may still declare data (hard links in some tars): skip it.
    offset = dataOffset + paddedSize(names.size ?? raw.size);
  }
  return { entries, problems };
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
