/** The gzip-decoded stream of a whole compressed archive, with bounded memory, every member. */
import { Gunzip } from 'fflate';
import type { ChunkReader } from './blob-reader.ts';

/**
 * Input is fed to decoders in pieces of this size: deflate expands at most ~1032:1, so no piece
 * can produce more than ~17 MB before the reader has taken it. Chromium's DecompressionStream
 * decodes a whole written chunk at once, whatever the reader's pace: with 1 MiB writes a 1 GiB
 * gzip bomb grew the renderer by 1,136 MB; with 16 KiB writes by ~200 MB, at no cost in speed
 * on real layers (48–49 MB/s inflate + hash-wasm with 16 KiB to 1 MiB writes).
 */
export const PIECE = 16 * 1024;

// Two gzip members, "a" then "b".
const TWO_MEMBERS = new Uint8Array([
  0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0x4b, 4, 0, 0x43, 0xbe, 0xb7, 0xe8, 1, 0, 0, 0, 0x1f, 0x8b,
  8, 0, 0, 0, 0, 0, 0, 0xff, 0x4b, 2, 0, 0xf9, 0xef, 0xbe, 0x71, 1, 0, 0, 0,
]);
let probe: Promise<boolean> | null = null;

/** What is wrong with a gzip stream: invalid data, an end before its end, or bytes after it. */
export type GzipFault = 'invalid' | 'truncated' | 'trailing';

/** A gzip stream that cannot be decoded, said in terms of the data (never of the decoder's
 * API: Chromium's errors read "Failed to execute 'write' on 'WritableStreamDefaultWriter':
 * The compressed data was not valid: incorrect data check."). */
export class GzipError extends Error {
  override readonly name = 'GzipError';
  constructor(
    readonly fault: GzipFault,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Returns what a gzip decoder threw as a GzipError; an abort, and what is one already, as they
 * are. The decoders' words, as seen: Chromium 156 and Node 20 (zlib) "unknown header flags set",
 * "incorrect data check", "incorrect length check", "invalid distance too far back",
 * "Compressed input was truncated", "unexpected end of file", "Junk found after end of
 * compressed data"; fflate "invalid block type", "invalid length/literal", "invalid distance",
 * "unexpected EOF", "invalid gzip data".
 */
export function gzipError(error: unknown): unknown {
  if (error instanceof GzipError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const text = error instanceof Error ? error.message : String(error);
  // Drop the API's framing and the browser's preamble: what is left is zlib's (or fflate's) word.
  const detail = text
    .replace(/^Failed to execute '[^']*' on '[^']*':\s*/i, '')
    .replace(/^The compressed data was not valid:?\s*/i, '')
    .replace(/\.\s*$/, '')
    .trim();
  if (/truncated|unexpected end of file|unexpected EOF/i.test(detail))
    return new GzipError('truncated', 'the gzip stream ends early: the data is cut short');
  if (/junk/i.test(detail))
    return new GzipError(
      'trailing',
      'not a valid gzip stream: junk after the end of the compressed data',
    );
  return new GzipError('invalid', `not a valid gzip stream: ${detail || 'the data is corrupt'}`);
}

/** Returns whether this platform's DecompressionStream decodes every gzip member (memoised).
 * Node's does; Chromium 156's stops after the first with "Junk found after end of compressed
 * data", which eStargz layers (one member per file) and concatenated .tar.gz files run into. */
export function nativeGzipReadsAllMembers(): Promise<boolean> {
  probe ??= (async () => {
    if (typeof DecompressionStream === 'undefined') return false;
    try {
      const stream = new Blob([TWO_MEMBERS])
        .stream()
        .pipeThrough(
          new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>,
        );
      return (await new Response(stream).text()) === 'ab';
    } catch {
      return false;
    }
  })();
  return probe;
}

/**
 * Returns the gzip-decoded bytes a ChunkReader gives, as a stream, every gzip member of it:
 * the platform's DecompressionStream where it reads them all, else fflate (a single pass
 * cannot be retried). Input goes in pieces of PIECE bytes, each written only once the reading
 * side has taken all decoded so far: a highly compressed stretch cannot pile up in memory, and
 * when the input ends early (a cut archive) nothing decoded is lost to the decoder's error.
 * `onBytes` hears the compressed bytes read, chunk by chunk.
 */
export function gunzipStream(
  source: ChunkReader,
  onBytes: (n: number) => void = () => {},
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  let inner: ReadableStreamDefaultReader<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!inner) {
          const native = await nativeGzipReadsAllMembers();
          inner = (native ? nativeGunzip : portableGunzip)(source, onBytes, signal).getReader();
        }
        const { value, done } = await inner.read().catch((error: unknown) => {
          throw fromSource.has(error as object) ? error : gzipError(error);
        });
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        return inner?.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Errors of the compressed bytes' source (a read that failed or stopped), which are passed on
 * as they are; every other error of a decoded stream is the decoder's, said as a GzipError. */
const fromSource = new WeakSet<object>();

/** Notes `error` as the source's. */
function sourceFailed(error: unknown): void {
  if (typeof error === 'object' && error !== null) fromSource.add(error);
}

/** Returns the decoded stream through DecompressionStream. */
function nativeGunzip(
  source: ChunkReader,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const stream = new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>;
  const writer = stream.writable.getWriter();
  let decoderFailed = false;
  const decoding = (error: unknown): never => {
    decoderFailed = true;
    throw error;
  };
  void (async () => {
    try {
      await source.read(async (chunk) => {
        // The reader reuses its buffer: a piece is done with once its write settles.
        for (let at = 0; at < chunk.length; at += PIECE) {
          await writer.ready.catch(decoding);
          await writer.write(chunk.subarray(at, at + PIECE)).catch(decoding);
        }
        onBytes(chunk.length);
      }, signal);
      await writer.ready.catch(decoding);
      await writer.close().catch(decoding);
    } catch (error) {
      if (!decoderFailed) sourceFailed(error);
      await writer.abort(error).catch(() => {});
    }
  })();
  return stream.readable;
}

/** Returns the decoded stream through fflate's Gunzip (every member, slower). */
function portableGunzip(
  source: ChunkReader,
  onBytes: (n: number) => void,
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
  const gunzip = new Gunzip((data) => {
    if (!cancelled && data.length > 0) controller.enqueue(data);
  });
  void (async () => {
    try {
      await source.read(async (chunk) => {
        for (let at = 0; at < chunk.length && !cancelled; at += PIECE) {
          // fflate copies what it keeps of its input: the reader may reuse its buffer after.
          fflatePush(gunzip, chunk.subarray(at, at + PIECE));
          while (!cancelled && (controller.desiredSize ?? 0) < 0) {
            await new Promise<void>((resolve) => (taken = resolve));
          }
        }
        if (cancelled) throw new DOMException('cancelled', 'AbortError');
        onBytes(chunk.length);
      }, signal);
      fflatePush(gunzip, new Uint8Array(0), true);
      if (!cancelled) controller.close();
    } catch (error) {
      if (!(error instanceof GzipError)) sourceFailed(error);
      if (!cancelled) controller.error(error);
    }
  })();
  return output;
}

/** Pushes to fflate's Gunzip; its errors come out as GzipErrors. fflate checks no CRC: a
 * flipped byte in a stored or well-formed stretch decodes to wrong bytes, which the digest of
 * the decoded content then tells. */
export function fflatePush(gunzip: Gunzip, chunk: Uint8Array, final = false): void {
  try {
    gunzip.push(chunk, final);
  } catch (error) {
    throw gzipError(error);
  }
}
