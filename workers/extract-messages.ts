/**
 * The messages between the page and an extract worker: one file taken out of a layer that must
 * be decoded from its start (a compressed layer, or one whose listing has no data offsets).
 * Correlated by `id`; the layer is passed as a Blob slice (a reference, never a copy), the file
 * comes back as a Blob.
 */
import type { Format } from '../src/lib/verify/model.ts';

/** Take entry `entry` (its index in the layer's listing, which counts every tar entry the
 * parser gives) out of the layer in `blob` bytes [start, end), decoded as `format`. */
export interface ExtractRequest {
  type: 'extract';
  id: number;
  blob: Blob;
  start: number;
  end: number;
  format: Format;
  entry: number;
  /** The entry's cleaned path, checked against what the tar says at that index. */
  path: string;
  /** Bytes of the file given at most (a preview asks for 4 MiB; a download for all). */
  limit: number;
}

/** Stop request `id`. */
export interface ExtractCancel {
  type: 'cancel';
  id: number;
}

/** What the page sends. */
export type ExtractMessage = ExtractRequest | ExtractCancel;

/** How far: bytes of the layer read, of `total`. */
export interface ExtractProgress {
  type: 'progress';
  id: number;
  bytesRead: number;
  total: number;
}

/** The file's bytes (up to the limit) and its whole size. */
export interface ExtractDone {
  type: 'done';
  id: number;
  data: Blob;
  size: number;
  /** True when the file is longer than `limit` and only its start was kept. */
  cut: boolean;
}

/** Why it could not be taken out (`aborted` when cancelled). */
export interface ExtractError {
  type: 'error';
  id: number;
  message: string;
  aborted: boolean;
}

/** What the worker sends. */
export type ExtractReply = ExtractProgress | ExtractDone | ExtractError;
