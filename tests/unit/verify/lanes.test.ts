// Blobs hashed together in the lanes of one worker's multi-buffer SHA-256 (issue 15): the
// worker job with `lanes` (several requests at once, as the pool sends them), and the pool
// dealing a legacy save's layers four to a worker. Every digest must be what node:crypto says,
// whatever the other lanes do: stall, end early, hold the same bytes, mismatch.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DigestRequest, VerifyReply, VerifyRequest } from '../../../workers/messages.ts';
import { handleRequest } from '../../../workers/verify-job.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { blobSource } from '../../../src/lib/archive/byte-source.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { verifyArchive } from '../../../src/app/verify/pool.ts';
import { LANES, type WorkerLike, WorkerPool } from '../../../src/app/verify/worker-pool.ts';
import { LANES as MODULE_LANES, laneEngine } from '../../../src/lib/verify/sha256x4.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import type { BlobJob } from '../../../src/lib/verify/model.ts';
import { legacySave, noise } from '../../support/legacy.ts';
import { CHUNK, stallingBlob } from '../../support/stalling-blob.ts';
import { sha256 } from '../../support/tar.ts';

const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Returns a digest request of the whole of `blob` hashed in a lane. */
function request(id: number, blob: Blob, size: number): DigestRequest {
  const job: BlobJob = { id, name: `b${id}`, size, dataOffset: 0, decode: null };
  return { type: 'digest', id, job, blob, start: 0, end: size, lanes: true };
}

/** Runs requests at once, as one worker does; returns each one's replies and the order in
 * which they finished. */
async function together(requests: DigestRequest[]) {
  const replies = new Map<number, VerifyReply[]>(requests.map((r) => [r.id, []]));
  const finished: number[] = [];
  await Promise.all(
    requests.map((r) =>
      handleRequest(r, (reply) => replies.get(r.id)!.push(reply)).then(() => finished.push(r.id)),
    ),
  );
  const result = (id: number) => {
    const reply = replies.get(id)!.find((x) => x.type === 'result');
    return reply?.type === 'result' ? reply.result : null;
  };
  return { result, finished };
}

/** Expects every lane of the thread's module to be free again (four lanes handed out). */
async function lanesAllFree(): Promise<void> {
  const hashers = await Promise.all(Array.from({ length: LANES }, () => laneEngine.create()));
  expect(hashers.every((h) => h.release !== undefined)).toBe(true);
  for (const h of hashers) h.release!();
}

/** Returns a pool of two recording workers, and the workers it made. */
function recordingPool(): { made: RecordingWorker[]; pool: WorkerPool } {
  const made: RecordingWorker[] = [];
  const pool = new WorkerPool({
    size: 2,
    createWorker: () => (made.push(new RecordingWorker()), made.at(-1)!),
  });
  return { made, pool };
}

describe('blobs hashed in the lanes of one worker', () => {
  it('digests each blob; one whose last read stalls holds no other lane back', async () => {
    const sizes = [1_250_000, 1_100_000, 900_000, 2_300_000];
    const bytes = sizes.map((n, i) => noise(n, i + 1));
    // Lane 0 stalls on its last read (the reader's watchdog resumes it after 2 s).
    const last = Math.floor((sizes[0]! - 1) / CHUNK) * CHUNK;
    const stalling = stallingBlob(bytes[0]!, [last]);
    const blobs = [stalling.blob, ...bytes.slice(1).map((b) => new Blob([b]))];
    const { result, finished } = await together(blobs.map((b, i) => request(i, b, sizes[i]!)));
    for (const [i, b] of bytes.entries())
      expect(result(i)).toMatchObject({ sha256: sha(b), length: b.length });
    expect(stalling.opened).toEqual([0, last]);
    // The others were done while lane 0 waited: the stall did not stop them.
    expect(finished.at(-1)).toBe(0);
    await lanesAllFree();
  }, 20_000);

  it('makes a blob shorter than its descriptor its own error; the others are digested', async () => {
    const bytes = [0, 1, 2, 3].map((i) => noise(1_000_000 + 1000 * i, 10 + i));
    const blobs = bytes.map((b, i) => new Blob([i === 2 ? b.subarray(0, 700_000) : b]));
    const { result } = await together(blobs.map((b, i) => request(i, b, bytes[i]!.length)));
    expect(result(2)).toEqual({ id: 2, error: 'the data ends after 700000 of 1002000 bytes' });
    for (const i of [0, 1, 3]) expect(result(i)).toMatchObject({ sha256: sha(bytes[i]!) });
    await lanesAllFree();
  });

  it('gives two blobs of the same bytes the same, right digest', async () => {
    const same = noise(1_500_000, 77);
    const other = noise(1_500_000, 78);
    const blobs = [same, other, same].map((b) => new Blob([b]));
    const { result } = await together(blobs.map((b, i) => request(i, b, 1_500_000)));
    expect(result(0)).toMatchObject({ sha256: sha(same) });
    expect(result(2)).toMatchObject({ sha256: sha(same) });
    expect(result(1)).toMatchObject({ sha256: sha(other) });
    await lanesAllFree();
  });

  it('gives a cancelled blob its lane back and leaves the others right', async () => {
    const bytes = [0, 1, 2].map((i) => noise(1_200_000, 30 + i));
    const requests = bytes.map((b, i) => request(40 + i, new Blob([b]), b.length));
    const replies: VerifyReply[] = [];
    const running = requests.map((r) => handleRequest(r, (reply) => replies.push(reply)));
    await handleRequest({ type: 'cancel', id: 41 }, () => {});
    await Promise.all(running);
    expect(replies.find((r) => r.id === 41)).toMatchObject({ type: 'error', aborted: true });
    for (const i of [0, 2]) {
      const reply = replies.find((r) => r.id === 40 + i && r.type === 'result');
      expect(reply).toMatchObject({ result: { sha256: sha(bytes[i]!) } });
    }
    await lanesAllFree();
  });
});

