/**
 * The report model: one object that the Markdown and JSON renderers, the app and the CLI
 * all read. Field names follow the `stevedore.report/v1` JSON schema in DESIGN.md.
 * Absent values are `null`, never `undefined`, so that the JSON export is complete.
 */

import type { Compression, Digest, ManifestKind, Platform, SourceFormat } from '../oci/model.ts';
export type { Compression, Digest, ManifestKind, Platform, SourceFormat } from '../oci/model.ts';

export interface HistoryEntry {
  /** RFC 3339 timestamp as the config wrote it. */
  created: string | null;
  createdBy: string | null;
  emptyLayer: boolean;
  /** The Dockerfile line(s) reconstructed from `createdBy` (repo-info rules). */
  dockerfile: string;
}

export interface LayerReport {
  digest: Digest | null;
  size: number | null;
  mediaType: string | null;
  /** The config's `rootfs.diff_ids[i]`; null where the config has none. */
  diffId: Digest | null;
  compression: Compression | null;
  /** The layer descriptor's annotations, where it has any (an attestation's in-toto predicate
   * type). In memory only: the JSON export (`stevedore.report/v1`) leaves them out. */
  annotations?: Record<string, string>;
}

export interface ManifestReport {
  platform: Platform;
  /** repo-info's spelling: `linux; arm64 variant v8`, `windows version 10.0.17763.1518; amd64`. */
  platformString: string;
  kind: ManifestKind;
  /** False for a platform an index lists but the archive does not hold (a partial save, as
   * Docker's containerd store and `ctr export` write): only its descriptor is known. */
  included: boolean;
  /** For an attestation: the digest of the manifest it is about. */
  subject: Digest | null;
  /** Null for a legacy `docker save`, which has no manifests. */
  digest: Digest | null;
  mediaType: string | null;
  size: number | null;
  dockerVersion: string | null;
  /** Sum of the layer sizes, config excluded. */
  totalSize: number;
  imageId: Digest | null;
  created: string | null;
  entrypoint: string[] | null;
  cmd: string[] | null;
  shell: string[] | null;
  env: string[] | null;
  labels: Record<string, string> | null;
  user: string | null;
  exposedPorts: string[] | null;
  workingDir: string | null;
  history: HistoryEntry[];
  layers: LayerReport[];
}

export interface ImageReport {
  /** What the image is called in headings: `python:3-alpine3.9`. */
  ref: string;
  /** The repository part of `ref`, used in `docker pull name@digest`; null when the archive
   * names no image (then `ref` is the file name's stem). */
  name: string | null;
  /** The top-level index / manifest list; null where the reference names a single manifest. */
  digest: Digest | null;
  mediaType: string | null;
  manifests: ManifestReport[];
}

export interface SourceInfo {
  name: string;
  size: number;
  format: SourceFormat;
  compression: 'none' | 'gzip';
}

/** `layer-path` and `consistency` are ours, beyond DESIGN.md's list: `consistency` fails where another
 * reader could see a different image (two manifest.json, layouts that disagree, a document read
 * two ways); `layer-path`: a layer whose entries would land outside
 * its root when unpacked (`../`, absolute names, escaping symlinks). */
export type CheckKind =
  'blob-digest' | 'blob-size' | 'diff-id' | 'reference' | 'name' | 'layer-path' | 'consistency';

export interface Check {
  kind: CheckKind;
  /** What was checked: an entry name or a digest. */
  target: string;
  expected: string | null;
  actual: string | null;
  ok: boolean;
  message: string;
}

export interface Verification {
  status: 'ok' | 'failed' | 'partial' | 'not-run';
  checks: Check[];
}

export type { Problem } from '../errors.ts';
import type { Problem } from '../errors.ts';

export interface Report {
  schema: 'stevedore.report/v1';
  source: SourceInfo;
  images: ImageReport[];
  verification: Verification;
  /** Not in DESIGN.md's schema: what could not be read, so that exports carry it too. */
  problems: Problem[];
}
