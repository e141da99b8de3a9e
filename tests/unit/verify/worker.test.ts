import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { VerifyReply } from '../../../workers/messages.ts';
import { handleRequest } from '../../../workers/verify-job.ts';
import { planVerification } from '../../../src/lib/verify/plan.ts';
import { BAD, FIXTURES, openBlobArchive } from './helpers.ts';

/** Runs a request; returns its replies. */
async function replies(request: Parameters<typeof handleRequest>[0]): Promise<VerifyReply[]> {
  const out: VerifyReply[] = [];
  await handleRequest(request, (r) => out.push(r));
  return out;
}

describe('the verify worker job', () => {
  it('digests a layer from a File range: result, then done', async () => {
    const path = FIXTURES + 'dive-test-kaniko-image.tar';
    const { archive, report } = await openBlobArchive(path);
    const plan = await planVerification(archive, report);
    const largest = plan.blobs[0]!;
    expect(largest.job.size).toBe(764655);
    const out = await replies({
      type: 'digest',
      id: 3,
      job: largest.job,
      ...archive.blobRange(largest.entry)!,
    });
    expect(out.at(-1)).toEqual({ type: 'done', id: 3 });
    expect(out.at(-2)).toEqual({
      type: 'result',
      id: 3,
      result: {
        id: largest.job.id,
        sha256: 'sha256:5c4213be9af904dd74649d250f22023f532b2f9179ffcb15260b5eaa10d7a3b4',
        length: 764655,
        content: {
          format: 'gzip',
          sha256: 'sha256:84009204da3f70b09d2be3914e12844ae9db893aa85ef95df83604f95df05187',
          length: expect.any(Number),
        },
      },
    });
  });

  it('makes a blob it cannot read a result with an error, not a failed request', async () => {
    const blob = new Blob([new Uint8Array(100)]);
    const job = { id: 0, name: 'short', size: 200, dataOffset: 0, decode: null };
    const out = await replies({ type: 'digest', id: 4, job, blob, start: 0, end: 200 });
    expect(out).toEqual([
      { type: 'result', id: 4, result: { id: 0, error: 'the data ends after 100 of 200 bytes' } },
      { type: 'done', id: 4 },
    ]);
  });

  it('digests every blob of a .tar.gz in one pass', async () => {
    const path = FIXTURES + 'trivy-alpine-310.tar.gz';
    const { archive, report } = await openBlobArchive(path);
    const plan = await planVerification(archive, report);
    const out = await replies({
      type: 'pass',
      id: 5,
      jobs: plan.blobs.map((b) => b.job),
      blob: await openAsBlob(path),
    });
    const results = out.flatMap((r) => (r.type === 'result' ? [r.result] : []));
    expect(results.map((r) => r.id).sort()).toEqual(plan.blobs.map((b) => b.job.id).sort());
    expect(results.every((r) => 'sha256' in r)).toBe(true);
    expect(out.at(-1)).toEqual({ type: 'done', id: 5 });
  });

  it('stops a request when told to cancel it', async () => {
    const path = BAD + 'oci-gzip-bomb-1GiB.tar';
    const { archive, report } = await openBlobArchive(path);
    const plan = await planVerification(archive, report);
    const layer = plan.blobs[0]!;
    const out: VerifyReply[] = [];
    const running = handleRequest(
      { type: 'digest', id: 6, job: layer.job, ...archive.blobRange(layer.entry)! },
      (r) => {
        out.push(r);
        if (r.type === 'progress') void handleRequest({ type: 'cancel', id: 6 }, () => {});
      },
    );
    await running;
    expect(out.at(-1)).toMatchObject({ type: 'error', id: 6, aborted: true });
    // It stopped near where it was told to, not after inflating the whole GiB: counted in bytes.
    const decoded = out.flatMap((r) => (r.type === 'progress' ? [r.bytesDecoded] : []));
    expect(Math.max(...decoded)).toBeLessThan(2 ** 30 / 4);
  });
});
