// Bundled into a worker by tests/bench/worker.ts: digests one layer File with the project's own
// pipeline (blobReader → digestBlob: DecompressionStream or fflate, hash-wasm, the listing
// scanner), as the page's verify workers do, and posts the time it took.
import { blobReader } from '../../src/lib/archive/blob-reader.ts';
import { digestBlob } from '../../src/lib/verify/digest.ts';
import type { GzipDecoder } from '../../src/lib/verify/inflate.ts';

/** What the driver asks: a layer file, with or without a listing, through which gzip decoder. */
export interface WorkerBenchRequest {
  file: File;
  list: boolean;
  gzip: GzipDecoder;
}

/** What the worker answers. */
export interface WorkerBenchReply {
  ms: number;
  storedBytes: number;
  decodedBytes: number;
  diffId: string | null;
  entries: number;
  error?: string;
}

self.onmessage = async ({ data }: MessageEvent<WorkerBenchRequest>) => {
  const { file, list, gzip } = data;
  const job = { id: 1, name: file.name, size: file.size, dataOffset: 0, decode: 'auto' as const };
  try {
    const start = performance.now();
    const result = await digestBlob(job, blobReader(file), { list, gzip });
    const ms = performance.now() - start;
    const content = result.content;
    const reply: WorkerBenchReply = {
      ms,
      storedBytes: result.length,
      decodedBytes: content && 'length' in content ? content.length : 0,
      diffId: content && 'sha256' in content ? content.sha256 : null,
      entries: result.listing ? result.listing.count : 0,
      ...(content && 'error' in content ? { error: content.error } : {}),
    };
    postMessage(reply);
  } catch (error) {
    postMessage({
      ms: 0,
      storedBytes: 0,
      decodedBytes: 0,
      diffId: null,
      entries: 0,
      error: String(error),
    });
  }
};
