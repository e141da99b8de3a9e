import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import type { ByteSource } from '../lib/archive/byte-source.ts';

/** Returns a ByteSource over a file on disk, read through one file handle; close it when done. */
export async function nodeFileSource(
  path: string,
): Promise<ByteSource & { close(): Promise<void> }> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name: basename(path),
    size,
    async read(offset, length) {
      const end = Math.min(size, offset + length);
      if (offset >= end) return new Uint8Array(0);
      const buffer = new Uint8Array(end - offset);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(
          buffer,
          filled,
          buffer.length - filled,
          offset + filled,
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
    stream(start, end) {
      if (end <= start) return new ReadableStream({ start: (c) => c.close() });
      const nodeStream = createReadStream(path, {
        start,
        end: Math.min(end, size) - 1,
        highWaterMark: 1 << 20,
      });
      return Readable.toWeb(nodeStream) as unknown as ReadableStream<Uint8Array>;
    },
    close: () => handle.close(),
  };
}