/** A worker that runs the real job in this thread and records what it was sent. */
class RecordingWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  onmessageerror: WorkerLike['onmessageerror'] = null;
  readonly sent: VerifyRequest[] = [];
  postMessage(request: VerifyRequest): void {
    this.sent.push(request);
    setTimeout(() => {
      void handleRequest(request, (reply) =>
        this.onmessage?.({ data: reply } as MessageEvent<VerifyReply>),
      );
    }, 0);
  }
  terminate(): void {}
}

/** Returns true for a request to digest a layer. */
const isLayer = (r: VerifyRequest): r is DigestRequest =>
  r.type === 'digest' && r.job.name.endsWith('/layer.tar');

/** Returns a legacy save of `n` layers of decreasing size (about 1 MB each), as a Blob-backed
 * archive, with the config's diff_id of layer `wrong` (if any) not the layer's. */
async function openLegacy(n: number, wrong = -1) {
  const files = Array.from({ length: n }, (_, i) => noise(1_600_000 - 50_000 * i, 100 + i));
  const diffIds = files.map((_, i) => (i === wrong ? sha256(`not layer ${i}`) : undefined));
  const bytes = legacySave(files, diffIds);
  const archive = await openArchive(
    blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), 'legacy.tar'),
  );
  return { archive, report: await inspectArchive(archive) };
}

describe('the pool dealing stored blobs to the lanes of its workers', () => {
  it('gives a worker as many blobs as its module has lanes', () => {
    expect(LANES).toBe(MODULE_LANES);
  });

  it('gives each of two workers four layers to hash together, with the in-process result', async () => {
    const { archive, report } = await openLegacy(8);
    const { made, pool } = recordingPool();
    const { verification } = await verifyArchive(archive, report, { pool });
    expect(verification.status).toBe('ok');
    expect(verification).toEqual((await verifyInProcess(archive, report)).verification);
    // Largest first, dealt in turn: 0, 2, 4, 6 to one worker and 1, 3, 5, 7 to the other (the
    // config, small and read whole, on its own after).
    const digests = made.map((w) => w.sent.filter(isLayer));
    expect(digests.map((d) => d.map((r) => [r.job.id, r.lanes]))).toEqual([
      [0, 2, 4, 6].map((id) => [id, true]),
      [1, 3, 5, 7].map((id) => [id, true]),
    ]);
  });

  it('keeps one blob a worker to the scalar path', async () => {
    const { archive, report } = await openLegacy(2);
    const { made, pool } = recordingPool();
    const { verification } = await verifyArchive(archive, report, { pool });
    expect(verification.status).toBe('ok');
    const digests = made.flatMap((w) => w.sent.filter(isLayer));
    expect(digests.map((r) => r.lanes)).toEqual([undefined, undefined]);
  });

  it('fails the one layer whose bytes mismatch, in the last lane, and no other', async () => {
    const { archive, report } = await openLegacy(8, 6);
    const pool = new WorkerPool({ size: 2, createWorker: () => new RecordingWorker() });
    const { verification } = await verifyArchive(archive, report, { pool });
    expect(verification.status).toBe('failed');
    const failed = verification.checks.filter((c) => !c.ok);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ kind: 'diff-id', expected: sha256('not layer 6') });
    expect(verification).toEqual((await verifyInProcess(archive, report)).verification);
  });
});
