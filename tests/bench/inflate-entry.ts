// Bundled into a worker by tests/bench/inflate.ts: inflates one gzip File with the zlib
// WebAssembly build (src/lib/verify/wasm/gunzip.ts) and hashes the output with hash-wasm,
// reading the file as the verify workers do (File.stream()); posts the time it took.
import { createSHA256 } from 'hash-wasm';
import { WasmGunzip } from '../../src/lib/verify/wasm/gunzip.ts';
import { emptyReply } from './worker-reply.ts';

self.onmessage = async ({ data }: MessageEvent<{ file: File; wasm: ArrayBuffer }>) => {
  try {
    const start = performance.now();
    const module = await WebAssembly.compile(data.wasm);
    const sha = await createSHA256();
    let decoded = 0;
    const gunzip = new WasmGunzip(module, (chunk) => {
      decoded += chunk.length;
      sha.update(chunk);
    });
    const reader = data.file.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      gunzip.push(value);
    }
    gunzip.finish();
    postMessage({
      ...emptyReply(),
      ms: performance.now() - start,
      storedBytes: data.file.size,
      decodedBytes: decoded,
      diffId: `sha256:${sha.digest('hex')}`,
    });
  } catch (error) {
    postMessage(emptyReply(String(error)));
  }
};
