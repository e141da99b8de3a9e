import { describe, expect, it } from 'vitest';
import type { VerifyReply, VerifyRequest } from '../../../workers/messages.ts';
import { handleRequest } from '../../../workers/verify-job.ts';
import { verifyArchive } from '../../../src/app/verify/pool.ts';
import { type WorkerLike, WorkerPool } from '../../../src/app/verify/worker-pool.ts';
import type { Report } from '../../../src/lib/report/model.ts';
import type { VerifyProgress } from '../../../src/lib/verify/model.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { BAD, FIXTURES, openBlobArchive } from './helpers.ts';

type Behaviour = 'work' | 'crash' | 'silent';

/** A worker that runs the real worker job in this thread, or crashes, or never answers. */
class FakeWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  onmessageerror: WorkerLike['onmessageerror'] = null;
  terminated = false;
  requests = 0;
  /** What it was sent, in order. */
  readonly sent: VerifyRequest[] = [];
  private readonly running = new Set<number>();

  constructor(private readonly behaviour: (request: number) => Behaviour) {}

  postMessage(request: VerifyRequest): void {
    this.sent.push(request);
    if (request.type === 'cancel') {
      void handleRequest(request, () => {});
      return;
    }
    const how = this.behaviour(++this.requests);
    setTimeout(() => {
      if (this.terminated) return;
      if (how === 'crash') {
        this.onerror?.({ message: 'out of memory', preventDefault() {} } as unknown as Event);
        return;
      }
      if (how === 'silent') return;
      this.running.add(request.id);
      void handleRequest(request, (reply: VerifyReply) => {
        if (!this.terminated) this.onmessage?.({ data: reply } as MessageEvent<VerifyReply>);
      }).finally(() => this.running.delete(request.id));
    }, 0);
  }

  terminate(): void {
    this.terminated = true;
    // A real worker stops dead; this one runs in the test's thread, so it is told to.
    for (const id of this.running) void handleRequest({ type: 'cancel', id }, () => {});
  }
}

/** Returns every layer's diff_id in a report. */
function diffIdsOf(report: Report): Set<string> {
  return new Set(
    report.images.flatMap((i) => i.manifests.flatMap((m) => m.layers.map((l) => l.diffId!))),
  );
}

/** Returns a pool of fake workers, each behaving as `behaviour(workerNumber, requestNumber)`. */
function fakePool(
  behaviour: (worker: number, request: number) => Behaviour = () => 'work',
  options = {},
) {
  const made: FakeWorker[] = [];
  const pool = new WorkerPool({
    size: 2,
    ...options,
    createWorker: () => {
      const n = made.length + 1;
      const worker = new FakeWorker((request) => behaviour(n, request));
      made.push(worker);
      return worker;
    },
  });
  return { pool, made };
}

