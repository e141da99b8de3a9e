/**
 * The image model: the spec's nouns, read once per archive by the layout readers and then only
 * read by everything else. The report and the verification plan are both views of it, so they
 * cannot see different images. Absent values are null.
 */
import type { ArchiveEntry } from '../archive/archive.ts';
import type { Problem } from '../errors.ts';

/** A digest string, `sha256:<64 lowercase hex>` (or another algorithm's, checked by form);
 * validated where it is parsed (`parseDigest`). */
export type Digest = string;

/** An image's platform, from its descriptor or else its config. */
export interface Platform {
  os: string | null;
  architecture: string | null;
  variant: string | null;
  osVersion: string | null;
  osFeatures: string[] | null;
  /** The manifest list's old `platform.features` (descriptors only; repo-info prints it). */
  features?: string[] | null;
}

/** How a layer's bytes are compressed. */
export type Compression = 'none' | 'gzip' | 'zstd' | 'unknown';

/** An OCI content descriptor, validated. */
export interface Descriptor {
  mediaType: string | null;
  digest: Digest;
  size: number;
  platform: Platform | null;
  annotations: Record<string, string>;
  artifactType: string | null;
}

/** One step of a config's history. */
export interface History {
  created: string | null;
  createdBy: string | null;
  emptyLayer: boolean;
}

/** What an image configuration says (OCI or Docker), tolerant of gaps. */
export interface Config {
  platform: Platform;
  dockerVersion: string | null;
  created: string | null;
  entrypoint: string[] | null;
  cmd: string[] | null;
  shell: string[] | null;
  env: string[] | null;
  labels: Record<string, string> | null;
  user: string | null;
  exposedPorts: string[] | null;
  workingDir: string | null;
  history: History[];
  /** `rootfs.diff_ids`, invalid ones as null. */
  diffIds: (Digest | null)[];
}

/** Where a document names a blob: by descriptor (OCI) or by path (manifest.json). */
export interface BlobRef {
  /** The descriptor; null for a path that manifest.json gives. */
  descriptor: Descriptor | null;
  /** The entry name the blob must have: `blobs/sha256/<hex>`, or manifest.json's path. */
  path: string;
  /** The regular-file entry the path leads to (links followed); null where there is none. */
  entry: ArchiveEntry | null;
}

/** One layer of a manifest. */
export interface Layer extends BlobRef {
  /** The digest shown: the descriptor's; for a legacy layer its file name's, or its diff_id
   * when it is stored uncompressed; else null until verification hashes it. */
  digest: Digest | null;
  /** Bytes: the descriptor's, or the legacy file's length. */
  size: number | null;
  mediaType: string | null;
  /** The config's `rootfs.diff_ids[i]`; null where there is none (artifacts too). */
  diffId: Digest | null;
  compression: Compression | null;
  /** A foreign / non-distributable layer, which registries serve from elsewhere. */
  foreign: boolean;
  /** The descriptor's annotations (BuildKit's `in-toto.io/predicate-type` on an attestation's
   * layers); absent where the layer has no descriptor or none. */
  annotations?: Record<string, string>;
}

export type ManifestKind = 'image' | 'attestation' | 'artifact';

/** An image manifest, or the manifest-less image of a legacy `docker save`. */
export interface Manifest {
  type: 'manifest';
  /** The manifest document; null for a legacy save, which has none. */
  blob: BlobRef | null;
  /** False when an index lists it but the archive does not hold it (a partial save). */
  included: boolean;
  /** False for a manifest found among the blobs rather than listed (Docker 25 saves). */
  listed: boolean;
  mediaType: string | null;
  kind: ManifestKind;
  /** For an attestation or referrer: the digest of the manifest it is about. */
  subject: Digest | null;
  platform: Platform;
  /** The config blob; null where the manifest names none. */
  configBlob: BlobRef | null;
  /** The parsed config (empty for artifacts and unreadable configs). */
  config: Config;
  /** Bytes of config JSON behind `config` (what showing it costs). */
  configBytes: number;
  /** The config's digest (image ID). */
  imageId: Digest | null;
  layers: Layer[];
}

/** An image index or Docker manifest list. */
export interface ImageIndex {
  type: 'index';
  blob: BlobRef;
  mediaType: string | null;
  children: (ImageIndex | Manifest)[];
}

/** One image reference of the archive (a tag, an index.json entry, a manifest.json item). */
export interface Image {
  /** What the image is called in headings: `python:3-alpine3.9`, or the file stem. */
  ref: string;
  /** The repository, for `docker pull`; null when the archive names no image. */
  name: string | null;
  /** The top-level document: an index, a manifest, or a legacy image. */
  root: ImageIndex | Manifest;
  /** Every manifest under the root, in document order (indexes flattened). */
  manifests: Manifest[];
}

export type SourceFormat = 'docker-save' | 'oci-layout' | 'docker-save+oci';

/** Everything an archive holds, as read once. */
export interface ImageArchive {
  format: SourceFormat;
  images: Image[];
  /** What could not be read or does not add up; the archive's own problems come first. */
  problems: Problem[];
  /** Problems meaning that another reader could see a different image (two manifest.json,
   * layouts that disagree, documents read two ways): verification can never be ok with them. */
  ambiguities: Problem[];
}

/** Returns every index under a root, the root first, in document order. */
export function indexesOf(root: ImageIndex | Manifest): ImageIndex[] {
  if (root.type === 'manifest') return [];
  return [root, ...root.children.flatMap(indexesOf)];
}
