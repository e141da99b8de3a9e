// Bundled into a worker by tests/bench/worker.ts: digests one layer File with the project's own
// pipeline (blobReader → digestBlob: DecompressionStream or fflate, hash-wasm, the listing
// scanner), as the page's verify workers do, and posts the time it took. With `packages`, the
// package files are kept as well and, once the layer is read, parsed as the page parses them
// (LayerListing.fromTransfer, mergeLayers, packagesByLayer): all of it inside the time.
import { blobReader } from '../../src/lib/archive/blob-reader.ts';
import { LayerListing } from '../../src/lib/layers/listing.ts';
import { mergeLayers } from '../../src/lib/layers/merge.ts';
import { packagesByLayer } from '../../src/lib/packages/by-layer.ts';
import { digestBlob } from '../../src/lib/verify/digest.ts';
import type { GzipDecoder } from '../../src/lib/verify/inflate.ts';

/** What the driver asks: a layer file, with or without a listing, through which gzip decoder. */
export interface WorkerBenchRequest {
  file: File;
  list: boolean;
  /** With the listing: keep the package files and read the packages from them. */
  packages?: boolean;
  gzip: GzipDecoder;
}

/** What the worker answers. */
export interface WorkerBenchReply {
  ms: number;
  storedBytes: number;
  decodedBytes: number;
  diffId: string | null;
  entries: number;
  /** Packages read (with `packages`), else 0. */
  packages: number;
  error?: string;
}

self.onmessage = async ({ data }: MessageEvent<WorkerBenchRequest>) => {
  const { file, list, gzip, packages } = data;
  const job = { id: 1, name: file.name, size: file.size, dataOffset: 0, decode: 'auto' as const };
  try {
    const start = performance.now();
    const keep = list && packages === true;
    const result = await digestBlob(job, blobReader(file), { list, gzip, keep });
    let found = 0;
    if (keep && result.listing) {
      const fs = mergeLayers([LayerListing.fromTransfer(result.listing)]);
      found = packagesByLayer(fs, [result.kept ?? null], 'amd64').records.length;
    }
    const ms = performance.now() - start;
    const content = result.content;
    const reply: WorkerBenchReply = {
      ms,
      storedBytes: result.length,
      decodedBytes: content && 'length' in content ? content.length : 0,
      diffId: content && 'sha256' in content ? content.sha256 : null,
      entries: result.listing ? result.listing.count : 0,
      packages: found,
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
      packages: 0,
      error: String(error),
    });
  }
};
