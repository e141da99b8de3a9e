import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { VerifyProgress } from '../../../src/lib/verify/model.ts';
import { planVerification } from '../../../src/lib/verify/plan.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { PROGRESS_INTERVAL_MS, VerifySession } from '../../../src/lib/verify/session.ts';
import { FIXTURES, openBlobArchive } from './helpers.ts';

const MULTIARCH = FIXTURES + 'gen-buildah-multiarch-oci-archive.tar';

describe('VerifySession figures', () => {
  it('counts stored and decoded bytes apart, and times the decoding and the run', async () => {
    const { archive, report } = await openBlobArchive(MULTIARCH);
    const plan = await planVerification(archive, report);
    let t = 0;
    const session = new VerifySession(plan, undefined, () => t);
    const [layer, config] = plan.blobs;
    t = 10;
    session.start(layer!.job.id);
    session.start(config!.job.id);
    t = 50;
    const content = { format: 'gzip' as const, sha256: 'sha256:00', length: 300 };
    session.settle({ id: layer!.job.id, sha256: 'sha256:11', length: 100, content });
    t = 60;
    session.settle({ id: config!.job.id, sha256: 'sha256:22', length: 7, content: null });
    expect(session.snapshot().figures).toEqual({
      elapsedMs: 60,
      storedBytes: 107,
      decodedBytes: 300,
      decodeMs: 40,
    });
    t = 70;
    const { figures } = session.finish();
    t = 1000; // finished: the elapsed time no longer moves
    expect(figures.elapsedMs).toBe(70);
    expect(session.snapshot().figures.elapsedMs).toBe(70);
  });

  it('reports real figures at the end of a run, and progress at most every 100 ms', async () => {
    const { archive, report } = await openBlobArchive(MULTIARCH);
    const plan = await planVerification(archive, report);
    let decoded = 0;
    for (const blob of plan.blobs) {
      if (blob.job.decode !== 'gzip') continue;
      decoded += gunzipSync(await archive.read(blob.entry, blob.entry.size)).length;
    }
    expect(decoded).toBeGreaterThan(0);
    const seen: VerifyProgress[] = [];
    const outcome = await verifyInProcess(archive, report, { onProgress: (p) => seen.push(p) });
    expect(outcome.verification.status).toBe('ok');
    expect(outcome.figures.storedBytes).toBe(plan.bytesTotal);
    expect(outcome.figures.decodedBytes).toBe(decoded);
    expect(outcome.figures.elapsedMs).toBeGreaterThan(0);
    expect(outcome.figures.decodeMs).toBeGreaterThan(0);
    expect(outcome.figures.decodeMs).toBeLessThanOrEqual(outcome.figures.elapsedMs);
    expect(seen.at(-1)!.figures).toEqual(outcome.figures);
    expect(seen.at(-1)!.bytesDone).toBe(plan.bytesTotal);
  });

  it('throttles progress to one report per interval, the last one always sent', async () => {
    const { archive, report } = await openBlobArchive(MULTIARCH);
    const plan = await planVerification(archive, report);
    let t = 0;
    const times: number[] = [];
    const session = new VerifySession(
      plan,
      () => times.push(t),
      () => t,
    );
    for (const blob of plan.blobs) {
      t += 7;
      session.start(blob.job.id);
      session.read(blob.job.id, 1);
    }
    session.finish();
    for (let i = 1; i < times.length - 1; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(PROGRESS_INTERVAL_MS);
    expect(times.at(-1)).toBe(t);
  });
});
