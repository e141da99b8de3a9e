import { createHash } from 'node:crypto';
import type { HashEngine } from '../lib/verify/hash.ts';

/**
 * SHA-256 for the CLI: Node's OpenSSL, which uses the CPU's SHA instructions. Measured on this
 * project's test machine, streaming 512 MiB in 1 MiB updates: 1206 MB/s, against 155 MB/s for
 * hash-wasm (the browser's engine, src/lib/verify/hash.ts). Same plan, decoders and checks.
 */
export const nodeEngine: HashEngine = {
  async create() {
    const hash = createHash('sha256');
    return {
      update: (data) => void hash.update(data),
      digest: () => `sha256:${hash.digest('hex')}`,
    };
  },
  wholeLimit: 0,
  digest: async (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
};
