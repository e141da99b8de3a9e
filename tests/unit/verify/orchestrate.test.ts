import { describe, expect, it } from 'vitest';
import { type BlobRunner, runVerification } from '../../../src/lib/verify/orchestrate.ts';
import { planVerification } from '../../../src/lib/verify/plan.ts';
import { inThreadRunner } from '../../../src/lib/verify/run.ts';
import { FIXTURES, openBlobArchive } from './helpers.ts';

/** The in-thread runner, with `change` applied over it. */
function runner(change: (real: BlobRunner) => Partial<BlobRunner>): BlobRunner {
  const real = inThreadRunner();
  return { ...real, ...change(real) };
}

describe('runVerification', () => {
  it('hands a runner at most `concurrency` blobs at once, and settles each', async () => {
    const { archive, report } = await openBlobArchive(
      FIXTURES + 'gen-buildah-multiarch-oci-archive.tar',
    );
    const plan = await planVerification(archive, report);
    let running = 0;
    let most = 0;
    const counted = runner((real) => ({
      concurrency: 3,
      async digest(...args) {
        most = Math.max(most, ++running);
        try {
          return await real.digest(...args);
        } finally {
          running--;
        }
      },
    }));
    const { verification, jobs } = await runVerification(archive, plan, counted);
    expect(verification.status).toBe('ok');
    expect(plan.blobs.length).toBeGreaterThan(3);
    expect(most).toBe(3);
    expect(jobs.every((j) => j.state === 'ok')).toBe(true);
  });

  it('makes a blob its runner cannot read an error (partial), not a rejection', async () => {
    const { archive, report } = await openBlobArchive(FIXTURES + 'dive-test-oci-zstd-image.tar');
    const plan = await planVerification(archive, report);
    const broken = runner((real) => ({
      async digest(archive, blob, hooks, signal) {
        if (blob.job.id === 0) throw new Error('disk on fire\nsecond line');
        return real.digest(archive, blob, hooks, signal);
      },
    }));
    const { verification, jobs } = await runVerification(archive, plan, broken);
    expect(verification.status).toBe('partial');
    expect(jobs[0]).toMatchObject({ state: 'error', detail: 'disk on fire\\nsecond line' });
    expect(jobs.slice(1).every((j) => j.state === 'ok')).toBe(true);
  });

  it('rejects with the abort reason, before or during a run', async () => {
    const { archive, report } = await openBlobArchive(FIXTURES + 'dive-test-oci-zstd-image.tar');
    const plan = await planVerification(archive, report);
    const before = new AbortController();
    before.abort(new Error('gone'));
    const run = runVerification(archive, plan, inThreadRunner(), { signal: before.signal });
    await expect(run).rejects.toThrow('gone');
    const during = new AbortController();
    const stopping = runner(() => ({
      async digest() {
        during.abort(new Error('user cancelled'));
        throw new Error('read interrupted');
      },
    }));
    const cancelled = runVerification(archive, plan, stopping, { signal: during.signal });
    await expect(cancelled).rejects.toThrow('user cancelled');
  });

  it('in one pass, gives the jobs the pass did not reach its failure', async () => {
    const { archive, report } = await openBlobArchive(FIXTURES + 'trivy-alpine-310.tar.gz');
    const plan = await planVerification(archive, report);
    expect(plan.sequential).toBe(true);
    const cut = runner((real) => ({
      async pass(archive, jobs, hooks, signal) {
        // The first result arrives, then the pass dies.
        await real.pass(
          archive,
          jobs,
          { ...hooks, onResult: (r) => r.id === 0 && hooks.onResult(r) },
          signal,
        );
        throw new Error('the worker crashed');
      },
    }));
    const { verification, jobs } = await runVerification(archive, plan, cut);
    expect(verification.status).toBe('partial');
    expect(jobs[0]!.state).toBe('ok');
    expect(jobs.slice(1).map((j) => j.detail)).toEqual(
      plan.blobs.slice(1).map(() => 'the worker crashed'),
    );
  });
});
