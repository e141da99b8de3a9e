import type { Problem } from '../errors.ts';
import type { ArchiveEntry } from './archive.ts';
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

/** Callbacks of one sequential pass over a tar stream. */
export interface TarStreamHandlers {
  /** Called at each entry's header; `dataOffset` is its offset in the uncompressed tar. */
  entry?(entry: ArchiveEntry): void;
  /** Called with each piece of the current entry's data, in order (views valid only during the call). */
  data?(entry: ArchiveEntry, chunk: Uint8Array): void | Promise<void>;
  /** Called when the current entry's data is complete. */
  end?(entry: ArchiveEntry): void | Promise<void>;
}

interface MetaRecord {
  flag: string;
  data: Uint8Array;
  fill: number;
}

/** Reads a tar stream once, front to back; returns its entries and what went wrong. */
export async function readTarStream(
  stream: ReadableStream<Uint8Array>,
  handlers: TarStreamHandlers,
  options: { signal?: AbortSignal; maxEntries?: number } = {},
): Promise<{ entries: ArchiveEntry[]; problems: Problem[]; bytes: number }> {
  const maxEntries = options.maxEntries ?? MAX_ENTRIES;
  const entries: ArchiveEntry[] = [];
  const problems: Problem[] = [];
  const reader = stream.getReader();
  // Header bytes gathered so far (a header may straddle chunks).
  const header = new Uint8Array(BLOCK);
  let headerFill = 0;
  // Held in one object: TypeScript does not see the closures below assign them.
  const st: { meta: MetaRecord | null; current: ArchiveEntry | null } = {
    meta: null,
    current: null,
  };
  let dataLeft = 0;
  let padLeft = 0;
  let offset = 0;
  let done = false;
  let pending: PendingNames = {};
  const global: PendingNames = {};

  const onHeader = (): boolean => {
    const at = offset - BLOCK;
    const verdict = judgeHeader(header, at, entries.length === 0);
    if ('end' in verdict) return false;
    if ('fault' in verdict) {
      problems.push(verdict.fault);
      return false;
    }
    const { raw } = verdict;
    if (isMetaRecord(raw.flag)) {
      if (raw.size > MAX_META_RECORD) {
        problems.push(problem('tar-header-invalid', `oversized pax/GNU record at offset ${at}`));
        return false;
      }
      st.meta = { flag: raw.flag, data: new Uint8Array(raw.size), fill: 0 };
      dataLeft = raw.size;
      padLeft = paddedSize(raw.size) - raw.size;
      return true;
    }
    const names = { ...global, ...pending };
    pending = {};
    const current = entryOf(raw, names, offset);
    const size = current.size;
    st.current = current;
    entries.push(current);
    if (entries.length > maxEntries) {
      problems.push(
        problem('too-many-entries', `more than ${maxEntries} entries; the rest are not read`),
      );
      return false;
    }
    handlers.entry?.(current);
    dataLeft = size;
    padLeft = paddedSize(names.size ?? raw.size) - size;
    return true;
  };

  try {
    outer: while (!done) {
      options.signal?.throwIfAborted();
      const { value, done: ended } = await reader.read();
      if (ended) break;
      let at = 0;
      while (at < value.length) {
        if (dataLeft > 0) {
          const n = Math.min(dataLeft, value.length - at);
          const piece = value.subarray(at, at + n);
          if (st.meta) {
            st.meta.data.set(piece, st.meta.fill);
            st.meta.fill += n;
          } else if (st.current) await handlers.data?.(st.current, piece);
          at += n;
          offset += n;
          dataLeft -= n;
          if (dataLeft === 0) await finishData();
          continue;
        }
        if (padLeft > 0) {
          const n = Math.min(padLeft, value.length - at);
          at += n;
          offset += n;
          padLeft -= n;
          continue;
        }
        const n = Math.min(BLOCK - headerFill, value.length - at);
        header.set(value.subarray(at, at + n), headerFill);
        headerFill += n;
        at += n;
        offset += n;
        if (headerFill === BLOCK) {
          headerFill = 0;
          if (!onHeader()) {
            done = true;
            break outer;
          }
          if (dataLeft === 0) await finishData();
        }
      }
    }
  } finally {
    if (done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }

  if (!done) {
    if (headerFill > 0) {
      problems.push(
        problem(
          'tar-truncated',
          `the archive ends ${headerFill} bytes into a tar header at offset ${offset - headerFill}`,
        ),
      );
    } else if (dataLeft > 0) {
      const entry = st.meta ? null : st.current;
      const where = entry ? `the data of "${entry.rawName}"` : 'a pax/GNU name record';
      if (entry) entry.truncated = true;
      problems.push(
        problem('tar-truncated', `the archive ends inside ${where}`, entry?.rawName ?? null),
      );
    }
  }
  return { entries, problems, bytes: offset };

  async function finishData(): Promise<void> {
    if (st.meta) {
      applyMetaRecord(st.meta.flag, st.meta.data, st.meta.flag === 'g' ? global : pending);
      st.meta = null;
    } else if (st.current) {
      await handlers.end?.(st.current);
      st.current = null;
    }
  }
}
