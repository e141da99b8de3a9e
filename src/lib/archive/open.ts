import type { ByteSource } from './byte-source.ts';
import type { Archive } from './archive.ts';
import { ArchiveError } from '../errors.ts';
import { GzipTarArchive } from './gzip-archive.ts';
import { TAIL, TarArchive, WINDOW, indexTar } from './tar-index.ts';

/** Options of `openArchive`. */
export interface OpenOptions {
  /** Called as the archive is read (its headers, or the whole of a .tar.gz): bytes read so far
   * and the archive's size. */
  onProgress?: (bytesRead: number, total: number) => void;
}

/** Returns the archive in `src`: a tar, or a gzip-compressed tar (detected by magic bytes). */
export async function openArchive(
  src: ByteSource,
  signal?: AbortSignal,
  options: OpenOptions = {},
): Promise<Archive> {
  if (src.size === 0) throw new ArchiveError('empty', `"${src.name}" is empty`);
  const { onProgress } = options;
  // One read for the magic bytes and the tar's first headers (each read may be a round trip),
  // and beside it one of the archive's end, where a tar's last headers usually are (see TAIL).
  const reading = src.read(0, WINDOW);
  const tailAt = Math.max(WINDOW, src.size - TAIL);
  const tail = tailAt < src.size ? { offset: tailAt, bytes: src.read(tailAt, TAIL) } : undefined;
  // Not awaited when the archive is compressed, or ends in an error before the tail: no
  // unhandled rejection; one awaited still throws.
  tail?.bytes.catch(() => undefined);
  const head = await reading;
  if (head[0] === 0x1f && head[1] === 0x8b) return GzipTarArchive.open(src, signal, onProgress);
  const { entries, problems, windows } = await indexTar(src, {
    signal,
    onProgress,
    first: head,
    tail,
  });
  if (entries.length === 0) {
    const first = problems[0];
    throw new ArchiveError(
      first?.code === 'tar-truncated' ? 'tar-truncated' : 'not-an-archive',
      first ? `"${src.name}": ${first.message}` : `"${src.name}" holds no entries`,
    );
  }
  return new TarArchive(src, entries, problems, windows);
}
