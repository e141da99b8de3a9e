import type { Config, Descriptor, Layer, Manifest, ManifestKind, Platform } from './model.ts';
import type { ReadContext } from './context.ts';
import { choosePlatform, emptyConfig, parseImageConfig, unknownPlatform } from './config.ts';
import { parseDescriptor } from './descriptor.ts';
import { blobPath, parseDigest } from './digest.ts';
import { type JsonObject, asArray, asObject, asString } from './json.ts';
import { MAX_LAYERS } from '../limits.ts';
import { compressionOfBytes, compressionOfType, isImageConfigType } from './media-types.ts';

const ATTESTATION_TYPE = 'vnd.docker.reference.type';
const ATTESTATION_SUBJECT = 'vnd.docker.reference.digest';

/** Returns the model of one image manifest named by a descriptor; what cannot be read is
 * noted and left empty. `doc` is the document when the caller has already parsed it. */
export async function readManifest(
  ctx: ReadContext,
  descriptor: Descriptor,
  options: { listed?: boolean; doc?: JsonObject | null } = {},
): Promise<Manifest> {
  const blob = ctx.blob(descriptor, 'manifest');
  const doc =
    options.doc !== undefined
      ? options.doc
      : asObject((await ctx.document(blob, 'manifest')).value);
  const annotations = descriptor.annotations;
  // Docker attaches manifests to a subject with these annotations: buildx writes the type
  // `attestation-manifest`, other tools their own (regclient's test repo: `builder`). Any of
  // them is a document about its subject, not a runnable platform.
  const attestation = !!annotations[ATTESTATION_TYPE] && !!annotations[ATTESTATION_SUBJECT];
  const base = {
    type: 'manifest' as const,
    blob,
    included: blob.entry !== null,
    listed: options.listed ?? true,
  };
  if (!doc) {
    return {
      ...base,
      mediaType: descriptor.mediaType,
      kind: attestation ? 'attestation' : 'image',
      subject: attestation ? parseDigest(annotations[ATTESTATION_SUBJECT]) : null,
      platform: platformOf(
        descriptor.platform,
        emptyConfig(),
        attestation ? 'attestation' : 'image',
      ),
      configBlob: null,
      config: emptyConfig(),
      configBytes: 0,
      imageId: null,
      layers: [],
    };
  }
  const where = `manifest ${descriptor.digest}`;
  const declared = asString(doc.mediaType);
  if (declared && descriptor.mediaType && declared !== descriptor.mediaType) {
    ctx.ambiguous(
      'manifest-invalid',
      `${where} says it is ${declared}, its descriptor says ${descriptor.mediaType}`,
      descriptor.digest,
    );
  }
  const configDescriptor =
    doc.config === undefined
      ? null
      : parseDescriptor(doc.config, `${where} config`, ctx.problems.list);
  const artifactType = asString(doc.artifactType);
  const kind: ManifestKind = attestation
    ? 'attestation'
    : artifactType || (configDescriptor && !isImageConfigType(configDescriptor.mediaType))
      ? 'artifact'
      : 'image';
  let config: Config = emptyConfig();
  let configBytes = 0;
  const configBlob = configDescriptor ? ctx.blob(configDescriptor, 'config') : null;
  if (configBlob && kind !== 'artifact') {
    const parsed = await ctx.document(configBlob, 'config');
    if (parsed.value !== null) {
      config = parseImageConfig(parsed.value);
      configBytes = parsed.bytes;
    }
  }
  const layers: Layer[] = [];
  const listedLayers = asArray(doc.layers) ?? [];
  if (listedLayers.length > MAX_LAYERS) {
    ctx.note(
      'too-many-layers',
      `${where} lists ${listedLayers.length} layers; only the first ${MAX_LAYERS} are read`,
      descriptor.digest,
    );
  }
  for (const [i, raw] of listedLayers.slice(0, MAX_LAYERS).entries()) {
    const layer = parseDescriptor(raw, `${where} layers[${i}]`, ctx.problems.list);
    if (!layer) continue;
    const ref = ctx.blob(layer, 'layer');
    layers.push({
      ...ref,
      digest: layer.digest,
      size: layer.size,
      mediaType: layer.mediaType,
      diffId: kind === 'artifact' ? null : (config.diffIds[i] ?? null),
      compression: await layerCompression(ctx, layer, ref.entry !== null),
      foreign: /foreign|nondistributable/.test(layer.mediaType ?? ''),
      ...(Object.keys(layer.annotations).length > 0 ? { annotations: layer.annotations } : {}),
    });
  }
  const layerCount = listedLayers.length;
  if (kind === 'image' && config.diffIds.length > 0 && config.diffIds.length !== layerCount) {
    ctx.note(
      'diff-ids-count',
      `${where} has ${layerCount} layers but its config lists ${config.diffIds.length} diff_ids`,
      descriptor.digest,
    );
  }
  if (kind === 'image') checkPlatform(ctx, descriptor, config.platform);
  const subjectDoc = asObject(doc.subject);
  return {
    ...base,
    mediaType: descriptor.mediaType ?? declared,
    kind,
    subject: attestation
      ? parseDigest(annotations[ATTESTATION_SUBJECT])
      : parseDigest(subjectDoc?.digest),
    platform: platformOf(descriptor.platform, config, kind),
    configBlob,
    config,
    configBytes,
    imageId: configDescriptor?.digest ?? null,
    layers,
  };
}

/** Returns the platform shown: the descriptor's, else the config's; an attestation that names
 * none has the unknown one. */
export function platformOf(
  descriptor: Platform | null,
  config: Config,
  kind: ManifestKind,
): Platform {
  const platform = choosePlatform(descriptor, config.platform);
  if (kind === 'attestation' && !platform.os && !platform.architecture) return unknownPlatform();
  return platform;
}

/** Notes, as another reader's different image, an index that lists a manifest as one platform
 * whose config says another (`linux/arm64` over an amd64 config): the report would show, and a
 * runtime choosing by the index would pull, a platform the verified bytes are not. Only os,
 * architecture and (where both name one) variant are compared; a field either side leaves out
 * says nothing. */
function checkPlatform(ctx: ReadContext, descriptor: Descriptor, own: Platform): void {
  const listed = descriptor.platform;
  if (!listed) return;
  const fields = ['os', 'architecture', 'variant'] as const;
  const differ = fields.filter((f) => listed[f] && own[f] && listed[f] !== own[f]);
  if (differ.length === 0) return;
  const spell = (p: Platform) =>
    fields
      .map((f) => p[f])
      .filter(Boolean)
      .join('/');
  ctx.ambiguous(
    'platform-mismatch',
    `manifest ${descriptor.digest} is listed as ${spell(listed)} but its config says ${spell(own)}`,
    descriptor.digest,
  );
}

/** Returns a layer's compression: from its media type, else from the blob's first bytes. */
async function layerCompression(
  ctx: ReadContext,
  layer: Descriptor,
  present: boolean,
): Promise<Layer['compression']> {
  const declared = compressionOfType(layer.mediaType);
  if (declared) return declared;
  // A media type that names something other than a tar (in-toto JSON, …) has no compression.
  if (layer.mediaType && !/tar/.test(layer.mediaType)) return null;
  const entry = present ? ctx.archive.lookup(blobPath(layer.digest)) : undefined;
  return entry ? compressionOfBytes(await ctx.archive.head(entry)) : 'unknown';
}
