/**
 * Verification from the page: the one orchestrator of src/lib/verify, its blobs read and hashed
 * on a pool of module workers (blobs in parallel, largest first). Plain TypeScript, no Svelte:
 * the report view subscribes through `onProgress`.
 */
import type { Archive } from '../../lib/archive/archive.ts';
import type { Report, Verification } from '../../lib/report/model.ts';
import type { BlobResult, VerifyProgress } from '../../lib/verify/model.ts';
import { type BlobRunner, runVerification } from '../../lib/verify/orchestrate.ts';
import { planVerification } from '../../lib/verify/plan.ts';
import { inThreadRunner } from '../../lib/verify/run.ts';
import { type PoolRequest, type RunHandlers, WorkerPool } from './worker-pool.ts';

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
  const runner = poolRunner(options.pool ?? sharedPool());
  const plan = await planVerification(archive, report, signal);
  return (await runVerification(archive, plan, runner, { signal, onProgress })).verification;
}

/** Returns a runner that sends each blob to `pool` as a Blob range. Bytes outside any Blob (not
 * the case for files and folders dropped in the page) are read in this thread instead. */
export function poolRunner(pool: WorkerPool): BlobRunner {
  const here = inThreadRunner();
  return {
    // The pool queues requests itself, and starts them as workers come free.
    concurrency: Infinity,
    async digest(archive, blob, hooks, signal) {
      const range = archive.blobRange(blob.entry);
      if (!range) return here.digest(archive, blob, hooks, signal);
      let result = null as BlobResult | null;
      await pool.run(
        { type: 'digest', job: blob.job, ...range },
        handlers(hooks, (r) => (result = r)),
        signal,
      );
      if (!result) throw new Error('the verify worker finished without a result');
      return result;
    },
    async pass(archive, jobs, hooks, signal) {
      const file = archive.source?.blob;
      if (!file) return here.pass(archive, jobs, hooks, signal);
      const request: PoolRequest = { type: 'pass', jobs: [...jobs], blob: file };
      await pool.run(request, handlers(hooks, hooks.onResult), signal);
    },
  };
}

/** Returns the pool's handlers of one request, passing progress and results on. */
function handlers(
  hooks: { onStart(): void; onBytes(n: number): void },
  onResult: (result: BlobResult) => void,
): RunHandlers {
  return {
    onStart: () => hooks.onStart(),
    onProgress: (reply) => hooks.onBytes(reply.bytesRead),
    onResult,
  };
}
