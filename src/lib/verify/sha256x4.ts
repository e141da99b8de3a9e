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
import { hexOf } from '../oci/digest.ts';
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
  /** Each lane's bytes waiting in its input area: [start, end) from the area's base. They move
   * back to the base only when the area's end is reached (not after every step). */
  readonly #start = new Array<number>(LANES).fill(0);
  readonly #end = new Array<number>(LANES).fill(0);
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
    this.#start[l] = this.#end[l] = 0;
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
        this.#free(l);
      },
    };
  }

  #update(l: number, data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      const room = this.#capacity - this.#end[l]!;
      if (room === 0) {
        const start = this.#start[l]!;
        if (start > 0) {
          // The bytes still waiting go back to the area's base.
          const base = this.#base[l]!;
          this.#bytes.copyWithin(base, base + start, base + this.#end[l]!);
          this.#end[l]! -= start;
          this.#start[l] = 0;
        } else {
          // This lane is full and some other lane has nothing yet: all with bytes go on.
          this.#run(true);
        }
        continue;
      }
      const n = Math.min(room, data.length - at);
      this.#bytes.set(data.subarray(at, at + n), this.#base[l]! + this.#end[l]!);
      this.#end[l]! += n;
      at += n;
    }
    this.#total[l]! += data.length;
    this.#step();
  }

  /** Compresses as many blocks as every open lane has (all of them go four abreast). */
  #step(): void {
    let common = Infinity;
    for (let l = 0; l < LANES; l++) if (this.#open[l]) common = Math.min(common, this.#blocks(l));
    if (common > 0 && common !== Infinity) this.#run(false, common);
  }

  /** Returns the whole blocks waiting in lane `l`. */
  #blocks(l: number): number {
    return Math.floor((this.#end[l]! - this.#start[l]!) / 64);
  }

  /** Compresses `blocks` of every open lane, or (`all`) every whole block every lane has. */
  #run(all: boolean, blocks = 0, only = -1): void {
    const ctl = this.#ctl;
    for (let l = 0; l < LANES; l++) {
      const mine = this.#open[l] && (only < 0 || only === l);
      ctl[l] = this.#base[l]! + this.#start[l]!;
      ctl[LANES + l] = !mine ? 0 : all ? this.#blocks(l) : blocks;
    }
    this.#x.x4_run();
    for (let l = 0; l < LANES; l++) {
      this.#start[l] = ctl[l]! - this.#base[l]!;
      if (this.#start[l] === this.#end[l]) this.#start[l] = this.#end[l] = 0;
    }
  }

  #digest(l: number): Digest {
    // What the others can go with first, then this lane's last whole blocks alone.
    this.#step();
    this.#run(true, 0, l);
    const total = this.#total[l]!;
    const at = this.#base[l]! + this.#start[l]!;
    const left = this.#end[l]! - this.#start[l]!;
    this.#x.x4_final(l, at, left, Math.floor(total / 2 ** 32), total >>> 0);
    const out = this.#x.x4_out() + 32 * l;
    const hex = hexOf(this.#bytes.subarray(out, out + 32));
    this.#free(l);
    return `sha256:${hex}`;
  }

  /** Gives lane `l` back; the others may have been waiting for its bytes. */
  #free(l: number): void {
    this.#open[l] = false;
    this.#start[l] = this.#end[l] = 0;
    this.#step();
  }
}
