/**
 * Verification from the page: the plan and its bookkeeping come from src/lib/verify, the
 * reading and hashing happen in a pool of module workers, blobs in parallel, largest first.
 * Plain TypeScript, no Svelte: the report view subscribes through `onProgress`.
 */
import type { Archive } from '../../lib/archive/archive.ts';
import type { Report, Verification } from '../../lib/report/model.ts';
import type { BlobResult, VerifyProgress } from '../../lib/verify/model.ts';
import { digestBlob } from '../../lib/verify/digest.ts';
import { planVerification } from '../../lib/verify/plan.ts';
import { entryReader, verifyInProcess } from '../../lib/verify/run.ts';
import { VerifySession } from '../../lib/verify/session.ts';
import { WorkerPool } from './worker-pool.ts';

/** Options of `verifyArchive`. */
export interface VerifyOptions {
  /** Aborting rejects the promise with the signal's reason and terminates every busy worker. */
  signal?: AbortSignal;
  /** Progress a few times a second and once at the end: bytes, MB/s, ETA, each blob's state. */
  onProgress?: (progress: VerifyProgress) => void;
  /** The pool to run on; one shared pool by default. */
  pool?: WorkerPool;
}

let shared: WorkerPool | null = null;

/** Returns the page's shared pool (created on first use; its workers start when needed and
 * shut down when idle). */
export function sharedPool(): WorkerPool {
  shared ??= new WorkerPool();
  return shared;
}

/** Returns the verification of an opened archive against the report read from it: every blob
 * hashed once, every layer decoded once for its diff_id. A blob that cannot be read (or whose
 * worker crashes) leaves the verification `partial`; a mismatch makes it `failed`. */
export async function verifyArchive(
  archive: Archive,
  report: Report,
  options: VerifyOptions = {},
): Promise<Verification> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  if (archive.container === 'tar+gzip' && !archive.source?.blob) {
    // No Blob for a worker to read: the same pass in this thread.
    return (await verifyInProcess(archive, report, { signal, onProgress })).verification;
  }
  const pool = options.pool ?? sharedPool();
  const plan = await planVerification(archive, report, signal);
  const session = new VerifySession(plan, onProgress);
  const fail = (id: number, error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    session.settle({ id, error: error instanceof Error ? error.message : String(error) });
  };
  if (plan.sequential) {
    const jobs = plan.blobs.map((b) => b.job);
    const handlers = {
      onStart: () => jobs.forEach((job) => session.start(job.id)),
      onProgress: (p: { bytesRead: number }) => session.readOuter(p.bytesRead),
      onResult: (result: BlobResult) => session.settle(result),
    };
    try {
      await pool.run({ type: 'pass', jobs, blob: archive.source!.blob! }, handlers, signal);
    } catch (error) {
      for (const job of jobs) if (!session.results.has(job.id)) fail(job.id, error);
    }
    return session.finish().verification;
  }
  await Promise.all(
    plan.blobs.map(async ({ job, entry }) => {
      const range = archive.blobRange(entry);
      const handlers = {
        onStart: () => session.start(job.id),
        onProgress: (p: { bytesRead: number }) => session.read(job.id, p.bytesRead),
        onResult: (result: BlobResult) => session.settle(result),
      };
      try {
        if (range) await pool.run({ type: 'digest', job, ...range }, handlers, signal);
        else {
          // Bytes outside any Blob (not the case for files and folders dropped in the page).
          handlers.onStart();
          const reader = entryReader(archive, entry);
          const read = (n: number) => handlers.onProgress({ bytesRead: n });
          handlers.onResult(await digestBlob(job, reader, { signal, onProgress: read }));
        }
      } catch (error) {
        fail(job.id, error);
      }
    }),
  );
  return session.finish().verification;
}
