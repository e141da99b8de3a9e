import type { ArchiveEntry } from '../archive/archive.ts';
import type { Digest, ImageReport, LayerReport } from '../report/model.ts';
import type { Descriptor } from './descriptor.ts';
import { ArchiveError } from '../errors.ts';
import { emptyConfig, parseImageConfig } from './config.ts';
import { parseDescriptor } from './descriptor.ts';
import { digestFromName } from './digest.ts';
import { asArray, asObject, asString, asStringArray, readJson } from './json.ts';
import {
  compressionOfBytes,
  compressionOfType,
  isManifestType,
  legacyLayerType,
} from './media-types.ts';
import { chooseReference } from './reference.ts';
import { type ReadContext, note } from './context.ts';
import { assemble, readManifest } from './manifest.ts';
import { MAX_MANIFEST_SCAN } from '../limits.ts';

/** Returns one ImageReport per manifest.json item of a `docker save` archive. With `findManifests`
 * (Docker ≥ 25, whose index.json may list nothing) each image's OCI manifest is looked for among
 * the blobs so that its real digests and media types are shown. */
export async function readDockerSave(
  ctx: ReadContext,
  findManifests: boolean,
): Promise<ImageReport[]> {
  const entry = ctx.archive.lookup('manifest.json');
  if (!entry) {
    const legacy = ctx.archive.lookup('repositories');
    throw new ArchiveError(
      'manifest-missing',
      legacy
        ? 'manifest.json is missing: this is a pre-Docker-1.10 save (only "repositories" and <id>/json), which has no image manifest to report'
        : 'neither index.json nor manifest.json is in the archive: not a docker save or OCI image archive',
      'manifest.json',
    );
  }
  const doc = await readJson(ctx.archive, entry, 'manifest.json');
  const items = asArray(doc);
  if (!items) {
    throw new ArchiveError(
      'manifest-invalid',
      `manifest.json holds ${doc === null ? 'null' : typeof doc}, not a list of images`,
      'manifest.json',
    );
  }
  const manifestsByConfig = findManifests
    ? await scanManifests(ctx)
    : new Map<Digest, Descriptor>();
  const images: ImageReport[] = [];
  for (const [i, raw] of items.entries()) {
    const item = asObject(raw);
    const where = `manifest.json[${i}]`;
    const configPath = asString(item?.Config);
    if (!item || !configPath) {
      note(ctx, 'manifest-invalid', `${where} has no "Config"`, 'manifest.json');
      continue;
    }
    const { ref, name } = chooseReference({
      repoTags: asStringArray(item.RepoTags),
      fileName: ctx.fileName,
    });
    const configDigest = digestFromName(configPath);
    const found = configDigest ? manifestsByConfig.get(configDigest) : undefined;
    if (found) {
      images.push({
        ref,
        name,
        digest: null,
        mediaType: null,
        manifests: [await readManifest(ctx, found)],
      });
      continue;
    }
    const configEntry = ctx.archive.lookup(configPath);
    let config = emptyConfig();
    if (!configEntry)
      note(
        ctx,
        'blob-missing',
        `config "${configPath}" named by ${where} is not in the archive`,
        configPath,
      );
    else {
      try {
        config = parseImageConfig(
          await readJson(ctx.archive, configEntry, `config "${configPath}"`),
        );
      } catch (error) {
        if (!(error instanceof ArchiveError)) throw error;
        note(ctx, error.code, error.message, configPath);
      }
    }
    const layerPaths = asStringArray(item.Layers) ?? [];
    const sources = asObject(item.LayerSources) ?? {};
    const layers: LayerReport[] = [];
    for (const [j, path] of layerPaths.entries()) {
      const diffId = config.diffIds[j] ?? null;
      const layerEntry = ctx.archive.lookup(path);
      if (!layerEntry)
        note(ctx, 'blob-missing', `layer "${path}" named by ${where} is not in the archive`, path);
      layers.push(
        await legacyLayer(ctx, path, layerEntry, diffId, diffId ? sources[diffId] : undefined),
      );
    }
    if (config.diffIds.length > 0 && config.diffIds.length !== layerPaths.length) {
      note(
        ctx,
        'diff-ids-count',
        `${where} lists ${layerPaths.length} layers but its config has ${config.diffIds.length} diff_ids`,
        configPath,
      );
    }
    images.push({
      ref,
      name,
      digest: null,
      mediaType: null,
      manifests: [
        assemble({
          descriptor: null,
          mediaType: null,
          kind: 'image',
          subject: null,
          config,
          imageId: configDigest,
          layers,
        }),
      ],
    });
  }
  return images;
}

/** Returns a legacy layer: digest from its file name where the name is one, else (uncompressed)
 * the diff_id it must equal; size is the file's length; media type from its first bytes. */
async function legacyLayer(
  ctx: ReadContext,
  path: string,
  entry: ArchiveEntry | undefined,
  diffId: Digest | null,
  source: unknown,
): Promise<LayerReport> {
  if (!entry) return { digest: null, size: null, mediaType: null, diffId, compression: null };
  const compression = compressionOfBytes(await ctx.archive.head(entry));
  const named = digestFromName(entry.name ?? '') ?? digestFromName(path);
  const digest = named ?? (compression === 'none' ? diffId : null);
  // Docker ≥ 25 records the layer's descriptor in LayerSources: keep its media type when it
  // describes this very file.
  const sourceDescriptor = parseDescriptor(source, `${path} LayerSources`, []);
  const mediaType =
    sourceDescriptor &&
    sourceDescriptor.digest === digest &&
    compressionOfType(sourceDescriptor.mediaType) === compression
      ? sourceDescriptor.mediaType
      : legacyLayerType(compression);
  return { digest, size: entry.size, mediaType, diffId, compression };
}

/** Returns the image manifests among the archive's small blobs, by the config digest they name. */
async function scanManifests(ctx: ReadContext): Promise<Map<Digest, Descriptor>> {
  const found = new Map<Digest, Descriptor>();
  for (const entry of ctx.archive.entries) {
    if (!entry.name?.startsWith('blobs/sha256/') || entry.type !== 'file') continue;
    if (entry.size > MAX_MANIFEST_SCAN || entry.truncated) continue;
    const head = await ctx.archive.head(entry);
    if (head[0] !== 0x7b) continue;
    let doc;
    try {
      doc = asObject(await readJson(ctx.archive, entry, entry.name));
    } catch {
      continue;
    }
    const config = asObject(doc?.config);
    const configDigest = digestFromName(
      `sha256:${asString(config?.digest)?.replace(/^sha256:/, '') ?? ''}`,
    );
    const mediaType = asString(doc?.mediaType);
    if (!doc || !config || !configDigest || !Array.isArray(doc.layers)) continue;
    if (mediaType && !isManifestType(mediaType)) continue;
    const digest = digestFromName(entry.name);
    if (!digest) continue;
    found.set(configDigest, {
      mediaType,
      digest,
      size: entry.size,
      platform: null,
      annotations: {},
      artifactType: null,
    });
  }
  return found;
}
