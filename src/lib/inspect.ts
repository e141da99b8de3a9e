import type { Archive } from './archive/archive.ts';
import type { ByteSource } from './archive/byte-source.ts';
import type { Report } from './report/model.ts';
import { openArchive } from './archive/open.ts';
import { readImageArchive } from './oci/read.ts';
import { buildReport } from './report/build.ts';

export { detectFormat } from './oci/read.ts';

/** Returns the report of an opened archive, reading only its JSON documents and layer heads;
 * the verification plan of the same Archive reads the same model. Throws ArchiveError when
 * nothing of an image can be read. */
export async function inspectArchive(archive: Archive, signal?: AbortSignal): Promise<Report> {
  return buildReport(archive, await readImageArchive(archive, signal));
}

/** Returns the report of the archive in a byte source (tar or gzip-compressed tar). */
export async function inspectSource(src: ByteSource, signal?: AbortSignal): Promise<Report> {
  return inspectArchive(await openArchive(src, signal), signal);
}
