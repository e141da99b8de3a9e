/**
 * The zstd decoder of layer reads: libzstd 1.5.4's streaming decoder built to WebAssembly
 * (../archive/wasm/unzstd.c, scripts/build-wasm.sh), the same in the page, its workers and
 * Node. Every frame of a stream, skippable frames skipped, each frame's checksum checked where
 * it has one; decoded bytes handed on as they come from one reused 1 MiB buffer. A frame that
 * asks for a window above MAX_ZSTD_WINDOW (a single-segment frame: its whole content size) is
 * refused before its window is allocated; libzstd keeps its window as a ring, so no block,
 * however small, costs a copy of the window (fzstd, used before, copied it once per block).
 */
import { MAX_ZSTD_WINDOW } from '../limits.ts';
import { WasmDecoder } from '../archive/wasm/decoder.ts';
import { cString, compiler } from '../archive/wasm/load.ts';

/** A frame that is valid zstd but asks for more memory than the limit: its layer's diff_id
 * cannot be checked here (zstd's own CLI refuses it too without --long). */
export class ZstdWindowError extends Error {
  override readonly name = 'ZstdWindowError';
}

interface Exports {
  memory: WebAssembly.Memory;
  zs_in_buf(): number;
  zs_out_buf(): number;
  zs_in_size(): number;
  zs_out_size(): number;
  zs_init(windowLogMax: number): number;
  zs_feed(n: number): void;
  zs_decompress(): number;
  zs_out_len(): number;
  zs_avail_in(): number;
  zs_error(): number;
  zs_window_too_large(): number;
  zs_window(): number;
  zs_end(): void;
}

/** Returns the compiled zstd module (compiled once per page, worker or process). */
export const unzstdModule = compiler(
  async () => (await import('../archive/wasm/unzstd-wasm.ts')).UNZSTD_WASM,
);

/** Returns `bytes` in MiB for a message: whole where exact, else rounded up to a tenth. */
function mib(bytes: number): string {
  const n = bytes / 2 ** 20;
  return Number.isInteger(n) ? String(n) : (Math.ceil(n * 10) / 10).toFixed(1);
}

/**
 * Decodes one zstd stream pushed piece by piece. `onData` gets views into the module's memory,
 * valid only during the call. Throws a ZstdWindowError for a window above the limit, else an
 * Error saying what is wrong ("not a valid zstd stream: Data corruption detected").
 */
export class Unzstd extends WasmDecoder {
  readonly #x: Exports;
  /** True where the last call ended a frame (or nothing has been read yet). */
  #atFrameEnd = true;
  #read = 0;

  /** `limit` must be a power of two (libzstd takes it as a log). */
  constructor(
    module: WebAssembly.Module,
    onData: (chunk: Uint8Array) => void,
    private readonly limit = MAX_ZSTD_WINDOW,
  ) {
    const log = Math.log2(limit);
    if (!Number.isInteger(log)) throw new Error('the zstd window limit must be a power of two');
    const x = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    if (x.zs_init(log) !== 0) throw new Error('the zstd decoder could not start');
    super(
      {
        memory: x.memory,
        inBuf: x.zs_in_buf(),
        inSize: x.zs_in_size(),
        outBuf: x.zs_out_buf(),
        outSize: x.zs_out_size(),
      },
      onData,
      'zstd',
    );
    this.#x = x;
  }

  protected decode(n: number): void {
    const x = this.#x;
    x.zs_feed(n);
    for (;;) {
      const before = x.zs_avail_in();
      const code = x.zs_decompress();
      const len = x.zs_out_len();
      this.emit(len);
      if (code < 0) throw this.#failure(-code);
      this.#atFrameEnd = code === 0;
      const left = x.zs_avail_in();
      // Done with this input once it is all taken and the output had room to spare, or where
      // nothing moved (libzstd needs more input).
      if ((left === 0 && len < this.buffers.outSize) || (len === 0 && left === before)) break;
    }
    this.#read += n;
  }

  #failure(code: number): Error {
    const x = this.#x;
    const tooLarge = code === x.zs_window_too_large();
    const window = x.zs_window();
    const word = cString(x.memory, x.zs_error());
    this.release();
    // libzstd knows the size where the header is otherwise readable here; a window above what
    // any 32-bit decoder takes (2 GiB and up) is refused before it is noted.
    const asked = window > this.limit ? `a ${mib(window)} MiB window` : 'a window of 2 GiB or more';
    if (tooLarge)
      return new ZstdWindowError(
        `zstd frame asks for ${asked}, more than the ${mib(this.limit)} MiB limit`,
      );
    return new Error(`not a valid zstd stream: ${word}`);
  }

  /** Ends the stream; throws if it stopped inside a frame (or held none). */
  finish(): void {
    if (this.ended) return;
    const complete = this.#atFrameEnd && this.#read > 0;
    this.release();
    if (!complete)
      throw new Error(
        `not a valid zstd stream: the data ends inside a frame (at byte ${this.#read})`,
      );
  }

  protected end(): void {
    this.#x.zs_end();
  }
}
