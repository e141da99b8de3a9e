/** The gzip-decoded stream of a whole compressed archive, with bounded memory. */
import type { ChunkReader } from './blob-reader.ts';

/**
 * Input is fed to decoders in pieces of this size: deflate expands at most ~1032:1, so no piece
 * can produce more than ~17 MB before the reader has taken it. Chromium's DecompressionStream
 * decodes a whole written chunk at once, whatever the reader's pace: with 1 MiB writes a 1 GiB
 * gzip bomb grew the renderer by 1,136 MB; with 16 KiB writes by ~200 MB, at no cost in speed
 * on real layers (48–49 MB/s inflate + hash-wasm with 16 KiB to 1 MiB writes).
 */
export const PIECE = 16 * 1024;

/**
 * Returns the gzip-decoded bytes a ChunkReader gives, as a stream. Input goes in pieces of
 * PIECE bytes, each written only once the reading side has taken all decoded so far: a highly
 * compressed stretch cannot pile up in memory, and when the input ends early (a cut archive)
 * nothing decoded is lost to the decoder's error, which would drop whatever it still queued.
 */
export function gunzipStream(
  source: ChunkReader,
  onBytes: (n: number) => void = () => {},
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const stream = new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>;
  const writer = stream.writable.getWriter();
  void (async () => {
    try {
      await source.read(async (chunk) => {
        // The reader reuses its buffer: a piece is done with once its write settles.
        for (let at = 0; at < chunk.length; at += PIECE) {
          await writer.ready;
          await writer.write(chunk.subarray(at, at + PIECE));
        }
        onBytes(chunk.length);
      }, signal);
      await writer.ready;
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});
    }
  })();
  return stream.readable;
}
