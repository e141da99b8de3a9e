// Bundled into a worker by tests/bench/sha256x4.ts: the hashers alone, no reading. Four
// messages of `mib` MiB (each a sequence of 1 MiB pieces drawn from eight pseudo-random ones, the same
// bytes for both hashers) hashed by hash-wasm one after the other (`hash-wasm`), by the four
// lanes of one Sha256x4 fed in turn, a piece each (`x4`), or one lane alone (`x4-one`: the
// scalar path of the module, one message). Replies with the time and the digests.
import { createWasmSha256 } from '../../src/lib/verify/hash.ts';
import { LANES, Sha256x4 } from '../../src/lib/verify/sha256x4.ts';

/** What the driver asks. */
export interface X4BenchRequest {
  mode: 'hash-wasm' | 'x4' | 'x4-one';
  mib: number;
  /** MiB of each lane hashed before the clock starts (optimised code swapped in meanwhile). */
  warm: number;
}

/** What the worker answers. */
export interface X4BenchReply {
  ms: number;
  bytes: number;
  digests: string[];
  error?: string;
}

const PIECE = 1 << 20;
// The same pseudo-random bytes in every worker (xorshift32), so that the digests can agree.
let seed = 0x9e3779b9;
const pieces = Array.from({ length: 8 }, () => {
  const words = new Uint32Array(PIECE / 4);
  for (let i = 0; i < words.length; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    words[i] = seed >>> 0;
  }
  return new Uint8Array(words.buffer);
});
/** Piece j of message i. */
const piece = (i: number, j: number) => pieces[(3 * i + j) % pieces.length]!;

// The request, then 'go' once the driver has read the CPU clocks: the warm-up is outside them.
let go: () => void = () => {};
self.onmessage = async ({ data }: MessageEvent<X4BenchRequest | 'go'>) => {
  if (data === 'go') return go();
  const { mode, mib } = data;
  const reply: X4BenchReply = { ms: 0, bytes: 0, digests: [] };
  try {
    const x4 = mode === 'hash-wasm' ? null : await Sha256x4.create();
    // Warmed up before the clock starts: the engine compiles WebAssembly with a baseline
    // compiler first and swaps in optimised code only for later calls.
    for (let round = 0; round < data.warm; round++) {
      if (x4) {
        const lanes = Array.from({ length: LANES }, () => x4.lane()!);
        for (const lane of lanes) lane.update(piece(0, round));
        for (const lane of lanes) lane.digest();
        const one = x4.lane()!;
        one.update(piece(1, round));
        one.digest();
      } else {
        const h = await createWasmSha256();
        h.update(piece(0, round));
        h.digest();
      }
    }
    await new Promise<void>((resolve) => {
      go = resolve;
      postMessage('ready');
    });
    const start = performance.now();
    if (mode === 'hash-wasm') {
      for (let i = 0; i < LANES; i++) {
        const h = await createWasmSha256();
        for (let j = 0; j < mib; j++) h.update(piece(i, j));
        reply.digests.push(h.digest());
      }
    } else if (mode === 'x4') {
      const lanes = Array.from({ length: LANES }, () => x4!.lane()!);
      for (let j = 0; j < mib; j++) lanes.forEach((lane, i) => lane.update(piece(i, j)));
      for (const lane of lanes) reply.digests.push(lane.digest());
    } else {
      const lane = x4!.lane()!;
      for (let j = 0; j < mib; j++) lane.update(piece(0, j));
      reply.digests.push(lane.digest());
    }
    reply.ms = performance.now() - start;
    reply.bytes = (mode === 'x4-one' ? 1 : LANES) * mib * PIECE;
  } catch (error) {
    reply.error = String(error);
  }
  postMessage(reply);
};
