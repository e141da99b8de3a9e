import type { Archive } from './archive/archive.ts';
import type { ByteSource } from './archive/byte-source.ts';
import type { ImageReport, Problem, Report, SourceFormat } from './report/model.ts';
import { openArchive } from './archive/open.ts';
import { ArchiveError } from './errors.ts';
import type { ReadContext } from './oci/context.ts';
import { readDockerSave } from './oci/docker-save.ts';
import { readIndexJson, readOciImages } from './oci/oci-layout.ts';

/** Returns the layout an archive is in, from the documents at its root. */
export function detectFormat(archive: Archive): SourceFormat | null {
  const oci = !!archive.lookup('index.json') || !!archive.lookup('oci-layout');
  const docker = !!archive.lookup('manifest.json');
  if (oci && docker) return 'docker-save+oci';
  if (oci) return 'oci-layout';
  if (docker) return 'docker-save';
  return null;
}

/** Returns the report of an opened archive, reading only its JSON documents and layer heads.
 * Throws ArchiveError when nothing of an image can be read. */
export async function inspectArchive(archive: Archive, signal?: AbortSignal): Promise<Report> {
  // The archive notes problems of its own while it is read (links leading out of it).
  const problems: Problem[] = [];
  const ctx: ReadContext = { archive, problems, fileName: archive.name, signal };
  const format = detectFormat(archive);
  if (!format) {
    if (archive.lookup('repositories')) {
      throw new ArchiveError(
        'manifest-missing',
        'manifest.json is missing: only "repositories" and <id>/json are here, the layout of docker save before Docker 1.10, which names no image manifest to report',
        'manifest.json',
      );
    }
    const stopped = archive.problems.filter((p) => STOPPED_EARLY.has(p.code));
    if (stopped.length > 0) {
      // Name the entry that was cut short when one was (the tar's problem, not the gzip's).
      const first = stopped.find((p) => p.where !== null) ?? stopped[0]!;
      throw new ArchiveError(
        first.code,
        `no index.json or manifest.json was found before reading stopped: ${stopped.map((p) => p.message).join('; ')}`,
        first.where,
      );
    }
    throw new ArchiveError(
      'not-an-image',
      `"${archive.name}" is a tar archive but not a container image: it has no index.json, oci-layout or manifest.json`,
    );
  }
  let images: ImageReport[] = [];
  try {
    images = await readImages(ctx, format);
  } catch (error) {
    // A missing document is often the symptom: say what cut the archive short.
    const why = archive.problems.find((p) => STOPPED_EARLY.has(p.code));
    if (error instanceof ArchiveError && why) {
      throw new ArchiveError(error.code, `${error.message}; ${why.message}`, error.where);
    }
    throw error;
  }
  if (images.length === 0) {
    throw new ArchiveError(
      'no-images',
      `the archive lists no images (${format === 'docker-save' ? 'manifest.json' : 'index.json'} is empty)`,
    );
  }
  return {
    schema: 'stevedore.report/v1',
    source: {
      name: archive.name,
      size: archive.size,
      format,
      compression: archive.container === 'tar+gzip' ? 'gzip' : 'none',
    },
    images,
    verification: { status: 'not-run', checks: [] },
    problems: [...archive.problems, ...problems],
  };
}

/** Problems after which the rest of an archive was not read. */
const STOPPED_EARLY = new Set([
  'tar-truncated',
  'gzip-truncated',
  'too-many-entries',
  'tar-header-invalid',
]);

/** Returns the images of an archive in a known format. */
async function readImages(ctx: ReadContext, format: SourceFormat): Promise<ImageReport[]> {
  const { archive } = ctx;
  let images: ImageReport[] = [];
  if (format !== 'docker-save') {
    const descriptors =
      format === 'oci-layout' || archive.lookup('index.json')
        ? await readIndexJsonOrFail(ctx, format)
        : [];
    images = await readOciImages(ctx, descriptors);
  }
  if (format === 'docker-save' || (format === 'docker-save+oci' && images.length === 0)) {
    images = await readDockerSave(ctx, format === 'docker-save+oci');
  }
  return images;
}

/** In a Docker ≥ 25 save, a broken index.json is not fatal: manifest.json still describes the images. */
async function readIndexJsonOrFail(ctx: ReadContext, format: SourceFormat) {
  try {
    return await readIndexJson(ctx);
  } catch (error) {
    if (format === 'docker-save+oci' && error instanceof ArchiveError) {
      ctx.problems.push(error.toProblem());
      return [];
    }
    throw error;
  }
}

/** Returns the report of the archive in a byte source (tar or gzip-compressed tar). */
export async function inspectSource(src: ByteSource, signal?: AbortSignal): Promise<Report> {
  return inspectArchive(await openArchive(src, signal), signal);
}
