/**
 * The one verification orchestrator: a plan's blobs go to a runner (this thread, or the page's
 * worker pool), their results into a session, and what could not be read becomes an error
 * result rather than a rejection. Pure: the runner is the only part that differs.
 */
import type { Archive } from '../archive/archive.ts';
import type { BlobJob, BlobResult, VerifyProgress } from './model.ts';
import type { PlannedBlob, VerifyPlan } from './plan.ts';
import { messageOf } from '../errors.ts';
import { type VerifyOutcome, VerifySession } from './session.ts';

/** What a runner tells the orchestrator while it reads a blob. */
export interface RunHooks {
  /** Reading has begun (a runner may queue a blob first). */
  onStart(): void;
  /** Bytes read so far: of the blob, or of the whole file in a pass. */
  onBytes(bytesRead: number): void;
}

/** What a runner tells the orchestrator during a single pass over the archive. */
export interface PassHooks extends RunHooks {
  /** A job's result, as soon as its entry has gone by. */
  onResult(result: BlobResult): void;
}

/** Reads blobs and computes their digests: in this thread, or elsewhere (workers). */
export interface BlobRunner {
  /** Blobs handed to it at once (a runner that queues them itself takes them all). */
  readonly concurrency: number;
  /** Returns one blob's digests; rejects when the blob cannot be read, or when aborted. */
  digest(
    archive: Archive,
    blob: PlannedBlob,
    hooks: RunHooks,
    signal?: AbortSignal,
  ): Promise<BlobResult>;
  /** Gives every job its result in one pass over the archive's (gzip-compressed) file; rejects
   * when the pass fails as a whole, or when aborted. */
  pass(
    archive: Archive,
    jobs: readonly BlobJob[],
    hooks: PassHooks,
    signal?: AbortSignal,
  ): Promise<void>;
}

/** Options of a run. */
export interface RunOptions {
  /** Aborting rejects the run with the signal's reason. */
  signal?: AbortSignal;
  /** Progress twice a second and once at the end. */
  onProgress?: (progress: VerifyProgress) => void;
}

/** Returns the outcome of verifying `archive` by `plan`, every blob read by `runner`. Rejects
 * only when aborted: a blob that cannot be read (or whose worker crashes) is an error result,
 * which leaves the verification `partial`. */
export async function runVerification(
  archive: Archive,
  plan: VerifyPlan,
  runner: BlobRunner,
  options: RunOptions = {},
): Promise<VerifyOutcome> {
  const { signal } = options;
  signal?.throwIfAborted();
  const session = new VerifySession(plan, options.onProgress);
  const fail = (id: number, error: unknown) => {
    if (signal?.aborted) throw signal.reason;
    session.settle({ id, error: messageOf(error) });
  };
  if (plan.sequential) {
    const jobs = plan.blobs.map((b) => b.job);
    const hooks: PassHooks = {
      onStart: () => jobs.forEach((job) => session.start(job.id)),
      onBytes: (n) => session.readOuter(n),
      onResult: (result) => session.settle(result),
    };
    try {
      await runner.pass(archive, jobs, hooks, signal);
    } catch (error) {
      for (const job of jobs) if (!session.results.has(job.id)) fail(job.id, error);
    }
    return session.finish();
  }
  await eachAtOnce(plan.blobs, runner.concurrency, async (blob) => {
    const { id } = blob.job;
    const hooks: RunHooks = {
      onStart: () => session.start(id),
      onBytes: (n) => session.read(id, n),
    };
    try {
      session.settle(await runner.digest(archive, blob, hooks, signal));
    } catch (error) {
      fail(id, error);
    }
  });
  return session.finish();
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
  const lanes = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
}
