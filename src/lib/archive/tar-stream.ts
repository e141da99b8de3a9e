import type { Problem } from '../errors.ts';
import type { ArchiveEntry } from './archive.ts';
import { TarParser } from './tar-parser.ts';
import { MAX_ENTRIES } from '../limits.ts';

/** Callbacks of one sequential pass over a tar stream (each may be async: the pass waits). */
export interface TarStreamHandlers {
  /** Called at each entry's header; `dataOffset` is its offset in the uncompressed tar. */
  entry?(entry: ArchiveEntry): void;
  /** Called with each piece of the current entry's data, in order (views valid only during the call). */
  data?(entry: ArchiveEntry, chunk: Uint8Array): void | Promise<void>;
  /** Called when the current entry's data is complete. */
  end?(entry: ArchiveEntry): void | Promise<void>;
}

type Event =
  | { kind: 'entry'; entry: ArchiveEntry }
  | { kind: 'data'; entry: ArchiveEntry; chunk: Uint8Array }
  | { kind: 'end'; entry: ArchiveEntry };

const EMPTY = new Uint8Array(0);

/** Reads a tar stream once, front to back, through the one tar parser; returns its entries,
 * what went wrong (`fault`: what stopped reading early, if anything), and how many bytes of
 * tar were read. */
export async function readTarStream(
  stream: ReadableStream<Uint8Array>,
  handlers: TarStreamHandlers,
  options: { signal?: AbortSignal; maxEntries?: number } = {},
): Promise<{ entries: ArchiveEntry[]; problems: Problem[]; fault: Problem | null; bytes: number }> {
  const entries: ArchiveEntry[] = [];
  // The parser calls back synchronously; handlers may be async. What one chunk gives is queued
  // and then awaited in order, before the next chunk is read (so the views stay valid).
  const queue: Event[] = [];
  const parser = new TarParser(
    {
      entry(entry) {
        entries.push(entry);
        queue.push({ kind: 'entry', entry });
      },
      data: handlers.data
        ? (entry, chunk) => void queue.push({ kind: 'data', entry, chunk })
        : undefined,
      end: (entry) => void queue.push({ kind: 'end', entry }),
    },
    { maxEntries: options.maxEntries ?? MAX_ENTRIES },
  );
  const drain = async () => {
    for (const event of queue) {
      if (event.kind === 'entry') handlers.entry?.(event.entry);
      else if (event.kind === 'data') await handlers.data!(event.entry, event.chunk);
      else await handlers.end?.(event.entry);
    }
    queue.length = 0;
  };
  const reader = stream.getReader();
  try {
    while (!parser.done) {
      options.signal?.throwIfAborted();
      const { value, done } = await reader.read();
      parser.push(done ? EMPTY : value, done);
      await drain();
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  return { entries, problems: parser.problems, fault: parser.fault, bytes: parser.offset };
}
