// Bundled into a worker by tests/bench/blob-digest.ts: one part of reading and hashing blobs as
// stored, so that each can be timed alone in a real Chromium worker (issue 15):
// - `hash`: hash-wasm over one buffer already in memory (no read): the hasher's own speed;
// - `read`: the BYOB reader of the app (blobReader) alone, nothing done with the bytes;
// - `read-hash`: the reader, each piece given to hash-wasm in the callback;
// - `digest`: the app's own digestBlob on each slice (decode 'auto' and listing on where
//   `list`, as a legacy layer.tar is verified);
// - `digest-lanes`: the same, up to four slices at once, their stored bytes hashed in the lanes
//   of the worker's multi-buffer SHA-256 (laneEngine), as the page's pool has a worker do;
// - `read-slices`, `read-sync`: other ways to read (`slice().arrayBuffer()` per piece, the next
//   asked for ahead; FileReaderSync), to compare with the BYOB reader.
import { blobReader } from '../../src/lib/archive/blob-reader.ts';
import { createWasmSha256 } from '../../src/lib/verify/hash.ts';
import { digestBlob } from '../../src/lib/verify/digest.ts';
import { LANES, laneEngine } from '../../src/lib/verify/sha256x4.ts';

/** What the driver asks of one worker. */
export interface BlobBenchRequest {
  mode: 'hash' | 'read' | 'read-hash' | 'digest' | 'digest-lanes' | 'read-slices' | 'read-sync';
  file: File;
  /** Where the blobs are in `file`, read one after the other. */
  slices: { offset: number; size: number }[];
  /** BYOB piece size (read modes); hashed buffer size (`hash`). */
  bufferBytes: number;
  list: boolean;
}

/** What the worker answers. */
export interface BlobBenchReply {
  ms: number;
  bytes: number;
  /** Digests, to check that all modes that hash agree. */
  digests: string[];
  /** Pieces the reader gave (read modes). */
  pieces: number;
  error?: string;
}

/** The part of a worker's FileReaderSync used here. */
interface FileReaderSyncLike {
  readAsArrayBuffer(blob: Blob): ArrayBuffer;
}

self.onmessage = async ({ data }: MessageEvent<BlobBenchRequest>) => {
  const { mode, file, slices, bufferBytes, list } = data;
  const reply: BlobBenchReply = { ms: 0, bytes: 0, digests: [], pieces: 0 };
  try {
    const start = performance.now();
    if (mode === 'digest-lanes') {
      // Up to four at once, the next started as one ends (as the pool refills a worker).
      let next = 0;
      const lane = async () => {
        while (next < slices.length) {
          const i = next++;
          const { offset, size } = slices[i]!;
          const job = { id: i, name: file.name, size, dataOffset: offset, decode: 'auto' as const };
          const reader = blobReader(file, offset, offset + size, { bufferBytes });
          const result = await digestBlob(job, reader, { list, storedEngine: laneEngine });
          reply.digests[i] = result.sha256;
          reply.bytes += size;
        }
      };
      await Promise.all(Array.from({ length: Math.min(LANES, slices.length) }, lane));
      reply.ms = performance.now() - start;
      postMessage(reply);
      return;
    }
    for (const [i, { offset, size }] of slices.entries()) {
      const blob = file.slice(offset, offset + size);
      if (mode === 'hash') {
        // As many bytes as the slice, hashed from one buffer already in memory.
        const buffer = new Uint8Array(bufferBytes).fill(i);
        const hasher = await createWasmSha256();
        for (let done = 0; done < size; done += bufferBytes)
          hasher.update(buffer.subarray(0, Math.min(bufferBytes, size - done)));
        reply.digests.push(hasher.digest());
      } else if (mode === 'read-slices') {
        // `slice().arrayBuffer()` per piece, the next piece asked for before this one is used.
        let next = blob.slice(0, bufferBytes).arrayBuffer();
        for (let at = 0; at < size;) {
          const piece = await next;
          at += piece.byteLength;
          if (at < size) next = blob.slice(at, at + bufferBytes).arrayBuffer();
          reply.pieces++;
        }
      } else if (mode === 'read-sync') {
        // Workers only: not in the DOM library the project's types are checked against.
        const Sync = (self as unknown as { FileReaderSync: new () => FileReaderSyncLike })
          .FileReaderSync;
        const reader = new Sync();
        for (let at = 0; at < size; at += bufferBytes) {
          reader.readAsArrayBuffer(blob.slice(at, at + bufferBytes));
          reply.pieces++;
        }
      } else if (mode === 'read') {
        await blobReader(blob, 0, size, { bufferBytes }).read(() => void reply.pieces++);
      } else if (mode === 'read-hash') {
        const hasher = await createWasmSha256();
        await blobReader(blob, 0, size, { bufferBytes }).read((chunk) => {
          reply.pieces++;
          hasher.update(chunk);
        });
        reply.digests.push(hasher.digest());
      } else {
        const job = { id: i, name: file.name, size, dataOffset: offset, decode: 'auto' as const };
        const result = await digestBlob(job, blobReader(blob, 0, size, { bufferBytes }), {
          list,
        });
        reply.digests.push(result.sha256);
      }
      reply.bytes += size;
    }
    reply.ms = performance.now() - start;
  } catch (error) {
    reply.error = String(error);
  }
  postMessage(reply);
};
