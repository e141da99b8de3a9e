/** A Blob stand-in whose reads stall where a test says (blob-reader and lane tests). */
/** Bytes a stream gives per read at most. */
export const CHUNK = 100_000;

/**
 * A Blob whose streams are byte streams serving `bytes`, where the first stream to reach each
 * offset in `stallAt` stops answering there (its read never settles, as Chromium's sometimes
 * do), and streams opened after that go on normally. `opened` lists each stream's start.
 */
export function stallingBlob(
  bytes: Uint8Array,
  stallAt: number[],
  options: { endEarly?: number } = {},
) {
  const stalls = new Set(stallAt);
  const opened: number[] = [];
  const end = options.endEarly ?? bytes.length;
  const slice = (start: number, stop: number) => ({
    size: stop - start,
    arrayBuffer: async () => bytes.slice(start, Math.min(stop, end)).buffer,
    stream: () => {
      opened.push(start);
      let at = start;
      return new ReadableStream({
        type: 'bytes',
        pull(controller) {
          const stall = [...stalls].find((s) => s >= at && s < at + CHUNK);
          if (stall !== undefined && stall === at) {
            stalls.delete(stall);
            return new Promise<void>(() => {}); // never answers
          }
          const limit = Math.min(stop, end, stall ?? Infinity);
          if (at >= limit) {
            controller.close();
            return controller.byobRequest?.respond(0);
          }
          const request = controller.byobRequest;
          const view = request?.view;
          const n = Math.min(CHUNK, limit - at, view?.byteLength ?? CHUNK);
          if (view && request) {
            new Uint8Array(view.buffer, view.byteOffset, n).set(bytes.subarray(at, at + n));
            request.respond(n);
          } else controller.enqueue(bytes.slice(at, at + n));
          at += n;
        },
      });
    },
  });
  const blob = { size: bytes.length, slice, stream: () => slice(0, bytes.length).stream() };
  return { blob: blob as unknown as Blob, opened };
}
