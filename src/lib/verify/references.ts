/**
 * What an archive's documents say must be in it: every descriptor (index → manifests → configs
 * → layers) and every file manifest.json names, with the digest, size and diff_id each promises.
 */
import type { Archive } from '../archive/archive.ts';
import type { Digest, ManifestReport, Platform, Report } from '../report/model.ts';
import type { Decoding } from './model.ts';
import { MAX_JSON_BYTES } from '../limits.ts';
import { parseImageConfig } from '../oci/config.ts';
import { type Descriptor, parseDescriptor } from '../oci/descriptor.ts';
import { blobPath, digestFromName } from '../oci/digest.ts';
import { asArray, asObject, asString, asStringArray } from '../oci/json.ts';
import { compressionOfType, isImageConfigType, isIndexType } from '../oci/media-types.ts';
import { MAX_INDEX_DEPTH } from '../limits.ts';

/** One reference to a blob: where it must be and what it must match. */
export interface Reference {
  /** What its checks are about: the descriptor's digest, or the path manifest.json gives. */
  target: string;
  /** Where the blob must be in the archive. */
  path: string;
  /** How messages name it: `layer 1 sha256:… of linux/amd64`. */
  what: string;
  /** The descriptor's digest and size; null for a path from manifest.json. */
  digest: Digest | null;
  size: number | null;
  /** The config's diff_id for a layer, and how to decode the layer to check it. */
  diffId: Digest | null;
  decode: Decoding | null;
  /** A layer registries serve from elsewhere (foreign, non-distributable): it may be absent. */
  foreign: boolean;
}

const decoder = new TextDecoder();

/** Returns every reference the archive's documents make, in document order. */
export async function collectReferences(
  archive: Archive,
  report: Report,
  signal?: AbortSignal,
): Promise<Reference[]> {
  const walker = new Walker(archive, report, signal);
  await walker.walkOci();
  await walker.walkDockerSave();
  return walker.references;
}

class Walker {
  readonly references: Reference[] = [];
  private readonly walked = new Set<string>();
  private readonly manifests = new Map<string, ManifestReport>();

  constructor(
    private readonly archive: Archive,
    private readonly report: Report,
    private readonly signal?: AbortSignal,
  ) {
    for (const image of report.images)
      for (const m of image.manifests) if (m.digest) this.manifests.set(m.digest, m);
  }

  /** Follows index.json, then the manifests the report found without it (Docker ≥ 25 saves
   * whose index.json lists none: those are walked but were referenced by nobody). */
  async walkOci(): Promise<void> {
    const index = asObject(await this.readJson('index.json'));
    const listed = asArray(index?.manifests) ?? [];
    for (const [i, d] of listed.entries()) {
      const descriptor = parseDescriptor(d, `index.json manifests[${i}]`, []);
      if (descriptor) await this.descend(descriptor, 1, true);
    }
    for (const m of this.manifests.values()) {
      if (this.walked.has(m.digest!) || m.size === null) continue;
      const descriptor = { mediaType: m.mediaType, digest: m.digest!, size: m.size };
      await this.descend(
        { ...descriptor, platform: null, annotations: {}, artifactType: null },
        1,
        false,
      );
    }
  }

  /** Follows manifest.json for the images no manifest describes (legacy `docker save`). */
  async walkDockerSave(): Promise<void> {
    const items = asArray(await this.readJson('manifest.json')) ?? [];
    for (const [i, raw] of items.entries()) {
      const item = asObject(raw);
      const configPath = asString(item?.Config);
      if (!item || !configPath) continue;
      const imageId = digestFromName(configPath);
      const covered = [...this.manifests.values()].some((m) => m.imageId === imageId);
      if (imageId && covered) continue;
      const ref = this.refOf(imageId) ?? `manifest.json[${i}]`;
      this.add({ ...legacy(configPath), what: `config "${configPath}" of ${ref}` });
      const config = parseImageConfig(await this.readJson(configPath));
      for (const [j, path] of (asStringArray(item.Layers) ?? []).entries()) {
        const diffId = config.diffIds[j] ?? null;
        this.add({
          ...legacy(path),
          what: `layer ${j + 1} "${path}" of ${ref}`,
          diffId,
          decode: diffId ? 'auto' : null,
        });
      }
    }
  }

