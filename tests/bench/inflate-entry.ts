// Bundled into a worker by tests/bench/inflate.ts: inflates one gzip File with a decoder the
// app does not use — the platform's DecompressionStream, or fflate — and hashes the output with
// hash-wasm, reading the file as the verify workers do (File.stream()), in the PIECE-sized
// writes the app used with them; posts the time it took. The app's own decoder (zlib in
// WebAssembly) is measured through worker-entry.ts.
import { Gunzip } from 'fflate';
import { createSHA256 } from 'hash-wasm';
import { PIECE } from '../../src/lib/archive/gunzip.ts';
import { type WorkerBenchReply, emptyReply } from './worker-reply.ts';

/** A decoder the app does not use, measured beside its own. */
export type OtherGzip = 'DecompressionStream' | 'fflate';

self.onmessage = async ({ data }: MessageEvent<{ file: File; decoder: OtherGzip }>) => {
  try {
    const start = performance.now();
    const sha = await createSHA256();
    let decoded = 0;
    const sink = (chunk: Uint8Array) => {
      decoded += chunk.length;
      sha.update(chunk);
    };
    const reader = data.file.stream().getReader();
    if (data.decoder === 'fflate') {
      const gunzip = new Gunzip(sink);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let at = 0; at < value.length; at += PIECE)
          gunzip.push(value.subarray(at, at + PIECE));
      }
      gunzip.push(new Uint8Array(0), true);
    } else {
      const stream = new DecompressionStream('gzip') as ReadableWritablePair<
        Uint8Array,
        Uint8Array
      >;
      const writer = stream.writable.getWriter();
      const out = stream.readable.getReader();
      const pump = (async () => {
        for (;;) {
          const { value, done } = await out.read();
          if (done) return;
          sink(value);
        }
      })();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let at = 0; at < value.length; at += PIECE)
          await writer.write(value.subarray(at, at + PIECE));
      }
      await writer.close();
      await pump;
    }
    const reply: WorkerBenchReply = {
      ms: performance.now() - start,
      storedBytes: data.file.size,
      decodedBytes: decoded,
      diffId: `sha256:${sha.digest('hex')}`,
      entries: 0,
      packages: 0,
    };
    postMessage(reply);
  } catch (error) {
    postMessage(emptyReply(String(error)));
  }
};