describe('verifyArchive on a worker pool', () => {
  it('gives the checks the in-process run gives, reading on at most 2 workers', async () => {
    const { archive, report } = await openBlobArchive(
      FIXTURES + 'gen-buildah-multiarch-oci-archive.tar',
    );
    const { pool, made } = fakePool();
    const seen: VerifyProgress[] = [];
    const { verification } = await verifyArchive(archive, report, {
      pool,
      onProgress: (p) => seen.push(p),
    });
    const expected = await verifyInProcess(archive, report);
    expect(verification).toEqual(expected.verification);
    expect(verification.status).toBe('ok');
    expect(made.length).toBeLessThanOrEqual(2);
    const last = seen.at(-1)!;
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.jobs.every((j) => j.state === 'ok')).toBe(true);
    expect(last.mbPerSecond).toBeGreaterThan(0);
    expect(last.etaSeconds).toBe(0);
  });

  it('makes a blob whose worker crashes an error, and carries on with a new worker', async () => {
    const { archive, report } = await openBlobArchive(
      FIXTURES + 'gen-buildah-multiarch-oci-archive.tar',
    );
    // The first worker crashes on its first request.
    const { pool, made } = fakePool((worker, request) =>
      worker === 1 && request === 1 ? 'crash' : 'work',
    );
    let last: VerifyProgress | null = null;
    const { verification } = await verifyArchive(archive, report, {
      pool,
      onProgress: (p) => (last = p),
    });
    expect(verification.status).toBe('partial');
    expect(verification.checks.every((c) => c.ok)).toBe(true);
    const jobs = last!.jobs;
    expect(jobs.filter((j) => j.state === 'error')).toMatchObject([
      { detail: 'the verify worker crashed: out of memory' },
    ]);
    expect(jobs.filter((j) => j.state === 'ok')).toHaveLength(jobs.length - 1);
    expect(made[0]!.terminated).toBe(true);
    expect(made.length).toBeGreaterThan(2);
  });

  it('takes a worker that stops answering for dead', async () => {
    const { archive, report } = await openBlobArchive(FIXTURES + 'dive-test-oci-gzip-image.tar');
    const { pool } = fakePool(
      (worker, request) => (worker === 1 && request === 1 ? 'silent' : 'work'),
      {
        silenceMs: 100,
      },
    );
    let last: VerifyProgress | null = null;
    const { verification } = await verifyArchive(archive, report, {
      pool,
      onProgress: (p) => (last = p),
    });
    expect(verification.status).toBe('partial');
    expect(last!.jobs.filter((j) => j.state === 'error')).toMatchObject([
      { detail: 'the verify worker stopped answering' },
    ]);
  });

  it('cancels: rejects with the reason and leaves no worker busy', async () => {
    const { archive, report } = await openBlobArchive(BAD + 'oci-gzip-bomb-1GiB.tar');
    const { pool, made } = fakePool();
    const controller = new AbortController();
    const running = verifyArchive(archive, report, {
      pool,
      signal: controller.signal,
      onProgress: (p) =>
        p.jobs.some((j) => j.state === 'running') && controller.abort(new Error('user cancelled')),
    });
    await expect(running).rejects.toThrow('user cancelled');
    expect(pool.workers.busy).toBe(0);
    expect(made.some((w) => w.terminated)).toBe(true);
  });

  it('verifies a .tar.gz in one pass on one worker', async () => {
    const { archive, report } = await openBlobArchive(FIXTURES + 'trivy-alpine-310.tar.gz');
    const { pool, made } = fakePool();
    const { verification } = await verifyArchive(archive, report, { pool });
    expect(verification.status).toBe('ok');
    expect(verification.checks).toHaveLength(4);
    expect(made.map((w) => w.requests)).toEqual([1]);
  });

  it('shuts idle workers down', async () => {
    const { archive, report } = await openBlobArchive(FIXTURES + 'dive-test-oci-zstd-image.tar');
    const { pool, made } = fakePool(() => 'work', { idleMs: 30 });
    // Listed already: the workers only hash (a worker that lists goes as soon as it is idle).
    await verifyArchive(archive, report, { pool, listedAlready: diffIdsOf(report) });
    expect(pool.workers.alive).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pool.workers.alive).toBe(0);
    expect(made.every((w) => w.terminated)).toBe(true);
  });
});

describe('WorkerPool, after a listing', () => {
  it('shuts a worker that listed a layer down once nothing waits; one that only hashed idles', async () => {
    const { archive, report } = await openBlobArchive(FIXTURES + 'dive-test-oci-zstd-image.tar');
    const { pool, made } = fakePool(() => 'work', { idleMs: 60_000 });
    await verifyArchive(archive, report, { pool, listedAlready: new Set() });
    // Every worker that listed a layer is gone already (idleMs is a minute).
    expect(made.some((w) => w.terminated)).toBe(true);
    expect(pool.workers.alive).toBe(made.filter((w) => !w.terminated).length);
    const listed = await verifyArchive(archive, report, {
      pool,
      listedAlready: diffIdsOf(report),
    });
    expect(listed.verification.status).toBe('ok');
    // Nothing listed this time: the workers that ran it stay, idle, for the next request.
    expect(pool.workers.alive).toBeGreaterThan(0);
    pool.terminateAll();
  });
});
