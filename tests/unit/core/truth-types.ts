/**
 * Shapes of the hand-computed ground truth in truth-docker.ts and truth-oci.ts.
 *
 * Conventions (DESIGN.md and the naming rules): `ref` is the io.containerd.image.name annotation
 * (docker.io/library/ dropped), else the first RepoTags entry, else
 * org.opencontainers.image.ref.name (a bare tag joined to the file stem), else the file stem.
 * Legacy `docker save`: layer digest = sha256 of the stored file (symlinks followed), size = its
 * length, manifest digest null, imageId = sha256 of the config file (= its name). Docker 25
 * saves: the OCI manifest blob that names the config. Layer tuples are
 * [digest, size, diffId, compression]; compression is null for blobs that are not tar layers
 * (artifact payloads), diffId null for artifacts.
 */
import type { ManifestKind } from '../../../src/lib/report/model.ts';

export type TrueLayer = [string, number, string | null, 'none' | 'gzip' | 'zstd' | null];

export interface TrueManifest {
  platform: string;
  kind: ManifestKind;
  digest: string | null;
  mediaType: string | null;
  imageId: string;
  totalSize: number;
  layers: TrueLayer[];
}

export interface TrueImage {
  ref: string;
  digest: string | null;
  mediaType: string | null;
  manifests: TrueManifest[];
}

export interface TrueArchive {
  /** Number of images (one per index.json entry / manifest.json item). */
  count: number;
  /** Images checked in full, by position in the report. */
  images: Record<number, TrueImage>;
}
