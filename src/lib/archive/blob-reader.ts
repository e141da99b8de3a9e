/**
 * Reading a blob's bytes in order, as fast as the platform allows and without ever hanging.
 * Pure: page, workers and Node.
 */

/** Receives the next bytes; a view is valid until the promise it returns settles. */
export type OnChunk = (chunk: Uint8Array) => void | Promise<void>;

/** Reads one blob's bytes, as many times as asked. */
export interface ChunkReader {
  readonly size: number;
  /** Calls `onChunk` with every byte in order; returns how many there were. Throws when the
   * blob ends before `size` bytes. */
  read(onChunk: OnChunk, signal?: AbortSignal): Promise<number>;
  /** Returns every byte in one buffer (small blobs only). */
  readAll(signal?: AbortSignal): Promise<Uint8Array>;
}

/**
 * Measured in headless Chromium on 1 GiB files (issue 7): `file.stream()` with a BYOB reader and
 * a reused 1–4 MiB buffer 680–800 MB/s; `File.slice().arrayBuffer()` loops 100–210 MB/s. And a
 * BYOB `read()` sometimes never resolves (11 of 75 single-worker runs), without using CPU: a read
 * that has given nothing for STALL_MS is abandoned and reading resumes from a fresh
 * `blob.slice(offset).stream()` (0 stalls left in 110 runs).
 */
export const BUFFER_BYTES = 1 << 20;
/** A read that has given nothing for this long is taken for stalled. */
export const STALL_MS = 2000;
/** Stalls in a row, with no byte read between them, after which reading gives up. */
export const MAX_STALLS = 5;

// A worker runs one job at a time: its one buffer is reused from job to job, so that pages are
// not touched afresh for every blob.
const spare: ArrayBuffer[] = [];

/** Options of a blob reader; the defaults are the measured ones above. */
export interface BlobReaderOptions {
  bufferBytes?: number;
  stallMs?: number;
  /** Called when a read stalled and reading starts again from `offset`. */
  onStall?: (offset: number) => void;
}

/** Returns a reader of `blob` bytes [start, end) through a BYOB reader and one reused buffer,
 * with a per-read watchdog that resumes a stalled read from where it stopped. */
export function blobReader(
  blob: Blob,
  start = 0,
  end = blob.size,
  options: BlobReaderOptions = {},
): ChunkReader {
  const bufferBytes = options.bufferBytes ?? BUFFER_BYTES;
  const stallMs = options.stallMs ?? STALL_MS;
  return {
    size: end - start,
    async readAll(signal) {
      signal?.throwIfAborted();
      const bytes = new Uint8Array(await blob.slice(start, end).arrayBuffer());
      if (bytes.length !== end - start) throw shortRead(bytes.length, end - start);
      return bytes;
    },
    async read(onChunk, signal) {
      let offset = start;
      let stalls = 0;
      let buffer = takeBuffer(bufferBytes);
      try {
        while (offset < end) {
          const stream = blob.slice(offset, end).stream() as ReadableStream<Uint8Array>;
          const reader = byobReader(stream);
          let stalled = false;
          try {
            while (offset < end) {
              signal?.throwIfAborted();
              const room = Math.min(buffer.byteLength, end - offset);
              const pending = reader.byob
                ? reader.byob.read(new Uint8Array(buffer, 0, room))
                : reader.plain!.read();
              const result = await watch(pending, stallMs, signal);
              if (result === STALLED) {
                stalled = true;
                if (++stalls >= MAX_STALLS)
                  throw new Error(`reading stalled ${stalls} times at byte ${offset - start}`);
                options.onStall?.(offset - start);
                // The stuck read still owns the buffer: it is lost with it.
                buffer = new ArrayBuffer(bufferBytes);
                break;
              }
              if (result.done || !result.value) break;
              const view = result.value;
              if (reader.byob) buffer = view.buffer as ArrayBuffer;
              if (view.byteLength === 0) continue;
              stalls = 0;
              offset += view.byteLength;
              await onChunk(view);
            }
          } finally {
            if (stalled) reader.cancel();
            else reader.release();
          }
          if (!stalled) break;
        }
      } finally {
        // A buffer still held by an abandoned read is detached (length 0): not reusable.
        if (buffer.byteLength > 0 && spare.length < 4) spare.push(buffer);
      }
      if (offset !== end) throw shortRead(offset - start, end - start);
      return offset - start;
    },
  };
}

/** Returns a reader that opens `open()` for every pass (Node files, archive entries). */
export function streamReader(
  size: number,
  open: () => ReadableStream<Uint8Array>,
  readAll?: () => Promise<Uint8Array>,
): ChunkReader {
  const reader: ChunkReader = {
    size,
    async read(onChunk, signal) {
      const stream = open().getReader();
      let length = 0;
      try {
        for (;;) {
          signal?.throwIfAborted();
          const { value, done } = await stream.read();
          if (done) break;
          length += value.length;
          await onChunk(value);
        }
      } catch (error) {
        await stream.cancel(error).catch(() => {});
        throw error;
      } finally {
        stream.releaseLock();
      }
      if (length !== size) throw shortRead(length, size);
      return length;
    },
    async readAll(signal) {
      if (readAll) {
        signal?.throwIfAborted();
        const bytes = await readAll();
        if (bytes.length !== size) throw shortRead(bytes.length, size);
        return bytes;
      }
      const bytes = new Uint8Array(size);
      let at = 0;
      await reader.read((chunk) => {
        bytes.set(chunk.subarray(0, size - at), at);
        at += chunk.length;
      }, signal);
      return bytes;
    },
  };
  return reader;
}

/** Returns the error of a blob that ended early. */
function shortRead(got: number, wanted: number): Error {
  return new Error(`the data ends after ${got} of ${wanted} bytes`);
}

/** Returns a free buffer of `bytes`, reusing one where possible. */
function takeBuffer(bytes: number): ArrayBuffer {
  const found = spare.findIndex((b) => b.byteLength === bytes);
  return found >= 0 ? spare.splice(found, 1)[0]! : new ArrayBuffer(bytes);
}

interface EitherReader {
  byob: ReadableStreamBYOBReader | null;
  plain: ReadableStreamDefaultReader<Uint8Array> | null;
  /** Gives up the stream without waiting (a stalled read may never settle). */
  cancel(): void;
  release(): void;
}

/** Returns a BYOB reader where the stream is a byte stream, else a default reader. */
function byobReader(stream: ReadableStream<Uint8Array>): EitherReader {
  let byob: ReadableStreamBYOBReader | null = null;
  let plain: ReadableStreamDefaultReader<Uint8Array> | null = null;
  try {
    byob = stream.getReader({ mode: 'byob' });
  } catch {
    plain = stream.getReader();
  }
  const reader = (byob ?? plain)!;
  return {
    byob,
    plain,
    cancel: () => void reader.cancel().catch(() => {}),
    release: () => {
      reader.cancel().catch(() => {});
      try {
        reader.releaseLock();
      } catch {
        // Older engines refuse while a read is pending; the stream is cancelled anyway.
      }
    },
  };
}

const STALLED = Symbol('stalled');

/** Returns what `pending` gives, or STALLED when it gives nothing for `ms`; rejects on abort. */
function watch<T>(
  pending: Promise<T>,
  ms: number,
  signal?: AbortSignal,
): Promise<T | typeof STALLED> {
  return new Promise((resolve, reject) => {
    const onAbort = () => finish(() => reject(signal!.reason));
    const timer = setTimeout(() => finish(() => resolve(STALLED)), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    function finish(then: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      then();
    }
    pending.then(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
  });
}
