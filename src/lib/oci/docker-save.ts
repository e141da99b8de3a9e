import type { Config, Descriptor, Digest, Image, Layer, Manifest } from './model.ts';
import { ArchiveError } from '../errors.ts';
import { MAX_LAYERS, MAX_MANIFEST_SCAN } from '../limits.ts';
import { emptyConfig, parseImageConfig } from './config.ts';
import { parseDescriptor } from './descriptor.ts';
import { digestFromName } from './digest.ts';
import { type JsonObject, asArray, asObject, asString, asStringArray, readJson } from './json.ts';
import {
  compressionOfBytes,
  compressionOfType,
  isManifestType,
  legacyLayerType,
} from './media-types.ts';
import { chooseReference } from './reference.ts';
import type { ReadContext } from './context.ts';
import { readManifest } from './manifest.ts';

/** One item of manifest.json, its keys matched in any letter case as `docker load` does
 * (jib before 2.3 writes `config` and `layers`). */
interface SaveItem {
  config: string | null;
  repoTags: string[] | null;
  layers: string[];
  layerSources: JsonObject;
}

/** Returns the items of manifest.json; throws ArchiveError when it is missing or no list. */
export async function readManifestJson(ctx: ReadContext): Promise<SaveItem[]> {
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
  return items.map((raw) => {
    const item = asObject(raw) ?? {};
    const get = (key: string): unknown => {
      if (key in item) return item[key];
      const found = Object.keys(item).find((k) => k.toLowerCase() === key.toLowerCase());
      return found === undefined ? undefined : item[found];
    };
    return {
      config: asString(get('Config')),
      repoTags: asStringArray(get('RepoTags')),
      layers: asStringArray(get('Layers')) ?? [],
      layerSources: asObject(get('LayerSources')) ?? {},
    };
  });
}

/** Returns one Image per manifest.json item of a `docker save` archive. With `findManifests`
 * (Docker ≥ 25, whose index.json may list nothing) each image's OCI manifest is looked for among
 * the blobs so that its real digests and media types are shown. */
export async function readDockerSave(ctx: ReadContext, findManifests: boolean): Promise<Image[]> {
  const items = await readManifestJson(ctx);
  const manifestsByConfig = findManifests
    ? await scanManifests(ctx)
    : new Map<Digest, Descriptor>();
  const images: Image[] = [];
  for (const [i, item] of items.entries()) {
    const where = `manifest.json[${i}]`;
    const configPath = item.config;
    if (!configPath) {
      ctx.note('manifest-invalid', `${where} has no "Config"`, 'manifest.json');
      continue;
    }
    if (!ctx.visit('manifest')) break;
    const { ref, name } = chooseReference({ repoTags: item.repoTags, fileName: ctx.fileName });
    const configDigest = digestFromName(configPath);
    const found = configDigest ? manifestsByConfig.get(configDigest) : undefined;
    const root = found
      ? await readManifest(ctx, found, { listed: false })
      : await legacyManifest(ctx, item, where, configPath, configDigest);
    images.push({ ref, name, root, manifests: [root] });
  }
  return images;
}

