// Bundled into a worker by tests/bench/worker.ts: digests one layer File with the project's own
// pipeline (blobReader → digestBlob: zlib in WebAssembly or fzstd, hash-wasm, the listing
// scanner), as the page's verify workers do, and posts the time it took.
// With `packages`, it also keeps the package files as they go by and reads the packages from
// them, as the page does (LayerListing.fromTransfer, mergeLayers, packagesByLayer), inside the
// time measured.
import { blobReader } from '../../src/lib/archive/blob-reader.ts';
import { LayerListing } from '../../src/lib/layers/listing.ts';
import { mergeLayers } from '../../src/lib/layers/merge.ts';
import { packagesByLayer } from '../../src/lib/packages/by-layer.ts';
import { digestBlob } from '../../src/lib/verify/digest.ts';
import { emptyReply } from './worker-reply.ts';

/** What the driver asks: a layer file, with or without a listing;
 * with `slices`, the layers stored at those places of `file` (an archive), one after the other. */
export interface WorkerBenchRequest {
  file: File;
  list: boolean;
  /** Keep the package files and read the packages (implies `list`). */
  packages?: boolean;
  slices?: { offset: number; size: number }[];
}

self.onmessage = async ({ data }: MessageEvent<WorkerBenchRequest>) => {
  const { file } = data;
  const keep = data.packages === true;
  const list = data.list || keep;
  const slices = data.slices ?? [{ offset: 0, size: file.size }];
  try {
    const reply = emptyReply();
    const start = performance.now();
    for (const [i, { offset, size }] of slices.entries()) {
      const job = { id: i + 1, name: file.name, size, dataOffset: offset, decode: 'auto' as const };
      const result = await digestBlob(job, blobReader(file.slice(offset, offset + size)), {
        list,
        keep,
      });
      if (keep && result.listing) {
        const fs = mergeLayers([LayerListing.fromTransfer(result.listing)]);
        reply.packages += packagesByLayer(fs, [result.kept ?? null], 'amd64').records.length;
      }
      const content = result.content;
      reply.storedBytes += result.length;
      reply.decodedBytes += content && 'length' in content ? content.length : 0;
      reply.diffId = content && 'sha256' in content ? content.sha256 : null;
      reply.entries += result.listing ? result.listing.count : 0;
      if (content && 'error' in content) reply.error = content.error;
    }
    reply.ms = performance.now() - start;
    postMessage(reply);
  } catch (error) {
    postMessage(emptyReply(String(error)));
  }
};
