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

/** Media types of the OCI image spec that the builders here write. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const GZIP_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** Returns the descriptor of `b` as `mediaType`, with `more` fields after its size. */
export function descriptor(mediaType: string, b: Blob, more: Record<string, unknown> = {}) {
  return { mediaType, digest: b.digest, size: b.size, ...more };
}

/** Returns the blob of an OCI image manifest of `config` and the `layers` descriptors. */
export function imageManifest(config: Blob, layers: Record<string, unknown>[]): Blob {
  return blob({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: descriptor(OCI_CONFIG, config),
    layers,
  });
}

/** Returns an OCI layout as a tar: oci-layout, each of `blobs` once (in order) under
 * blobs/sha256, `extra` entries, then an index.json of the `manifests` descriptors. */
export function ociLayout(
  blobs: Blob[],
  manifests: Record<string, unknown>[],
  extra: TarSpec[] = [],
): Uint8Array {
  const unique = new Map(blobs.map((b) => [b.digest, b]));
  return writeTar([
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    ...[...unique.values()].map((b) => ({
      name: `blobs/sha256/${b.digest.slice(7)}`,
      data: b.bytes,
    })),
    ...extra,
    { name: 'index.json', data: JSON.stringify({ schemaVersion: 2, manifests }) },
  ]);
}

/** Returns the annotations that name an index.json entry `ref`, and `more`. */
export const refName = (ref: string, more: Record<string, string> = {}) => ({
  annotations: { 'org.opencontainers.image.ref.name': ref, ...more },
});

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
  const layerType = options.layer?.mediaType ?? GZIP_LAYER;
  const config = blob({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [diffId] },
    ...options.config,
  });
  const manifest = imageManifest(config, [descriptor(layerType, layer)]);
  return ociLayout(
    [config, manifest, layer],
    [descriptor(OCI_MANIFEST, manifest, refName(options.ref ?? 'latest', options.annotations))],
    options.extra,
  );
}

/** The predicate types `buildkitArchive` attests, in its layers' order. */
export const BUILDKIT_PREDICATES = [
  'https://spdx.dev/Document',
  'https://slsa.dev/provenance/v0.2',
  'https://example.com/vuln-scan/v1',
] as const;

/** An in-toto statement for `buildkitImage`: its predicate type (the layer's annotation) and
 * the statement itself, as JSON or as bytes. */
export interface AttestedStatement {
  predicateType: string;
  statement: unknown;
}

/** Returns an OCI archive laid out as BuildKit stores attestations
 * (docs/attestations/attestation-storage.md), and the blobs a test names: an index with a
 * linux/amd64 image and an attestation manifest (platform unknown/unknown,
 * `vnd.docker.reference.type: attestation-manifest`) whose layers are in-toto statements, each
 * annotated `in-toto.io/predicate-type`. By default: one gzip layer of hello.txt, and
 * statements of an SPDX SBOM, SLSA provenance v0.2 and a type of no known name
 * (BUILDKIT_PREDICATES), each with an empty predicate. `statements` gets the image manifest's
 * digest (hex) to name as the subject. */
export function buildkitImage(
  options: {
    ref?: string;
    /** Fields merged into the image's minimal config. */
    config?: Record<string, unknown>;
    layer?: { layer: Blob; diffId: string };
    statements?: (subject: string) => AttestedStatement[];
  } = {},
): { archive: Uint8Array; manifest: Blob; attestation: Blob; statements: Blob[] } {
  const { layer, diffId } = options.layer ?? gzipLayer('hello.txt', 'hello\n');
  const config = blob({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [diffId] },
    ...options.config,
  });
  const manifest = imageManifest(config, [descriptor(GZIP_LAYER, layer)]);
  const attested = (options.statements ?? emptyStatements)(manifest.digest.slice(7));
  const statements = attested.map((a) => blob(a.statement));
  const attConfig = blob({
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: statements.map((s) => s.digest) },
  });
  const attestation = imageManifest(
    attConfig,
    statements.map((s, i) =>
      descriptor('application/vnd.in-toto+json', s, {
        annotations: { 'in-toto.io/predicate-type': attested[i]!.predicateType },
      }),
    ),
  );
  const index = blob({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      descriptor(OCI_MANIFEST, manifest, { platform: { architecture: 'amd64', os: 'linux' } }),
      descriptor(OCI_MANIFEST, attestation, {
        platform: { architecture: 'unknown', os: 'unknown' },
        annotations: {
          'vnd.docker.reference.digest': manifest.digest,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
      }),
    ],
  });
  const archive = ociLayout(
    [layer, config, manifest, ...statements, attConfig, attestation, index],
    [descriptor(OCI_INDEX, index, refName(options.ref ?? 'latest'))],
  );
  return { archive, manifest, attestation, statements };
}

/** BuildKit-style statements of each of BUILDKIT_PREDICATES, about `subject`, with nothing in
 * their predicates. */
function emptyStatements(subject: string): AttestedStatement[] {
  return BUILDKIT_PREDICATES.map((predicateType) => ({
    predicateType,
    statement: {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType,
      subject: [{ name: 'pkg:docker/example@latest', digest: { sha256: subject } }],
      predicate: {},
    },
  }));
}

/** Returns the archive of `buildkitImage()`: an image with its BuildKit attestation manifest. */
export function buildkitArchive(): Uint8Array {
  return buildkitImage().archive;
}
