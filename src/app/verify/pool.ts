/**
 * Verification from the page: the one orchestrator of src/lib/verify, its blobs read and hashed
 * on a pool of module workers (blobs in parallel, largest first). Plain TypeScript, no Svelte:
 * the report view subscribes through `onProgress`.
 */
import type { Archive } from '../../lib/archive/archive.ts';
import type { Digest, Report } from '../../lib/report/model.ts';
import { type BlobResult, type VerifyProgress, isDigests } from '../../lib/verify/model.ts';
import { type BlobRunner, runVerification } from '../../lib/verify/orchestrate.ts';
import { planVerification, type VerifyPlan } from '../../lib/verify/plan.ts';
import { inThreadRunner } from '../../lib/verify/run.ts';
import type { ListedLayers } from '../contents.svelte.ts';
import type { LayerRead } from '../library/listing-store.ts';
import type { VerifyRun } from '../verification.svelte.ts';
import { type PoolRequest, type RunHandlers, WorkerPool } from './worker-pool.ts';

/** Options of `verifyArchive`. */
export interface VerifyOptions {
  /** Aborting rejects the promise with the signal's reason and terminates every busy worker. */
  signal?: AbortSignal;
  /** Progress twice a second and once at the end: bytes, MB/s, ETA, each blob's state. */
  onProgress?: (progress: VerifyProgress) => void;
  /** The pool to run on; one shared pool by default. */
  pool?: WorkerPool;
  /** Diff_ids whose listing is at hand: their layers are hashed, not listed again. */
  listedAlready?: ReadonlySet<string>;
}

let shared: WorkerPool | null = null;

/** Returns the page's shared pool (created on first use; its workers start when needed and
 * shut down when idle). */
export function sharedPool(): WorkerPool {
  shared ??= new WorkerPool();
  return shared;
}

/** Returns the verification of an opened archive against the report read from it: every blob
 * hashed once, every layer decoded once for its diff_id, and listed from those very bytes (its
 * package files kept) unless its listing is at hand already. A blob that cannot be read (or
 * whose worker crashes) leaves the verification `partial`; a mismatch makes it `failed`. With
 * it, the digests hashed by entry name and the listings by the diff_id the bytes have. */
export async function verifyArchive(
  archive: Archive,
  report: Report,
  options: VerifyOptions = {},
): Promise<VerifyRun> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const collector = new ListingCollector();
  const runner = poolRunner(options.pool ?? sharedPool(), (r) => collector.take(r));
  const plan = await planVerification(archive, report, signal);
  collector.ask(plan, options.listedAlready ?? new Set());
  const outcome = await runVerification(archive, plan, runner, { signal, onProgress });
  return { verification: outcome.verification, hashed: outcome.hashed, listed: collector.listed };
}

/** Sets which layers of a plan are listed, and gathers their listings by diff_id as results
 * come (the listing data as it crossed from the worker: no copy is made). A layer whose bytes
 * are not its diff_id is unlisted under that diff_id, listed or not: a listing kept for the
 * diff_id (from another archive) is not this layer's. So is a layer whose tar could not be read
 * to its end: its listing is partial. */
export class ListingCollector {
  readonly #expected = new Map<number, Digest[]>();
  readonly #wanted = new Set<number>();
  readonly #layers = new Map<Digest, LayerRead>();
  readonly #unlisted = new Map<Digest, string>();

  /** Marks the decodable layer jobs to list and keep package files, except those whose every
   * expected diff_id is in `already` (their bytes are still checked against it). */
  ask(plan: VerifyPlan, already: ReadonlySet<string>): void {
    for (const b of plan.blobs) {
      if (b.job.decode === null) continue;
      const diffIds = b.expectations.filter((e) => e.kind === 'diff-id').map((e) => e.expected);
      if (diffIds.length === 0) continue;
      this.#expected.set(b.job.id, diffIds);
      if (diffIds.every((d) => already.has(d))) continue;
      b.job.list = true;
      b.job.keep = true;
      this.#wanted.add(b.job.id);
    }
  }

  /** Takes one blob's result. */
  take(r: BlobResult): void {
    const expected = this.#expected.get(r.id);
    if (!expected) return;
    if (!isDigests(r)) {
      for (const d of expected) this.#unlisted.set(d, r.error);
      return;
    }
    const content = r.content;
    const actual = content && 'sha256' in content ? content.sha256 : null;
    // A listing whose tar could not be read to its end is shown nowhere and kept nowhere: it
    // would stand, under the diff_id, for a whole layer.
    const whole = r.listing !== undefined && r.listingIncomplete === undefined;
    // Keyed by the diff_id the bytes have: a layer whose config lies is not filed under it.
    if (whole && actual) this.#layers.set(actual, { listing: r.listing!, kept: r.kept ?? null });
    for (const d of expected) {
      if (d === actual && (whole || (!r.listing && !this.#wanted.has(r.id)))) continue;
      const why = r.listingIncomplete
        ? `its tar could not be read to its end: ${r.listingIncomplete}`
        : actual
          ? d === actual
            ? 'it was not listed'
            : `its content is ${actual}, not this diff_id`
          : content && 'error' in content
            ? content.error
            : 'it was not decoded';
      this.#unlisted.set(d, why);
    }
  }

  /** The layers listed so far and those that could not be. */
  get listed(): ListedLayers {
    return { layers: this.#layers, unlisted: this.#unlisted };
  }
}

/** Returns a runner that sends each blob to `pool` as a Blob range. Bytes outside any Blob (not
 * the case for files and folders dropped in the page) are read in this thread instead. */
export function poolRunner(
  pool: WorkerPool,
  onResult: (result: BlobResult) => void = () => {},
): BlobRunner {
  const inThread = inThreadRunner();
  const here: BlobRunner = {
    concurrency: inThread.concurrency,
    digest: async (a, blob, hooks, s) => {
      const r = await inThread.digest(a, blob, hooks, s);
      onResult(r);
      return r;
    },
    pass: (a, jobs, hooks, s) =>
      inThread.pass(a, jobs, { ...hooks, onResult: (r) => (onResult(r), hooks.onResult(r)) }, s),
  };
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
      onResult(result);
      return result;
    },
    async pass(archive, jobs, hooks, signal) {
      const file = archive.source?.blob;
      if (!file) return here.pass(archive, jobs, hooks, signal);
      const request: PoolRequest = { type: 'pass', jobs: [...jobs], blob: file };
      const each = (r: BlobResult) => (onResult(r), hooks.onResult(r));
      await pool.run(request, handlers(hooks, each), signal);
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
