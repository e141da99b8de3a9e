// A gzip inflate on zlib 1.2.13 built to WebAssembly (gunzip.c, scripts/build-wasm-gunzip.sh):
// measured by tests/bench/inflate.ts against DecompressionStream. Pure: give it the module's
// bytes; works in Node and in workers. Multi-member; zlib checks each member's CRC-32 and ISIZE.

const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;

interface Exports {
  memory: WebAssembly.Memory;
  gz_in_buf(): number;
  gz_out_buf(): number;
  gz_in_size(): number;
  gz_out_size(): number;
  gz_init(): number;
  gz_reset(): number;
  gz_feed(n: number): void;
  gz_inflate(): number;
  gz_out_len(): number;
  gz_avail_in(): number;
  gz_end(): number;
}

/** Why a gzip stream was refused, as GzipError's kinds say it. */
export type WasmGunzipFailure = 'invalid' | 'truncated' | 'junk';

/** Inflates a gzip stream pushed piece by piece; `onData` gets views that are valid only
 * during the call (copy to keep). One instance per stream. */
export class WasmGunzip {
  readonly #x: Exports;
  #inBuf: number;
  #outBuf: number;
  #inSize: number;
  /** True between members: the next byte must start a member or the stream is junk. */
  #between = false;
  #sawMember = false;
  /** Where the bytes fed last end, in the module's memory. */
  #fedEnd = 0;

  constructor(
    module: WebAssembly.Module,
    private readonly onData: (chunk: Uint8Array) => void,
  ) {
    this.#x = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    if (this.#x.gz_init() !== Z_OK) throw new Error('the gzip decoder could not start');
    this.#inBuf = this.#x.gz_in_buf();
    this.#outBuf = this.#x.gz_out_buf();
    this.#inSize = this.#x.gz_in_size();
  }

  /** Inflates `input`; throws a WasmGunzipError on a bad stream. */
  push(input: Uint8Array): void {
    for (let at = 0; at < input.length;) {
      const n = Math.min(this.#inSize, input.length - at);
      new Uint8Array(this.#x.memory.buffer, this.#inBuf, n).set(input.subarray(at, at + n));
      at += n;
      this.#x.gz_feed(n);
      this.#fedEnd = this.#inBuf + n;
      this.#drain();
    }
  }

  #drain(): void {
    const x = this.#x;
    for (;;) {
      if (this.#between) {
        if (x.gz_avail_in() === 0) return;
        // Another member follows only if its magic does; anything else is junk after the end.
        const next = this.#peek();
        if (next !== 0x1f) throw new WasmGunzipError('junk');
        x.gz_reset();
        this.#between = false;
      }
      const code = x.gz_inflate();
      const len = x.gz_out_len();
      if (len > 0) this.onData(new Uint8Array(x.memory.buffer, this.#outBuf, len));
      if (code === Z_STREAM_END) {
        this.#between = true;
        this.#sawMember = true;
        continue;
      }
      if (code === Z_BUF_ERROR || (code === Z_OK && x.gz_avail_in() === 0 && len < x.gz_out_size()))
        return;
      if (code !== Z_OK) throw new WasmGunzipError(this.#sawMember ? 'junk' : 'invalid');
    }
  }

  /** The next byte not yet read (valid while avail_in > 0). */
  #peek(): number {
    return new Uint8Array(this.#x.memory.buffer)[this.#fedEnd - this.#x.gz_avail_in()]!;
  }

  /** Ends the stream; throws if it stopped inside a member. */
  finish(): void {
    const ended = this.#between;
    this.#x.gz_end();
    if (!ended) throw new WasmGunzipError('truncated');
  }
}

/** A gzip stream the wasm decoder refused. */
export class WasmGunzipError extends Error {
  constructor(readonly kind: WasmGunzipFailure) {
    super(`gzip stream ${kind}`);
  }
}
