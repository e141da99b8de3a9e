/**
 * The messages between the page and a verify worker, in one place: requests from the page and
 * replies from the worker, each a union on `type`, correlated by `id`. Blobs are passed (a
 * File's slice is a reference, never a copy); results are plain objects, a listed layer's
 * arrays and kept files transferred (moved, not copied) with its result.
 */
import type { BlobJob, BlobResult } from '../src/lib/verify/model.ts';

/** Digest one blob: bytes [start, end) of `blob`. */
export interface DigestRequest {
  type: 'digest';
  id: number;
  job: BlobJob;
  blob: Blob;
  start: number;
  end: number;
  /** Hash the stored bytes in a lane of the worker's multi-buffer SHA-256: the pool says so
   * where it gives this worker other blobs to hash alongside (src/lib/verify/sha256x4.ts). */
  lanes?: boolean;
}

/** Digest every job's blob in one pass over the gzip-compressed tar that `blob` holds. */
export interface PassRequest {
  type: 'pass';
  id: number;
  jobs: BlobJob[];
  blob: Blob;
}

/** Stop request `id` (cooperatively; the pool terminates busy workers outright on cancel). */
export interface CancelRequest {
  type: 'cancel';
  id: number;
}

/** What the page sends. */
export type VerifyRequest = DigestRequest | PassRequest | CancelRequest;

/** How far a request has got: bytes read (of the blob; of the whole file in a pass) and
 * decoded. Sent twice a second, also while one piece decodes for long (bombs). */
export interface ProgressReply {
  type: 'progress';
  id: number;
  bytesRead: number;
  bytesDecoded: number;
}

/** A blob's result: a digest request gives one, a pass one per job as its entry goes by. */
export interface ResultReply {
  type: 'result';
  id: number;
  result: BlobResult;
}

/** The request is finished; every result has been sent. */
export interface DoneReply {
  type: 'done';
  id: number;
}

/** The request failed as a whole (a blob that cannot be read is a result, not this). */
export interface ErrorReply {
  type: 'error';
  id: number;
  message: string;
  aborted: boolean;
}

/** What the worker sends. */
export type VerifyReply = ProgressReply | ResultReply | DoneReply | ErrorReply;
