/**
 * Verification with every blob read in this thread: the CLI's way, and the tests'. The page
 * uses the same plan, digests and session through its worker pool (src/app/verify/pool.ts).
 */
import type { Archive, ArchiveEntry } from '../archive/archive.ts';
import type { Report } from '../report/model.ts';
import type { BlobResult, VerifyProgress } from './model.ts';
import { type ChunkReader, streamReader } from '../archive/blob-reader.ts';
import { digestBlob } from './digest.ts';
import { type HashEngine, browserEngine } from './hash.ts';
import { planVerification } from './plan.ts';
import { digestCompressedTar } from './sequential.ts';
import { type VerifyOutcome, VerifySession } from './session.ts';

/** Options of an in-process run. */
export interface InProcessOptions {
  signal?: AbortSignal;
  onProgress?: (progress: VerifyProgress) => void;
  engine?: HashEngine;
  /** Blobs read at once (reading one while another is hashed); 2 by default. */
  concurrency?: number;
}

/** Returns the verification of an archive against its report, every blob read in this thread.
 * Rejects only when aborted; unreadable blobs make the verification `partial`. */
export async function verifyInProcess(
  archive: Archive,
  report: Report,
  options: InProcessOptions = {},
): Promise<VerifyOutcome> {
  const { signal } = options;
  const engine = options.engine ?? browserEngine;
  const plan = await planVerification(archive, report, signal);
  const session = new VerifySession(plan, options.onProgress);
  if (plan.sequential) {
    for (const blob of plan.blobs) session.start(blob.job.id);
    await digestCompressedTar(
      sourceReader(archive),
      plan.blobs.map((b) => b.job),
      {
        engine,
        signal,
        onProgress: (n) => session.readOuter(n),
        onResult: (r) => session.settle(r),
      },
    );
    return session.finish();
  }
  await eachAtOnce(plan.blobs, options.concurrency ?? 2, async ({ job, entry }) => {
    session.start(job.id);
    let result: BlobResult;
    try {
      result = await digestBlob(job, entryReader(archive, entry), {
        engine,
        signal,
        onProgress: (n) => session.read(job.id, n),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      result = { id: job.id, error: error instanceof Error ? error.message : String(error) };
    }
    session.settle(result);
  });
  return session.finish();
}

/** Returns a reader of an entry's data through the archive. */
export function entryReader(archive: Archive, entry: ArchiveEntry): ChunkReader {
  return streamReader(
    entry.size,
    () => {
      const stream = archive.stream(entry);
      if (!stream) throw new Error(`"${entry.name}" can only be read in one pass over the archive`);
      return stream;
    },
    () => archive.read(entry, entry.size),
  );
}

/** Returns a reader of the whole archive file as stored. */
function sourceReader(archive: Archive): ChunkReader {
  const source = archive.source;
  if (!source) throw new Error(`"${archive.name}" has no single file to read`);
  return streamReader(source.size, () => source.stream(0, source.size));
}

/** Runs `task` on every item, at most `limit` at a time, in order of the list. */
async function eachAtOnce<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
