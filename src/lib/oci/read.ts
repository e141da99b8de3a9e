/**
 * Reading an archive into the image model, once: which layout it is in, and the rules that
 * decide between them (Docker ≥ 25 saves carry both). Everything else reads the model.
 */
import type { Archive } from '../archive/archive.ts';
import type { Image, ImageArchive, SourceFormat } from './model.ts';
import { ArchiveError } from '../errors.ts';
import { ReadContext } from './context.ts';
import { compareWithManifestJson, readDockerSave } from './docker-save.ts';
import { readIndexJson, readOciImages } from './oci-layout.ts';

/** Problems after which the rest of an archive was not read. */
const STOPPED_EARLY = new Set([
  'tar-truncated',
  'gzip-truncated',
  'too-many-entries',
  'tar-header-invalid',
]);

/** Problems of the archive itself that mean another tar reader could see other files. */
const AMBIGUOUS_ENTRIES = new Set(['entry-duplicate', 'tar-global-header', 'tar-ambiguous']);

/** Returns the layout an archive is in, from the documents at its root. */
export function detectFormat(archive: Archive): SourceFormat | null {
  const oci = !!archive.lookup('index.json') || !!archive.lookup('oci-layout');
  const docker = !!archive.lookup('manifest.json');
  if (oci && docker) return 'docker-save+oci';
  if (oci) return 'oci-layout';
  if (docker) return 'docker-save';
  return null;
}

const models = new WeakMap<Archive, Promise<ImageArchive>>();

/** Returns the image model of an opened archive, read once per archive: the report and the
 * verification plan of the same Archive get the very same model. Rejects with ArchiveError when
 * nothing of an image can be read. */
export function readImageArchive(archive: Archive, signal?: AbortSignal): Promise<ImageArchive> {
  let model = models.get(archive);
  if (!model) {
    model = read(archive, signal);
    models.set(archive, model);
    // A cancelled read is not the archive's model: the next caller reads again.
    model.catch(() => {
      if (signal?.aborted) models.delete(archive);
    });
  }
  return model;
}

async function read(archive: Archive, signal?: AbortSignal): Promise<ImageArchive> {
  const ctx = new ReadContext(archive, archive.name, signal);
  const format = detectFormat(archive);
  if (!format) throw notAnImage(archive);
  let images: Image[] = [];
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
  const ambiguities = [
    ...archive.problems.filter((p) => AMBIGUOUS_ENTRIES.has(p.code)),
    ...ctx.ambiguities.list,
  ];
  return {
    format,
    images,
    // The archive notes problems of its own while it is read (links leading out of it).
    problems: [...archive.problems, ...ctx.problems.list],
    ambiguities,
  };
}

/** Returns the images of an archive in a known format. */
async function readImages(ctx: ReadContext, format: SourceFormat): Promise<Image[]> {
  const { archive } = ctx;
  let images: Image[] = [];
  if (format !== 'docker-save') {
    const descriptors =
      format === 'oci-layout' || archive.lookup('index.json')
        ? await readIndexJsonOrFail(ctx, format)
        : [];
    images = await readOciImages(ctx, descriptors);
    if (format === 'docker-save+oci' && images.length > 0)
      await compareWithManifestJson(ctx, images);
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
      ctx.problems.add(error.toProblem());
      return [];
    }
    throw error;
  }
}

/** Returns the error for an archive with none of the root documents of an image. */
function notAnImage(archive: Archive): ArchiveError {
  if (archive.lookup('repositories')) {
    return new ArchiveError(
      'manifest-missing',
      'manifest.json is missing: only "repositories" and <id>/json are here, the layout of docker save before Docker 1.10, which names no image manifest to report',
      'manifest.json',
    );
  }
  const stopped = archive.problems.filter((p) => STOPPED_EARLY.has(p.code));
  if (stopped.length > 0) {
    // Name the entry that was cut short when one was (the tar's problem, not the gzip's).
    const first = stopped.find((p) => p.where !== null) ?? stopped[0]!;
    return new ArchiveError(
      first.code,
      `no index.json or manifest.json was found before reading stopped: ${stopped.map((p) => p.message).join('; ')}`,
      first.where,
    );
  }
  return new ArchiveError(
    'not-an-image',
    `"${archive.name}" is a tar archive but not a container image: it has no index.json, oci-layout or manifest.json`,
  );
}
