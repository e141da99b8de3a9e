import type { Problem } from '../errors.ts';
import type { ByteSource } from './byte-source.ts';
import type { Archive, ArchiveEntry } from './archive.ts';
import { EntryTable, HEAD_BYTES, assertReadable } from './archive.ts';
import { ArchiveError, problem } from '../errors.ts';
import { blobReader, streamReader } from './blob-reader.ts';
import { gunzipStream } from './gunzip.ts';
import { readTarStream } from './tar-stream.ts';
import { MAX_JSON_BYTES, MAX_KEPT_BYTES } from '../limits.ts';

/** Returns true for the first byte of a JSON document (after optional white space). */
function mayBeJson(byte: number): boolean {
  return (
    byte === 0x7b ||
    byte === 0x5b ||
    byte === 0x6e ||
    byte === 0x20 ||
    byte === 0x0a ||
    byte === 0x09 ||
    byte === 0x0d
  );
}

/**
 * An Archive over a gzip-compressed tar. There is no random access into gzip, so opening it is
 * one streaming pass that keeps only what may be a JSON document; layers are never kept.
 */
export class GzipTarArchive implements Archive {
  readonly container = 'tar+gzip' as const;
  private readonly table: EntryTable;

  private constructor(
    private readonly src: ByteSource,
    readonly entries: readonly ArchiveEntry[],
    readonly problems: Problem[],
    private readonly kept: Map<ArchiveEntry, Uint8Array>,
    private readonly heads: Map<ArchiveEntry, Uint8Array>,
  ) {
    this.table = new EntryTable(entries, problems);
  }

  /** Returns the archive after one pass over the decompressed stream; `onProgress` hears the
   * compressed bytes read so far and the file's size. */
  static async open(
    src: ByteSource,
    signal?: AbortSignal,
    onProgress?: (bytesRead: number, total: number) => void,
  ): Promise<GzipTarArchive> {
    const kept = new Map<ArchiveEntry, Uint8Array>();
    const heads = new Map<ArchiveEntry, Uint8Array>();
    let head: Uint8Array | null = null;
    let keptBytes = 0;
    let chunks: Uint8Array[] | null = null;
    let fill = 0;
    const problems: Problem[] = [];
    let gzipError: unknown = null;
    // A browser File is read through the BYOB reader with its stall watchdog; fed to the
    // decoder in small pieces, so that a gzip bomb of an archive cannot fill the page.
    const reader = src.blob
      ? blobReader(src.blob)
      : streamReader(src.size, () => src.stream(0, src.size));
    let bytesRead = 0;
    const onBytes = (n: number) => onProgress?.((bytesRead += n), src.size);
    const inflated = endOnError(
      gunzipStream(reader, onBytes, signal),
      (error) => (gzipError = error),
    );
    const result = await readTarStream(
      inflated,
      {
        entry(entry) {
          const keep =
            entry.type === 'file' &&
            entry.size <= MAX_JSON_BYTES &&
            keptBytes + entry.size <= MAX_KEPT_BYTES;
          chunks = keep ? [] : null;
          fill = 0;
          head = null;
          if (keep && entry.size === 0) kept.set(entry, new Uint8Array(0));
        },
        data(entry, chunk) {
          const had = head?.length ?? 0;
          if (had < HEAD_BYTES) {
            const joined = new Uint8Array(Math.min(HEAD_BYTES, had + chunk.length));
            if (head) joined.set(head);
            joined.set(chunk.subarray(0, joined.length - had), had);
            head = joined;
            heads.set(entry, head);
          }
          if (!chunks) return;
          if (fill === 0 && !mayBeJson(chunk[0]!)) {
            chunks = null;
            return;
          }
          chunks.push(chunk.slice());
          fill += chunk.length;
        },
        end(entry) {
          if (!chunks) return;
          const data = new Uint8Array(fill);
          let at = 0;
          for (const c of chunks) {
            data.set(c, at);
            at += c.length;
          }
          kept.set(entry, data);
          keptBytes += fill;
          chunks = null;
        },
      },
      { signal },
    );
    signal?.throwIfAborted();
    if (gzipError !== null) {
      const detail = gzipError instanceof Error ? gzipError.message : String(gzipError);
      if (result.entries.length === 0) {
        throw new ArchiveError(
          'gzip-invalid',
          `"${src.name}" is not a readable gzip stream (${detail})`,
        );
      }
      problems.push(
        problem(
          'gzip-truncated',
          `the gzip stream of "${src.name}" breaks off after ${result.bytes} bytes of tar (${detail}); entries after that are missing`,
        ),
      );
    }
    problems.push(...result.problems);
    // The tar may end before the file does (padding after its end blocks): the pass is over.
    onProgress?.(src.size, src.size);
    return new GzipTarArchive(src, result.entries, problems, kept, heads);
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
    const data = this.kept.get(entry);
    if (!data) {
      const where = entry.name ?? entry.rawName;
      throw new ArchiveError(
        'entry-not-kept',
        `"${where}" was not kept from the compressed archive`,
        where,
      );
    }
    return data;
  }

  async head(entry: ArchiveEntry): Promise<Uint8Array> {
    return this.heads.get(entry) ?? new Uint8Array(0);
  }

  stream(): null {
    return null;
  }

  get source(): ByteSource {
    return this.src;
  }

  blobRange(): null {
    return null;
  }
}

/** Returns a stream that ends, instead of failing, where `source` fails; `onError` hears why. */
function endOnError(
  source: ReadableStream<Uint8Array>,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        if (cancelled) return;
        onError(error);
        controller.close();
        return;
      }
      if (cancelled) return;
      if (result.done) controller.close();
      else controller.enqueue(result.value);
    },
    cancel(reason) {
      cancelled = true;
      return reader.cancel(reason);
    },
  });
}