  private async descend(descriptor: Descriptor, depth: number, refer: boolean): Promise<void> {
    this.signal?.throwIfAborted();
    const { digest } = descriptor;
    const index = isIndexType(descriptor.mediaType);
    const platform = this.platformOf(descriptor);
    const label = index
      ? `index ${digest}`
      : `manifest ${digest}${platform ? ` (${platform})` : ''}`;
    if (refer) this.add(oci(descriptor, label));
    if (this.walked.has(digest) || depth > MAX_INDEX_DEPTH) return;
    this.walked.add(digest);
    const doc = asObject(await this.readJson(blobPath(digest)));
    if (!doc) return;
    if (index || Array.isArray(doc.manifests)) {
      for (const [i, d] of (asArray(doc.manifests) ?? []).entries()) {
        const child = parseDescriptor(d, `index ${digest} manifests[${i}]`, []);
        if (child) await this.descend(child, depth + 1, true);
      }
      return;
    }
    const of = platform && platform !== 'attestation' ? platform : `manifest ${digest}`;
    const config = doc.config === undefined ? null : parseDescriptor(doc.config, '', []);
    const image = !!config && isImageConfigType(config.mediaType) && !asString(doc.artifactType);
    if (config) this.add(oci(config, `config ${config.digest} of ${of}`));
    const diffIds = image
      ? parseImageConfig(await this.readJson(blobPath(config.digest))).diffIds
      : [];
    for (const [i, d] of (asArray(doc.layers) ?? []).entries()) {
      const layer = parseDescriptor(d, '', []);
      if (!layer) continue;
      const diffId = diffIds[i] ?? null;
      this.add({
        ...oci(layer, `layer ${i + 1} ${layer.digest} of ${of}`),
        diffId,
        decode: diffId ? decodingOf(layer.mediaType) : null,
        foreign: /foreign|nondistributable/.test(layer.mediaType ?? ''),
      });
    }
  }

  private add(reference: Reference): void {
    this.references.push(reference);
  }

  /** Returns `linux/amd64` or `attestation` for a manifest, from its descriptor or the
   * report; null when neither says. */
  private platformOf(descriptor: Descriptor): string | null {
    const m = this.manifests.get(descriptor.digest);
    if (m?.kind === 'attestation') return 'attestation';
    const p = descriptor.platform?.os ? descriptor.platform : m?.platform;
    return (p && platformPath(p)) || null;
  }

  private refOf(imageId: string | null): string | null {
    for (const image of this.report.images)
      if (image.manifests.some((m) => m.digest === null && m.imageId === imageId)) return image.ref;
    return null;
  }

  /** Returns the parsed JSON of an entry, or null where it is missing, too large or not JSON
   * (the report has already said so). */
  private async readJson(name: string): Promise<unknown> {
    const entry = this.archive.lookup(name);
    if (!entry || entry.type !== 'file' || entry.size > MAX_JSON_BYTES) return null;
    try {
      return JSON.parse(decoder.decode(await this.archive.read(entry, MAX_JSON_BYTES)));
    } catch {
      return null;
    }
  }
}

/** Returns `linux/arm64/v8`, or '' when the platform names no os. */
function platformPath(p: Platform): string {
  return p.os ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : '';
}

/** Returns the reference a descriptor makes. */
function oci(descriptor: Descriptor, what: string): Reference {
  const { digest, size } = descriptor;
  const base = { diffId: null, decode: null, foreign: false };
  return { target: digest, path: blobPath(digest), what, digest, size, ...base };
}

/** Returns the reference a path in manifest.json makes. */
function legacy(path: string): Omit<Reference, 'what'> {
  const base = { diffId: null, decode: null, foreign: false };
  return { target: path, path, digest: null, size: null, ...base };
}

/** Returns how a layer of this media type is decoded: as it declares, as itself when it is no
 * tar at all (in-toto statements), else by its first bytes. */
function decodingOf(mediaType: string | null): Decoding {
  const declared = compressionOfType(mediaType);
  if (declared && declared !== 'unknown') return declared;
  if (mediaType && !/tar/.test(mediaType)) return 'none';
  return 'auto';
}
