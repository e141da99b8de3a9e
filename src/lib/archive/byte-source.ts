/** Random access to the bytes of an archive, whatever holds them (browser Blob/File, Node file). */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /** Returns the bytes in [offset, offset + length), fewer only where the source ends. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Returns a stream of the bytes in [start, end). */
  stream(start: number, end: number): ReadableStream<Uint8Array>;
  /** The Blob the bytes are in, where they are in one: workers are given it to read. */
  readonly blob?: Blob;
}

/** Returns a ByteSource over a Blob or File (browser, worker, or Node's Blob). */
export function blobSource(blob: Blob, name = (blob as File).name ?? 'archive'): ByteSource {
  return {
    name,
    size: blob.size,
    blob,
    async read(offset, length) {
      const end = Math.min(blob.size, offset + length);
      if (offset >= end) return new Uint8Array(0);
      return new Uint8Array(await blob.slice(offset, end).arrayBuffer());
    },
    stream(start, end) {
      return blob.slice(start, Math.min(end, blob.size)).stream() as ReadableStream<Uint8Array>;
    },
  };
}

/** Returns a ByteSource over bytes already in memory. */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    async read(offset, length) {
      return bytes.subarray(offset, Math.min(bytes.length, offset + length));
    },
    stream(start, end) {
      const view = bytes.subarray(start, Math.min(end, bytes.length));
      const chunk = 1 << 20;
      let at = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= view.length) return controller.close();
          controller.enqueue(view.slice(at, at + chunk));
          at += chunk;
        },
      });
    },
  };
}

/** Returns the source wrapped so that every byte asked for by `read` is counted in `counter.bytes`. */
export function countingSource(
  inner: ByteSource,
  counter: { bytes: number; reads: number },
): ByteSource {
  return {
    name: inner.name,
    size: inner.size,
    async read(offset, length) {
      const bytes = await inner.read(offset, length);
      counter.bytes += bytes.length;
      counter.reads += 1;
      return bytes;
    },
    stream: (start, end) => inner.stream(start, end),
    blob: inner.blob,
  };
}
