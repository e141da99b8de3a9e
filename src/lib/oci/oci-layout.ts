import type { Descriptor, Image, ImageIndex, Manifest } from './model.ts';
import { ArchiveError } from '../errors.ts';
import { MAX_INDEX_DEPTH } from '../limits.ts';
import { parseDescriptor } from './descriptor.ts';
import { type JsonObject, asArray, asObject, asString, readJson } from './json.ts';
import { isIndexType, isManifestType } from './media-types.ts';
import { CONTAINERD_NAME, OCI_REF_NAME, chooseReference } from './reference.ts';
import type { ReadContext } from './context.ts';
import { readManifest } from './manifest.ts';

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
    (d, i) => parseDescriptor(d, `index.json manifests[${i}]`, ctx.problems.list) ?? [],
  );
}

/** Returns one Image per entry of index.json, its indexes read to their manifests. */
export async function readOciImages(ctx: ReadContext, descriptors: Descriptor[]): Promise<Image[]> {
  const images: Image[] = [];
  for (const descriptor of descriptors) {
    if (ctx.exhausted) break;
    const { ref, name } = chooseReference({
      containerdName: descriptor.annotations[CONTAINERD_NAME],
      refName: descriptor.annotations[OCI_REF_NAME],
      fileName: ctx.fileName,
    });
    const manifests: Manifest[] = [];
    const root = await resolve(ctx, descriptor, 1, [], manifests);
    if (!root) break;
    images.push({ ref, name, root, manifests });
  }
  return images;
}

/** Returns the node a descriptor names — an index read down to its manifests, or a manifest —
 * adding every manifest to `out`; null when the walk's budget was spent before it (a node
 * the budget runs out inside keeps the children read so far). */
async function resolve(
  ctx: ReadContext,
  descriptor: Descriptor,
  depth: number,
  stack: string[],
  out: Manifest[],
): Promise<ImageIndex | Manifest | null> {
  const declared = descriptor.mediaType;
  if (declared !== null && !isIndexType(declared)) {
    // A manifest, or an unknown type tried as one (artifacts use their own types).
    return manifest(ctx, descriptor, out);
  }
  const blob = ctx.blob(descriptor, 'index');
  const doc = asObject((await ctx.document(blob, 'index')).value);
  const kind = doc ? documentKind(doc) : 'index';
  if (declared === null && kind === 'manifest') {
    // No media type anywhere, and the document is not an index: it is a manifest.
    return manifest(ctx, descriptor, out, doc);
  }
  if (kind !== 'index') {
    ctx.ambiguous(
      'index-invalid',
      `${descriptor.digest} is listed as an index (${declared ?? 'no media type'}) but its document ${kind === 'both' ? 'has both "manifests" and "layers"' : 'is a manifest'}: readers would disagree on what it holds`,
      descriptor.digest,
    );
  }
  if (!ctx.visit('node')) return null;
  const node: ImageIndex = {
    type: 'index',
    blob,
    mediaType: declared ?? asString(doc?.mediaType),
    children: [],
  };
  if (stack.includes(descriptor.digest)) {
    ctx.note(
      'index-cycle',
      `index ${descriptor.digest} refers to itself through its children`,
      descriptor.digest,
    );
    return node;
  }
  if (depth > MAX_INDEX_DEPTH) {
    ctx.note(
      'index-too-deep',
      `indexes nest deeper than ${MAX_INDEX_DEPTH} levels at ${descriptor.digest}`,
      descriptor.digest,
    );
    return node;
  }
  for (const [i, child] of (asArray(doc?.manifests) ?? []).entries()) {
    const d = parseDescriptor(
      child,
      `index ${descriptor.digest} manifests[${i}]`,
      ctx.problems.list,
    );
    if (!d) continue;
    const sub = await resolve(ctx, d, depth + 1, [...stack, descriptor.digest], out);
    if (sub) node.children.push(sub);
    if (ctx.exhausted) break;
  }
  return node;
}

/** Returns a manifest node (null once the budget is spent), adding it to `out`. */
async function manifest(
  ctx: ReadContext,
  descriptor: Descriptor,
  out: Manifest[],
  doc?: JsonObject | null,
): Promise<Manifest | null> {
  if (!ctx.visit('manifest')) return null;
  if (doc === undefined) {
    const parsed = asObject(
      (await ctx.document(ctx.blob(descriptor, 'manifest'), 'manifest')).value,
    );
    if (parsed && documentKind(parsed) !== 'manifest') {
      ctx.ambiguous(
        'manifest-invalid',
        `${descriptor.digest} is listed as a manifest (${descriptor.mediaType}) but its document ${documentKind(parsed) === 'both' ? 'has both "manifests" and "layers"' : 'is an index'}: readers would disagree on what it holds`,
        descriptor.digest,
      );
    }
    doc = parsed;
  }
  const m = await readManifest(ctx, descriptor, { doc });
  out.push(m);
  return m;
}

/** Returns what a document's shape says it is. */
function documentKind(doc: JsonObject): 'index' | 'manifest' | 'both' {
  const type = asString(doc.mediaType);
  const hasManifests = doc.manifests !== undefined;
  const hasLayers = doc.layers !== undefined || doc.config !== undefined;
  if (hasManifests && hasLayers) return 'both';
  if (isIndexType(type) || (hasManifests && !isManifestType(type))) return 'index';
  return 'manifest';
}
