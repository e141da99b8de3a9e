import type { LayerReport, ManifestKind, ManifestReport, Platform } from '../report/model.ts';
import type { Descriptor } from './descriptor.ts';
import type { ImageConfig } from './config.ts';
import { platformString } from '../report/format.ts';
import { choosePlatform, emptyConfig, parseImageConfig, unknownPlatform } from './config.ts';
import { parseDescriptor } from './descriptor.ts';
import { parseDigest } from './digest.ts';
import { asArray, asObject, asString } from './json.ts';
import { compressionOfBytes, compressionOfType, isImageConfigType } from './media-types.ts';
import { type ReadContext, blobEntry, note, readDocument } from './context.ts';

const ATTESTATION_TYPE = 'vnd.docker.reference.type';
const ATTESTATION_SUBJECT = 'vnd.docker.reference.digest';

/** Returns the report of one image manifest; what cannot be read is noted and left empty. */
export async function readManifest(
  ctx: ReadContext,
  descriptor: Descriptor,
): Promise<ManifestReport> {
  const doc = asObject(await readDocument(ctx, descriptor, 'manifest'));
  const annotations = descriptor.annotations;
  // Docker attaches manifests to a subject with these annotations: buildx writes the type
  // `attestation-manifest`, other tools their own (regclient's test repo: `builder`). Any of
  // them is a document about its subject, not a runnable platform.
  const attestation = !!annotations[ATTESTATION_TYPE] && !!annotations[ATTESTATION_SUBJECT];
  if (!doc) {
    return assemble({
      descriptor,
      mediaType: descriptor.mediaType,
      kind: attestation ? 'attestation' : 'image',
      subject: attestation ? parseDigest(annotations[ATTESTATION_SUBJECT]) : null,
      config: emptyConfig(),
      imageId: null,
      layers: [],
    });
  }
  const where = `manifest ${descriptor.digest}`;
  const configDescriptor =
    doc.config === undefined ? null : parseDescriptor(doc.config, `${where} config`, ctx.problems);
  const artifactType = asString(doc.artifactType);
  const kind: ManifestKind = attestation
    ? 'attestation'
    : artifactType || (configDescriptor && !isImageConfigType(configDescriptor.mediaType))
      ? 'artifact'
      : 'image';
  let config: ImageConfig = emptyConfig();
  if (configDescriptor && kind !== 'artifact') {
    const configDoc = await readDocument(ctx, configDescriptor, 'config');
    if (configDoc !== null) config = parseImageConfig(configDoc);
  } else if (configDescriptor) {
    blobEntry(ctx, configDescriptor, 'config');
  }
  const layerDescriptors = (asArray(doc.layers) ?? []).map((l, i) =>
    parseDescriptor(l, `${where} layers[${i}]`, ctx.problems),
  );
  const layers: LayerReport[] = [];
  for (const [i, layer] of layerDescriptors.entries()) {
    if (!layer) continue;
    blobEntry(ctx, layer, 'layer');
    layers.push({
      digest: layer.digest,
      size: layer.size,
      mediaType: layer.mediaType,
      diffId: kind === 'artifact' ? null : (config.diffIds[i] ?? null),
      compression: await layerCompression(ctx, layer),
    });
  }
  if (
    kind === 'image' &&
    config.diffIds.length > 0 &&
    config.diffIds.length !== layerDescriptors.length
  ) {
    note(
      ctx,
      'diff-ids-count',
      `${where} has ${layerDescriptors.length} layers but its config lists ${config.diffIds.length} diff_ids`,
      descriptor.digest,
    );
  }
  const subjectDoc = asObject(doc.subject);
  return assemble({
    descriptor,
    mediaType: descriptor.mediaType ?? asString(doc.mediaType),
    kind,
    subject: attestation
      ? parseDigest(annotations[ATTESTATION_SUBJECT])
      : parseDigest(subjectDoc?.digest),
    config,
    imageId: configDescriptor?.digest ?? null,
    layers,
  });
}

/** Returns a layer's compression: from its media type, else from the blob's first bytes. */
async function layerCompression(
  ctx: ReadContext,
  layer: Descriptor,
): Promise<LayerReport['compression']> {
  const declared = compressionOfType(layer.mediaType);
  if (declared) return declared;
  // A media type that names something other than a tar (in-toto JSON, …) has no compression.
  if (layer.mediaType && !/tar/.test(layer.mediaType)) return null;
  const entry = blobEntry(ctx, layer, 'layer');
  return entry ? compressionOfBytes(await ctx.archive.head(entry)) : 'unknown';
}

/** Returns a ManifestReport from its parts (shared with the docker-save reader). */
export function assemble(parts: {
  descriptor: Descriptor | null;
  mediaType: string | null;
  kind: ManifestKind;
  subject: string | null;
  config: ImageConfig;
  imageId: string | null;
  layers: LayerReport[];
}): ManifestReport {
  const { config, kind } = parts;
  let platform: Platform = choosePlatform(parts.descriptor?.platform ?? null, config.platform);
  if (kind === 'attestation' && !platform.os && !platform.architecture)
    platform = unknownPlatform();
  return {
    platform,
    platformString: platformString(platform),
    kind,
    subject: parts.subject,
    digest: parts.descriptor?.digest ?? null,
    mediaType: parts.mediaType,
    size: parts.descriptor?.size ?? null,
    dockerVersion: config.dockerVersion,
    totalSize: parts.layers.reduce((sum, l) => sum + (l.size ?? 0), 0),
    imageId: parts.imageId,
    created: config.created,
    entrypoint: config.entrypoint,
    cmd: config.cmd,
    shell: config.shell,
    env: config.env,
    labels: config.labels,
    user: config.user,
    exposedPorts: config.exposedPorts,
    workingDir: config.workingDir,
    history: config.history,
    layers: parts.layers,
  };
}