/** Returns the manifest-less image a manifest.json item describes. */
async function legacyManifest(
  ctx: ReadContext,
  item: SaveItem,
  where: string,
  configPath: string,
  configDigest: Digest | null,
): Promise<Manifest> {
  const configEntry = ctx.archive.lookup(configPath) ?? null;
  const configBlob = { descriptor: null, path: configPath, entry: configEntry };
  let config: Config = emptyConfig();
  let configBytes = 0;
  if (!configEntry) {
    ctx.note(
      'blob-missing',
      `config "${configPath}" named by ${where} is not in the archive`,
      configPath,
    );
  } else {
    const parsed = await ctx.document(configBlob, 'config');
    if (parsed.value !== null) {
      config = parseImageConfig(parsed.value);
      configBytes = parsed.bytes;
    }
  }
  const layers: Layer[] = [];
  if (item.layers.length > MAX_LAYERS) {
    ctx.note(
      'too-many-layers',
      `${where} lists ${item.layers.length} layers; only the first ${MAX_LAYERS} are read`,
      configPath,
    );
  }
  for (const [j, path] of item.layers.slice(0, MAX_LAYERS).entries()) {
    const diffId = config.diffIds[j] ?? null;
    const entry = ctx.archive.lookup(path) ?? null;
    if (!entry)
      ctx.note('blob-missing', `layer "${path}" named by ${where} is not in the archive`, path);
    layers.push(
      await legacyLayer(ctx, path, entry, diffId, diffId ? item.layerSources[diffId] : undefined),
    );
  }
  if (config.diffIds.length > 0 && config.diffIds.length !== item.layers.length) {
    ctx.note(
      'diff-ids-count',
      `${where} lists ${item.layers.length} layers but its config has ${config.diffIds.length} diff_ids`,
      configPath,
    );
  }
  return {
    type: 'manifest',
    blob: null,
    included: true,
    listed: true,
    mediaType: null,
    kind: 'image',
    subject: null,
    platform: config.platform,
    configBlob,
    config,
    configBytes,
    imageId: configDigest,
    layers,
  };
}

/** Returns a legacy layer: digest from its file name where the name is one, else (uncompressed)
 * the diff_id it must equal; size is the file's length; media type from its first bytes. */
async function legacyLayer(
  ctx: ReadContext,
  path: string,
  entry: Layer['entry'],
  diffId: Digest | null,
  source: unknown,
): Promise<Layer> {
  const base = { descriptor: null, path, entry, diffId, foreign: false };
  if (!entry) return { ...base, digest: null, size: null, mediaType: null, compression: null };
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
  return { ...base, digest, size: entry.size, mediaType, compression };
}

/** Returns the image manifests among the archive's small blobs, by the config digest they name. */
async function scanManifests(ctx: ReadContext): Promise<Map<Digest, Descriptor>> {
  const found = new Map<Digest, Descriptor>();
  for (const entry of ctx.archive.entries) {
    if (!entry.name?.startsWith('blobs/sha256/') || entry.type !== 'file') continue;
    if (entry.size > MAX_MANIFEST_SCAN || entry.truncated) continue;
    const head = await ctx.archive.head(entry);
    if (head[0] !== 0x7b) continue;
    const digest = digestFromName(entry.name);
    if (!digest) continue;
    const doc = asObject(
      (await ctx.document({ descriptor: null, path: entry.name, entry }, 'blob', true)).value,
    );
    const config = asObject(doc?.config);
    const configDigest = digestFromName(
      `sha256:${asString(config?.digest)?.replace(/^sha256:/, '') ?? ''}`,
    );
    const mediaType = asString(doc?.mediaType);
    if (!doc || !config || !configDigest || !Array.isArray(doc.layers)) continue;
    if (mediaType && !isManifestType(mediaType)) continue;
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

/** Notes an ambiguity for every manifest.json item that no image of index.json matches (same
 * config, same layers in the same order): `docker load` would load another image than the one
 * reported and verified. */
export async function compareWithManifestJson(ctx: ReadContext, images: Image[]): Promise<void> {
  let items: SaveItem[];
  try {
    items = await readManifestJson(ctx);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    ctx.ambiguous(
      'layouts-disagree',
      `index.json lists images but ${error.message}`,
      'manifest.json',
    );
    return;
  }
  const known = new Set<string>();
  for (const image of images)
    for (const m of image.manifests)
      if (m.imageId) known.add([m.imageId, ...m.layers.map((l) => l.digest)].join(' '));
  for (const [i, item] of items.entries()) {
    const config = item.config ? digestFromName(item.config) : null;
    const key = [config, ...item.layers.map((p) => digestFromName(p))].join(' ');
    if (config && known.has(key)) continue;
    ctx.ambiguous(
      'layouts-disagree',
      `manifest.json[${i}] (config "${item.config ?? ''}") names an image that index.json does not list: docker load would load another image than the one reported`,
      'manifest.json',
    );
  }
}
