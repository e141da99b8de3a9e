/**
 * The worker side of verification, without the worker: one request in, replies out. Kept apart
 * from verify.worker.ts so that Node tests can run it on real Blobs.
 */
import { keptBuffers } from '../src/lib/layers/kept-files.ts';
import { listingBuffers } from '../src/lib/layers/listing.ts';
import { type BlobResult, isDigests } from '../src/lib/verify/model.ts';
import type { VerifyReply, VerifyRequest } from './messages.ts';
import { blobReader } from '../src/lib/archive/blob-reader.ts';
import { messageOf } from '../src/lib/errors.ts';
import { digestBlob } from '../src/lib/verify/digest.ts';
import { laneEngine } from '../src/lib/verify/sha256x4.ts';
import { digestCompressedTar } from '../src/lib/verify/sequential.ts';

/** Progress goes out at most this often per request: as often as the page shows it
 * (PROGRESS_INTERVAL_MS); each message is work for the page's main thread, and a worker hashing
 * four blobs in its lanes sends four. */
const PROGRESS_MS = 500;

const running = new Map<number, AbortController>();

/** Returns the buffers a result's listing and kept files own, to transfer rather than copy
 * (the worker lets go of them: a listing of a million entries is tens of megabytes). */
export function resultTransfer(result: BlobResult): ArrayBuffer[] {
  if (!isDigests(result)) return [];
  const buffers = result.listing ? listingBuffers(result.listing) : [];
  if (result.kept) buffers.push(...keptBuffers(result.kept));
  return [...new Set(buffers)];
}

/** Runs one request, sending its replies through `post` (with the buffers to transfer);
 * resolves when it is finished. */
export async function handleRequest(
  request: VerifyRequest,
  post: (reply: VerifyReply, transfer?: ArrayBuffer[]) => void,
): Promise<void> {
  const { id } = request;
  if (request.type === 'cancel') {
    running.get(id)?.abort(new DOMException('verification cancelled', 'AbortError'));
    return;
  }
  const controller = new AbortController();
  const { signal } = controller;
  running.set(id, controller);
  let last = 0;
  const progress = (bytesRead: number, bytesDecoded: number) => {
    const now = Date.now();
    if (now - last < PROGRESS_MS) return;
    last = now;
    post({ type: 'progress', id, bytesRead, bytesDecoded });
  };
  try {
    if (request.type === 'digest') {
      const { job, blob, start, end } = request;
      let result: BlobResult;
      try {
        result = await digestBlob(job, blobReader(blob, start, end), {
          signal,
          onProgress: progress,
          storedEngine: request.lanes ? laneEngine : undefined,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        result = { id: job.id, error: messageOf(error) };
      }
      post({ type: 'result', id, result }, resultTransfer(result));
    } else {
      await digestCompressedTar(blobReader(request.blob), request.jobs, {
        signal,
        onProgress: (bytesRead) => progress(bytesRead, 0),
        onResult: (result) => post({ type: 'result', id, result }, resultTransfer(result)),
      });
    }
    post({ type: 'done', id });
  } catch (error) {
    post({ type: 'error', id, message: messageOf(error), aborted: signal.aborted });
  } finally {
    running.delete(id);
  }
}
