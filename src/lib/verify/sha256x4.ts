/**
 * Four streaming SHA-256 hashers in one WebAssembly SIMD module (../archive/wasm/sha256x4.c,
 * built by scripts/build-wasm.sh): four independent messages advance together, one 64-byte
 * block of each per step, in the four lanes of SIMD128. Pure: page, workers and Node (every
 * browser the app targets and Node 20 run WebAssembly SIMD).
 *
 * Each lane's bytes are copied into its input area as they come; lanes are compressed together
 * as far as every open lane has bytes, so that lanes fed in turn go four at a time. A lane that
 * waits (its read stalls) holds the others back only until one of them has a full input area:
 * then every lane that has bytes goes on without it.
 */
import type { Digest } from '../report/model.ts';
import { compiler } from '../archive/wasm/load.ts';
import { type HashEngine, type Sha256, browserEngine, createWasmSha256 } from './hash.ts';

/** Lanes of one module. */
export const LANES = 4;

interface Exports {
  memory: WebAssembly.Memory;
  x4_ctl(): number;
  x4_out(): number;
  x4_in(lane: number): number;
  x4_in_bytes(): number;
  x4_init(lane: number): void;
  x4_run(): void;
  x4_final(lane: number, at: number, length: number, totalHi: number, totalLo: number): void;
}

/** Returns the compiled module (compiled once per page, worker or process). */
export const sha256x4Module = compiler(
  async () => (await import('../archive/wasm/sha256x4-wasm.ts')).SHA256X4_WASM,
);

/** A lane's hasher: a streaming SHA-256 that gives its lane back when done. */
export interface LaneSha256 extends Sha256 {
  /** Gives the lane back without a digest (the message was abandoned). */
  release(): void;
}

let shared: Promise<Sha256x4 | null> | null = null;

/** The engine of a worker hashing several blobs at once: each streaming hasher is a lane of the
 * thread's one Sha256x4 while a lane is free, hash-wasm after (and where WebAssembly SIMD is
 * missing); whole small blobs as the browser engine. */
export const laneEngine: HashEngine = {
  async create() {
    const x4 = await (shared ??= Sha256x4.create().catch(() => null));
    return x4?.lane() ?? createWasmSha256();
  },
  wholeLimit: browserEngine.wholeLimit,
  digest: (bytes) => browserEngine.digest(bytes),
};

/** Four lanes of SHA-256 in one module instance. */
export class Sha256x4 {
  readonly #x: Exports;
  readonly #bytes: Uint8Array;
  /** ctl.ptr[4] then ctl.blocks[4], as 32-bit words. */
  readonly #ctl: Uint32Array;
  readonly #base: number[] = [];
  readonly #capacity: number;
  /** Bytes waiting in each lane's input area, from its start. */
  readonly #fill = new Array<number>(LANES).fill(0);
  /** Bytes given to each lane since it was opened. */
  readonly #total = new Array<number>(LANES).fill(0);
  readonly #open = new Array<boolean>(LANES).fill(false);

  private constructor(instance: WebAssembly.Instance) {
    this.#x = instance.exports as unknown as Exports;
    this.#bytes = new Uint8Array(this.#x.memory.buffer);
    this.#ctl = new Uint32Array(this.#x.memory.buffer, this.#x.x4_ctl(), 2 * LANES);
    this.#capacity = this.#x.x4_in_bytes();
    for (let l = 0; l < LANES; l++) this.#base.push(this.#x.x4_in(l));
  }

  /** Returns a fresh instance (its own memory: four lanes of 4 MiB input). */
  static async create(): Promise<Sha256x4> {
    return new Sha256x4(await WebAssembly.instantiate(await sha256x4Module()));
  }

  /** Lanes not in use. */
  get free(): number {
    return this.#open.filter((open) => !open).length;
  }

  /** Returns a hasher on a free lane, or null where all four are in use. */
  lane(): LaneSha256 | null {
    const l = this.#open.indexOf(false);
    if (l < 0) return null;
    this.#open[l] = true;
    this.#fill[l] = 0;
    this.#total[l] = 0;
    this.#x.x4_init(l);
    let done = false;
    const close = () => {
      if (done) throw new Error('this SHA-256 is finished');
      done = true;
    };
    return {
      update: (data) => {
        if (done) throw new Error('this SHA-256 is finished');
        this.#update(l, data);
      },
      digest: () => {
        close();
        return this.#digest(l);
      },
      release: () => {
        if (done) return;
        done = true;
        this.#open[l] = false;
        this.#fill[l] = 0;
        // The others may have been waiting for this lane's bytes.
        this.#step();
      },
    };
  }

  #update(l: number, data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      const room = this.#capacity - this.#fill[l]!;
      if (room === 0) {
        // This lane is full and some other lane has nothing yet: all with bytes go on.
        this.#run(true);
        continue;
      }
      const n = Math.min(room, data.length - at);
      this.#bytes.set(data.subarray(at, at + n), this.#base[l]! + this.#fill[l]!);
      this.#fill[l]! += n;
      at += n;
    }
    this.#total[l]! += data.length;
    this.#step();
  }

  /** Compresses as many blocks as every open lane has (all of them go four abreast). */
  #step(): void {
    let common = Infinity;
    for (let l = 0; l < LANES; l++)
      if (this.#open[l]) common = Math.min(common, Math.floor(this.#fill[l]! / 64));
    if (common > 0 && common !== Infinity) this.#run(false, common);
  }

  /** Compresses `blocks` of every open lane, or (`all`) every whole block every lane has. */
  #run(all: boolean, blocks = 0, only = -1): void {
    const ctl = this.#ctl;
    for (let l = 0; l < LANES; l++) {
      const mine = this.#open[l] && (only < 0 || only === l);
      ctl[l] = this.#base[l]!;
      ctl[LANES + l] = !mine ? 0 : all ? Math.floor(this.#fill[l]! / 64) : blocks;
    }
    this.#x.x4_run();
    for (let l = 0; l < LANES; l++) {
      const used = ctl[l]! - this.#base[l]!;
      if (used === 0) continue;
      const left = this.#fill[l]! - used;
      const base = this.#base[l]!;
      if (left > 0) this.#bytes.copyWithin(base, base + used, base + used + left);
      this.#fill[l] = left;
    }
  }

  #digest(l: number): Digest {
    // What the others can go with first, then this lane's last whole blocks alone.
    this.#step();
    this.#run(true, 0, l);
    const total = this.#total[l]!;
    this.#x.x4_final(l, this.#base[l]!, this.#fill[l]!, Math.floor(total / 2 ** 32), total >>> 0);
    const out = this.#x.x4_out() + 32 * l;
    let hex = '';
    for (let i = out; i < out + 32; i++) hex += this.#bytes[i]!.toString(16).padStart(2, '0');
    this.#open[l] = false;
    this.#fill[l] = 0;
    // The others may have been waiting for this lane's bytes.
    this.#step();
    return `sha256:${hex}`;
  }
}
