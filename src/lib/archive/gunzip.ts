/**
 * The one gzip inflate of the project: zlib 1.2.13 built to WebAssembly (wasm/gunzip.c,
 * scripts/build-wasm-gunzip.sh), the same code in the page, its workers and Node. Every member
 * of a multi-member stream (eStargz layers, concatenated .tar.gz); each member's CRC-32 and
 * length checked by zlib; decoded bytes handed on as they come, from one reused buffer, so
 * memory stays flat whatever the compression ratio. Also: the decoded stream of a whole
 * gzip-compressed archive.
 *
 * Why not DecompressionStream: measured here (2 cores, Chromium 150, a 79 MB layer, inflate +
 * hash-wasm per worker) it gave 43–78 MB/s out against 77–107 for this build; Chromium's stops
 * after the first member ("Junk found"), so eStargz layers had to be read twice with fflate
 * (26 MB/s); and it queues what it decodes of a written chunk whatever the reader's pace.
 */
import type { ChunkReader } from './blob-reader.ts';
import { WasmDecoder } from './wasm/decoder.ts';
import { cString, compiler } from './wasm/load.ts';

/**
 * Input goes to the inflate in pieces of this size, with a turn of the event loop where one is
 * due between pieces: deflate expands at most ~1032:1, so no piece produces more than ~17 MB,
 * which the sink hashes in well under the 50 ms a turn may wait.
 */
export const PIECE = 16 * 1024;

/** What is wrong with a gzip stream: invalid data, an end before its end, or bytes after it. */
export type GzipFault = 'invalid' | 'truncated' | 'trailing';

/** A gzip stream that cannot be decoded, said in terms of the data. */
export class GzipError extends Error {
  override readonly name = 'GzipError';
  constructor(
    readonly fault: GzipFault,
    message: string,
  ) {
    super(message);
  }
}

const TRUNCATED = 'the gzip stream ends early: the data is cut short';
const TRAILING = 'not a valid gzip stream: junk after the end of the compressed data';

// zlib's return codes (zlib.h).
const Z_OK = 0;
const Z_STREAM_END = 1;
const Z_BUF_ERROR = -5;
const Z_MEM_ERROR = -4;

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
  gz_msg(): number;
  gz_end(): number;
}

/** Returns the compiled inflate module (compiled once per page, worker or process). */
export const gunzipModule = compiler(
  async () => (await import('./wasm/gunzip-wasm.ts')).GUNZIP_WASM,
);

/**
 * Inflates one gzip stream pushed piece by piece. `onData` gets views into the module's memory,
 * valid only during the call (copy to keep). Throws GzipErrors; a throw of `onData` passes
 * through, and the stream is then done with.
 */
export class Gunzip extends WasmDecoder {
  readonly #x: Exports;
  /** True after a member's end: the next byte starts another member. */
  #between = false;
  #members = 0;

  /** Returns an inflate for one stream; `module` from `gunzipModule()`. */
  constructor(module: WebAssembly.Module, onData: (chunk: Uint8Array) => void) {
    const x = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    if (x.gz_init() !== Z_OK) throw new Error('the gzip decoder could not start');
    super(
      {
        memory: x.memory,
        inBuf: x.gz_in_buf(),
        inSize: x.gz_in_size(),
        outBuf: x.gz_out_buf(),
        outSize: x.gz_out_size(),
      },
      onData,
      'gzip',
    );
    this.#x = x;
  }

  protected decode(n: number): void {
    const x = this.#x;
    x.gz_feed(n);
    for (;;) {
      if (this.#between) {
        if (x.gz_avail_in() === 0) return;
        x.gz_reset();
        this.#between = false;
      }
      const code = x.gz_inflate();
      const len = x.gz_out_len();
      this.emit(len);
      if (code === Z_STREAM_END) {
        this.#between = true;
        this.#members++;
      } else if (code === Z_BUF_ERROR) {
        return; // no progress possible: it needs more input
      } else if (code === Z_OK) {
        if (x.gz_avail_in() === 0 && len < this.buffers.outSize) return;
      } else {
        throw this.#failure(code);
      }
    }
  }

  #failure(code: number): Error {
    this.release();
    if (code === Z_MEM_ERROR) return new Error('the gzip decoder ran out of memory');
    const word = cString(this.#x.memory, this.#x.gz_msg()) || 'the data is corrupt';
    // After a member, bytes that do not start another one are not part of the stream (Go's
    // multistream gzip reader, which pulls layers, refuses them too).
    if (this.#members > 0 && word === 'incorrect header check')
      return new GzipError('trailing', TRAILING);
    return new GzipError('invalid', `not a valid gzip stream: ${word}`);
  }

  /** Ends the stream; throws a GzipError if it stopped inside a member. */
  finish(): void {
    if (this.ended) return;
    const complete = this.#between;
    this.release();
    if (!complete) throw new GzipError('truncated', TRUNCATED);
  }

  protected end(): void {
    this.#x.gz_end();
  }
}

/**
 * Returns the gzip-decoded bytes a ChunkReader gives, as a stream, every member. Input goes in
 * pieces of PIECE bytes, each only once the reading side has taken all decoded so far: a highly
 * compressed stretch cannot pile up in memory, and when the input ends early (a cut archive)
 * nothing decoded is lost to the decoder's error. A failed read of the source is passed on as
 * it is; every other failure is a GzipError. `onBytes` hears the compressed bytes read.
 */
export function gunzipStream(
  source: ChunkReader,
  onBytes: (n: number) => void = () => {},
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let taken: (() => void) | null = null;
  let cancelled = false;
  const output = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      // Called once the reader waits and nothing decoded is queued.
      pull() {
        taken?.();
        taken = null;
      },
      cancel() {
        cancelled = true;
        taken?.();
      },
    },
    { highWaterMark: 0 },
  );
  void (async () => {
    let gunzip: Gunzip | null = null;
    try {
      gunzip = new Gunzip(await gunzipModule(), (data) => {
        // A copy: the view is the decoder's own buffer, reused by its next call.
        if (!cancelled) controller.enqueue(data.slice());
      });
      const g = gunzip;
      await source.read(async (chunk) => {
        for (let at = 0; at < chunk.length && !cancelled; at += PIECE) {
          g.push(chunk.subarray(at, at + PIECE));
          while (!cancelled && (controller.desiredSize ?? 0) < 0) {
            await new Promise<void>((resolve) => (taken = resolve));
          }
        }
        if (cancelled) throw new DOMException('cancelled', 'AbortError');
        onBytes(chunk.length);
      }, signal);
      g.finish();
      if (!cancelled) controller.close();
    } catch (error) {
      gunzip?.cancel();
      if (!cancelled) controller.error(error);
    }
  })();
  return output;
}
