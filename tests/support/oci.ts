import { gzipSync } from 'node:zlib';
import { type TarSpec, sha256, writeTar } from './tar.ts';

/** A blob to place under blobs/sha256 and the descriptor that names it. */
export interface Blob {
  digest: string;
  size: number;
  bytes: Uint8Array;
}

const encoder = new TextEncoder();

/** Returns a blob of JSON (as written, compact) or raw bytes. */
export function blob(content: unknown): Blob {
  const bytes = content instanceof Uint8Array ? content : encoder.encode(JSON.stringify(content));
  return { digest: sha256(bytes), size: bytes.length, bytes };
}

/** Returns a gzip'd layer tar holding one file, and its diff_id. */
export function gzipLayer(fileName: string, text: string): { layer: Blob; diffId: string } {
  const tar = writeTar([{ name: fileName, data: text }]);
  return { layer: blob(gzipSync(tar)), diffId: sha256(tar) };
}

/** Returns a single-platform OCI archive: config + one gzip layer, named by `ref`; `config`
 * fields are merged into a minimal valid image config. */
export function ociArchive(options: {
  ref?: string;
  config?: Record<string, unknown>;
  annotations?: Record<string, string>;
  extra?: TarSpec[];
  /** The one layer (default: a gzip layer of hello.txt) and its media type. */
  layer?: { layer: Blob; diffId: string; mediaType: string };
}): Uint8Array {
  const { layer, diffId } = options.layer ?? gzipLayer('hello.txt', 'hello\n');
  const layerType = options.layer?.mediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip';
  const config = blob({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [diffId] },
    ...options.config,
  });
  const manifest = blob({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: config.digest,
      size: config.size,
    },
    layers: [
      {
        mediaType: layerType,
        digest: layer.digest,
        size: layer.size,
      },
    ],
  });
  const index = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: manifest.digest,
        size: manifest.size,
        annotations: {
          'org.opencontainers.image.ref.name': options.ref ?? 'latest',
          ...options.annotations,
        },
      },
    ],
  };
  return writeTar([
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    ...[config, manifest, layer].map((b) => ({
      name: `blobs/sha256/${b.digest.slice(7)}`,
      data: b.bytes,
    })),
    ...(options.extra ?? []),
    { name: 'index.json', data: JSON.stringify(index) },
  ]);
}

/** The predicate types `buildkitArchive` attests, in its layers' order. */
export const BUILDKIT_PREDICATES = [
  'https://spdx.dev/Document',
  'https://slsa.dev/provenance/v0.2',
  'https://example.com/vuln-scan/v1',
] as const;

/** Returns an OCI archive laid out as BuildKit stores attestations
 * (docs/attestations/attestation-storage.md): an index with a linux/amd64 image and an
 * attestation manifest (platform unknown/unknown, `vnd.docker.reference.type:
 * attestation-manifest`) whose layers are in-toto statements, each annotated
 * `in-toto.io/predicate-type`: an SPDX SBOM, SLSA provenance v0.2 and a type of no known name. */
export function buildkitArchive(ref = 'latest'): Uint8Array {
  const { layer, diffId } = gzipLayer('hello.txt', 'hello\n');
  const config = blob({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [diffId] },
  });
  const manifest = blob({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...ref_(config) },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...ref_(layer) }],
  });
  const statements = BUILDKIT_PREDICATES.map((predicateType) =>
    blob({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType,
      subject: [
        { name: 'pkg:docker/example@latest', digest: { sha256: manifest.digest.slice(7) } },
      ],
      predicate: {},
    }),
  );
  const attConfig = blob({
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: statements.map((s) => s.digest) },
  });
  const attManifest = blob({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...ref_(attConfig) },
    layers: statements.map((s, i) => ({
      mediaType: 'application/vnd.in-toto+json',
      ...ref_(s),
      annotations: { 'in-toto.io/predicate-type': BUILDKIT_PREDICATES[i]! },
    })),
  });
  const index = blob({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        ...ref_(manifest),
        platform: { architecture: 'amd64', os: 'linux' },
      },
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        ...ref_(attManifest),
        platform: { architecture: 'unknown', os: 'unknown' },
        annotations: {
          'vnd.docker.reference.digest': manifest.digest,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
      },
    ],
  });
  const top = {
    schemaVersion: 2,
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.index.v1+json',
        ...ref_(index),
        annotations: { 'org.opencontainers.image.ref.name': ref },
      },
    ],
  };
  return writeTar([
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    ...[layer, config, manifest, ...statements, attConfig, attManifest, index].map((b) => ({
      name: `blobs/sha256/${b.digest.slice(7)}`,
      data: b.bytes,
    })),
    { name: 'index.json', data: JSON.stringify(top) },
  ]);
}

/** A descriptor's digest and size. */
function ref_(b: Blob): { digest: string; size: number } {
  return { digest: b.digest, size: b.size };
}
