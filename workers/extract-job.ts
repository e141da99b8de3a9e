/**
 * The worker side of taking one file out of a layer, without the worker (so that Node tests run
 * it on real Blobs): the layer is read from its start, decoded, and walked by the project's tar
 * parser until the wanted entry's data has gone by; the rest of the layer is not read.
 */
import type { ExtractMessage, ExtractReply, ExtractRequest } from './extract-messages.ts';
import { blobReader } from '../src/lib/archive/blob-reader.ts';
import { TarParser } from '../src/lib/archive/tar-parser.ts';
import { messageOf } from '../src/lib/errors.ts';
import { cleanPath } from '../src/lib/layers/path.ts';
import { createDecoder, decoderModules } from '../src/lib/verify/inflate.ts';

/** Progress goes out at most this often per request. */
const PROGRESS_MS = 100;

const running = new Map<number, AbortController>();

/** Thrown (and caught) once the wanted entry is complete: reading stops there. */
class Found extends Error {}

/** Runs one message, sending replies through `post`; resolves when it is finished. */
export async function handleExtract(
  message: ExtractMessage,
  post: (reply: ExtractReply) => void,
): Promise<void> {
  const { id } = message;
  if (message.type === 'cancel') {
    running.get(id)?.abort(new DOMException('extraction cancelled', 'AbortError'));
    return;
  }
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const r = await extract(message, controller.signal, (bytesRead, total) =>
      post({ type: 'progress', id, bytesRead, total }),
    );
    post({ type: 'done', id, ...r });
  } catch (error) {
    post({
      type: 'error',
      id,
      message: messageOf(error),
      aborted: controller.signal.aborted,
    });
  } finally {
    running.delete(id);
  }
}

/** How many bytes of an entry are gathered before they are handed to a Blob. */
const FLUSH_BYTES = 8 * 1024 * 1024;

/** Returns the bytes of one entry of a layer (up to `limit`), its size and whether it was cut. */
export async function extract(
  req: ExtractRequest,
  signal: AbortSignal,
  progress: (bytesRead: number, total: number) => void = () => {},
): Promise<{ data: Blob; size: number; cut: boolean }> {
  // The entry's bytes go into Blobs of FLUSH_BYTES as they come: the browser keeps a Blob's
  // data outside this worker's heap (and on disk past its memory quota), so a file of gigabytes
  // is not held here as one array.
  const blobs: Blob[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let kept = 0;
  let size = -1;
  let index = -1;
  let found = false;
  let complete = false;
  let mismatch: string | null = null;
  const parser = new TarParser({
    entry: (_entry, header) => {
      index++;
      if (index !== req.entry) return;
      const path = cleanPath(header.name).path;
      if (path !== req.path) mismatch = path;
      found = true;
      size = header.size;
    },
    data: (_entry, chunk) => {
      if (index !== req.entry || kept >= req.limit) return;
      const piece = chunk.subarray(0, req.limit - kept);
      pending.push(piece.slice());
      pendingBytes += piece.length;
      kept += piece.length;
      if (pendingBytes >= FLUSH_BYTES) {
        blobs.push(new Blob(pending as BlobPart[]));
        pending = [];
        pendingBytes = 0;
      }
    },
    end: () => {
      if (index === req.entry) complete = true;
    },
  });
  // The sink only feeds the parser; the read loop stops once the entry is complete.
  const stop = () => complete || mismatch !== null;
  const decoder = createDecoder(
    req.format,
    (chunk) => {
      if (!stop()) parser.push(chunk);
    },
    await decoderModules(),
  );
  const total = req.end - req.start;
  let read = 0;
  let last = 0;
  try {
    await blobReader(req.blob, req.start, req.end).read(async (chunk) => {
      signal.throwIfAborted();
      if (stop()) throw new Found();
      await decoder.push(chunk);
      read += chunk.length;
      const now = Date.now();
      if (now - last >= PROGRESS_MS) {
        last = now;
        progress(read, total);
      }
      if (stop()) throw new Found();
    }, signal);
    await decoder.end();
  } catch (error) {
    decoder.cancel();
    if (signal.aborted) throw signal.reason;
    if (!stop()) throw error;
  }
  if (mismatch !== null)
    throw new Error(
      `entry ${req.entry + 1} of the layer is ${JSON.stringify(mismatch)}, not ${JSON.stringify(req.path)}: the listing does not fit this layer`,
    );
  if (!found) throw new Error(`the layer has no entry ${req.entry + 1}`);
  if (!complete) throw new Error('the layer ends before the file does');
  return { data: new Blob([...blobs, ...(pending as BlobPart[])]), size, cut: size > kept };
}
