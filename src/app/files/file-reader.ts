/**
 * Reads one file of a layer in the page: a slice of the dropped File where the layer is stored
 * uncompressed and the listing knows the data offset (no copy, no worker), else the extract
 * worker decodes the layer from its start, with progress and cancel (the worker is ended).
 */
import type { ExtractMessage, ExtractReply } from '../../../workers/extract-messages.ts';
import type { LayerListing } from '../../lib/layers/listing.ts';
import { SNIFF_BYTES, sniffFormat } from '../../lib/verify/inflate.ts';
import type { Format } from '../../lib/verify/model.ts';
import { readPlan, type FileTarget, type LayerSource } from './preview.ts';

/** A file's bytes (up to the limit asked), its whole size, and whether they were cut. */
export interface FileBytes {
  data: Blob;
  size: number;
  cut: boolean;
}

/** Returns a layer's format: the one its source names, else sniffed from its first bytes. */
async function formatOf(source: LayerSource): Promise<Format> {
  if (source.format) return source.format;
  const head = new Uint8Array(
    await source.blob
      .slice(source.start, Math.min(source.end, source.start + SNIFF_BYTES))
      .arrayBuffer(),
  );
  const f = sniffFormat(head);
  if (typeof f === 'object')
    throw new Error(`this layer is compressed with ${f.unsupported}, which cannot be read here`);
  return f;
}

let nextId = 1;

/** Returns the first `limit` bytes of a file held by `target` in a layer stored as `source`. */
export async function readFileBytes(
  source: LayerSource,
  listing: LayerListing,
  target: FileTarget,
  limit: number,
  options: { signal?: AbortSignal; onProgress?: (read: number, total: number) => void } = {},
): Promise<FileBytes> {
  const format = await formatOf(source);
  const length = Math.min(target.size, limit);
  const plan = readPlan(source, listing.dataOffset(target.entry), length, format);
  if (plan.kind === 'slice')
    return {
      data: source.blob.slice(plan.start, plan.end),
      size: target.size,
      cut: length < target.size,
    };
  const worker = new Worker(new URL('../../../workers/extract.worker.ts', import.meta.url), {
    type: 'module',
  });
  const id = nextId++;
  try {
    return await new Promise<FileBytes>((resolve, reject) => {
      const stop = () => reject(new DOMException('stopped', 'AbortError'));
      if (options.signal?.aborted) return stop();
      options.signal?.addEventListener('abort', stop, { once: true });
      worker.onmessage = (event: MessageEvent<ExtractReply>) => {
        const r = event.data;
        if (r.id !== id) return;
        if (r.type === 'progress') options.onProgress?.(r.bytesRead, r.total);
        else if (r.type === 'done') resolve({ data: r.data, size: r.size, cut: r.cut });
        else reject(new Error(r.message));
      };
      worker.onerror = (event) => reject(new Error(event.message || 'the extract worker failed'));
      const message: ExtractMessage = {
        type: 'extract',
        id,
        blob: source.blob,
        start: source.start,
        end: source.end,
        format,
        entry: target.entry,
        path: target.path,
        limit,
      };
      worker.postMessage(message);
    });
  } finally {
    worker.terminate();
  }
}
