/**
 * What the project's two streaming decoders (gzip: ../gunzip.ts, zstd: ../../verify/unzstd.ts)
 * share: input copied into the module's own input buffer a piece at a time, each piece decoded
 * before the next is copied, decoded bytes handed on as views of the module's output buffer,
 * and the decoder's state let go of exactly once (at the end, on a failure, or on cancel).
 */

/** Where a module keeps its input and output buffers, and how large they are. */
export interface Buffers {
  readonly memory: WebAssembly.Memory;
  readonly inBuf: number;
  readonly inSize: number;
  readonly outBuf: number;
  readonly outSize: number;
}

export abstract class WasmDecoder {
  #ended = false;

  protected constructor(
    protected readonly buffers: Buffers,
    private readonly onData: (chunk: Uint8Array) => void,
    /** The format's name in messages ("gzip", "zstd"). */
    private readonly format: string,
  ) {}

  /** Decodes `input`; the view may be reused once this returns. */
  push(input: Uint8Array): void {
    if (this.#ended) throw new Error(`the ${this.format} stream is already finished`);
    const { memory, inBuf, inSize } = this.buffers;
    for (let at = 0; at < input.length;) {
      const n = Math.min(inSize, input.length - at);
      // memory.buffer is read again each time: it changes when the module's memory grows.
      new Uint8Array(memory.buffer, inBuf, n).set(input.subarray(at, at + n));
      at += n;
      this.decode(n);
    }
  }

  /** Decodes the `n` bytes just copied to the input buffer, handing output to `emit`. */
  protected abstract decode(n: number): void;

  /** Frees the module's decoder state; called once. */
  protected abstract end(): void;

  /** Hands on `len` bytes of the output buffer (a view, valid only during the call). */
  protected emit(len: number): void {
    const { memory, outBuf } = this.buffers;
    if (len > 0) this.onData(new Uint8Array(memory.buffer, outBuf, len));
  }

  /** Lets go of the decoder's state (after a failure, or to stop early). */
  cancel(): void {
    this.release();
  }

  /** True once the state is let go of: nothing more can be pushed. */
  protected get ended(): boolean {
    return this.#ended;
  }

  protected release(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.end();
  }
}
