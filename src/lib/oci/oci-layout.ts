import type { ImageReport, ManifestReport } from '../report/model.ts';
import type { Descriptor } from './descriptor.ts';
import { ArchiveError } from '../errors.ts';
import { parseDescriptor } from './descriptor.ts';
import { asArray, asObject, asString, readJson } from './json.ts';
import { isIndexType, isManifestType } from './media-types.ts';
import { CONTAINERD_NAME, OCI_REF_NAME, chooseReference } from './reference.ts';
import { type ReadContext, note, readDocument } from './context.ts';
import { readManifest } from './manifest.ts';
import { MAX_INDEX_DEPTH } from '../limits.ts';

/** Returns the descriptors listed in index.json; an empty list when it says `"manifests": null`. */
export async function readIndexJson(ctx: ReadContext): Promise<Descriptor[]> {
  const entry = ctx.archive.lookup('index.json');
  if (!entry) throw new ArchiveError('index-missing', 'index.json is missing', 'index.json');
  const index = asObject(await readJson(ctx.archive, entry, 'index.json'));
  if (!index)
    throw new ArchiveError('index-invalid', 'index.json is not a JSON object', 'index.json');
  if (index.manifests === null || index.manifests === undefined) return [];
  const list = asArray(index.manifests);
  if (!list)
    throw new ArchiveError('index-invalid', 'index.json "manifests" is not a list', 'index.json');
  return list.flatMap(
    (d, i) => parseDescriptor(d, `index.json manifests[${i}]`, ctx.problems) ?? [],
  );
}

/** Returns one ImageReport per entry of index.json, nested indexes flattened. */
export async function readOciImages(
  ctx: ReadContext,
  descriptors: Descriptor[],
): Promise<ImageReport[]> {
  const images: ImageReport[] = [];
  for (const descriptor of descriptors) {
    const { ref, name } = chooseReference({
      containerdName: descriptor.annotations[CONTAINERD_NAME],
      refName: descriptor.annotations[OCI_REF_NAME],
      fileName: ctx.fileName,
    });
    const resolved = await resolve(ctx, descriptor, 1, []);
    images.push({
      ref,
      name,
      digest: resolved.index ? descriptor.digest : null,
      mediaType: resolved.index ? resolved.mediaType : null,
      manifests: resolved.manifests,
    });
  }
  return images;
}

interface Resolved {
  index: boolean;
  mediaType: string | null;
  manifests: ManifestReport[];
}

/** Returns the leaf manifests under a descriptor, following indexes up to MAX_INDEX_DEPTH. */
async function resolve(
  ctx: ReadContext,
  descriptor: Descriptor,
  depth: number,
  stack: string[],
): Promise<Resolved> {
  if (isManifestType(descriptor.mediaType)) {
    return {
      index: false,
      mediaType: descriptor.mediaType,
      manifests: [await readManifest(ctx, descriptor)],
    };
  }
  if (!isIndexType(descriptor.mediaType) && descriptor.mediaType !== null) {
    // An unknown media type: still try it as a manifest (artifacts use their own types).
    return {
      index: false,
      mediaType: descriptor.mediaType,
      manifests: [await readManifest(ctx, descriptor)],
    };
  }
  if (stack.includes(descriptor.digest)) {
    note(
      ctx,
      'index-cycle',
      `index ${descriptor.digest} refers to itself through its children`,
      descriptor.digest,
    );
    return { index: true, mediaType: descriptor.mediaType, manifests: [] };
  }
  if (depth > MAX_INDEX_DEPTH) {
    note(
      ctx,
      'index-too-deep',
      `indexes nest deeper than ${MAX_INDEX_DEPTH} levels at ${descriptor.digest}`,
      descriptor.digest,
    );
    return { index: true, mediaType: descriptor.mediaType, manifests: [] };
  }
  const doc = asObject(await readDocument(ctx, descriptor, 'index'));
  if (!doc) return { index: true, mediaType: descriptor.mediaType, manifests: [] };
  const mediaType = descriptor.mediaType ?? asString(doc.mediaType);
  if (!isIndexType(mediaType) && !Array.isArray(doc.manifests)) {
    // No media type anywhere, and the document is not an index: treat it as a manifest.
    return { index: false, mediaType, manifests: [await readManifest(ctx, descriptor)] };
  }
  const manifests: ManifestReport[] = [];
  const children = asArray(doc.manifests) ?? [];
  for (const [i, child] of children.entries()) {
    const d = parseDescriptor(child, `index ${descriptor.digest} manifests[${i}]`, ctx.problems);
    if (!d) continue;
    const sub = await resolve(ctx, d, depth + 1, [...stack, descriptor.digest]);
    manifests.push(...sub.manifests);
  }
  return { index: true, mediaType, manifests };
}
