/** Hostile archives shared by the Node and the page tests: each tries to make the verifier
 * vouch for what it did not check, or to run the reader out of time and memory. */
import {
  type Blob,
  GZIP_LAYER,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_MANIFEST,
  blob,
  descriptor,
  gzipLayer,
} from './oci.ts';
import { type TarSpec, sha256, writeTar } from './tar.ts';

export { GZIP_LAYER, OCI_CONFIG, OCI_INDEX, OCI_MANIFEST, descriptor } from './oci.ts';
export const entry = (b: Blob): TarSpec => ({
  name: `blobs/sha256/${b.digest.slice(7)}`,
  data: b.bytes,
});
export const layout: TarSpec = { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' };

/** An image: one gzip layer, its config (with `diffId` as the config's diff_id) and manifest. */
export function image(
  options: { diffId?: string; manifestExtra?: object; layerSize?: number } = {},
) {
  const { layer, diffId } = gzipLayer('hello.txt', 'hello\n');
  const config = blob({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [options.diffId ?? diffId] },
  });
  const manifest = blob({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: descriptor(OCI_CONFIG, config),
    layers: [descriptor(GZIP_LAYER, layer, options.layerSize ? { size: options.layerSize } : {})],
    ...options.manifestExtra,
  });
  return { layer, config, manifest, blobs: [layer, config, manifest] };
}

/** An index of two platforms whose arm64 manifest the archive does not hold. */
export function partialSave(): Uint8Array {
  const amd64 = image();
  const arm64 = image({ diffId: sha256('arm64') });
  const index = blob({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      descriptor(OCI_MANIFEST, amd64.manifest, {
        platform: { os: 'linux', architecture: 'amd64' },
      }),
      descriptor(OCI_MANIFEST, arm64.manifest, {
        platform: { os: 'linux', architecture: 'arm64' },
      }),
    ],
  });
  return writeTar([
    layout,
    ...[...amd64.blobs, index].map(entry),
    {
      name: 'index.json',
      data: JSON.stringify({ schemaVersion: 2, manifests: [descriptor(OCI_INDEX, index)] }),
    },
  ]);
}

/** An index `width` wide and `depth` deep, each level listing the one below `width` times:
 * width^depth leaves in a few kilobytes. */
export function fanOut(width: number, depth: number): Uint8Array {
  const img = image();
  let top: Blob = img.manifest;
  let type = OCI_MANIFEST;
  const blobs: Blob[] = [...img.blobs];
  for (let level = 0; level < depth; level++) {
    const index = blob({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: Array.from({ length: width }, () => descriptor(type, top)),
    });
    blobs.push(index);
    top = index;
    type = OCI_INDEX;
  }
  return writeTar([
    layout,
    ...blobs.map(entry),
    {
      name: 'index.json',
      data: JSON.stringify({ schemaVersion: 2, manifests: [descriptor(OCI_INDEX, top)] }),
    },
  ]);
}

/** A manifest that also carries a `manifests` key, whose config's diff_id is wrong: a walker
 * that takes it for an index never checks the layer. */
export function manifestReadTwoWays(): Uint8Array {
  const img = image({ diffId: sha256('not the layer'), manifestExtra: { manifests: [] } });
  const index = { schemaVersion: 2, manifests: [descriptor(OCI_MANIFEST, img.manifest)] };
  return writeTar([
    layout,
    ...img.blobs.map(entry),
    { name: 'index.json', data: JSON.stringify(index) },
  ]);
}

/** An amd64 image that an index lists as linux/arm64: a runtime choosing by the index would
 * pull bytes whose config says another platform, so the archive is not one image for every
 * reader and must never be "verified". */
export function platformMismatch(): { bytes: Uint8Array; manifestDigest: string } {
  const img = image();
  const listed = descriptor(OCI_MANIFEST, img.manifest, {
    platform: { os: 'linux', architecture: 'arm64' },
    annotations: { 'org.opencontainers.image.ref.name': 'mismatch' },
  });
  const bytes = writeTar([
    layout,
    ...img.blobs.map(entry),
    { name: 'index.json', data: JSON.stringify({ schemaVersion: 2, manifests: [listed] }) },
  ]);
  return { bytes, manifestDigest: img.manifest.digest };
}

/** An OCI manifest listing one small layer `count` times (and its config as many diff_ids): a
 * reader that walks them all does `count` times the work the archive's size pays for. */
export function manyLayers(count: number): { bytes: Uint8Array; manifestDigest: string } {
  const { layer, diffId } = gzipLayer('hello.txt', 'hello\n');
  const config = blob({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: Array.from({ length: count }, () => diffId) },
  });
  const manifest = blob({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: descriptor(OCI_CONFIG, config),
    layers: Array.from({ length: count }, () => descriptor(GZIP_LAYER, layer)),
  });
  const index = {
    schemaVersion: 2,
    manifests: [
      descriptor(OCI_MANIFEST, manifest, {
        annotations: { 'org.opencontainers.image.ref.name': 'many-layers' },
      }),
    ],
  };
  const bytes = writeTar([
    layout,
    ...[layer, config, manifest].map(entry),
    { name: 'index.json', data: JSON.stringify(index) },
  ]);
  return { bytes, manifestDigest: manifest.digest };
}

/** A legacy `docker save` whose manifest.json lists one layer.tar `count` times (and whose
 * config has as many diff_ids): the same attack as manyLayers on the other reader. */
export function dockerSaveManyLayers(count: number): { bytes: Uint8Array; configName: string } {
  const layerTar = writeTar([{ name: 'hello.txt', data: 'hello\n' }]);
  const diffId = sha256(layerTar);
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: Array.from({ length: count }, () => diffId) },
  });
  const configName = `${sha256(config).slice(7)}.json`;
  const manifest = [
    {
      Config: configName,
      RepoTags: ['many-layers:legacy'],
      Layers: Array.from({ length: count }, () => 'l0/layer.tar'),
    },
  ];
  const bytes = writeTar([
    { name: configName, data: config },
    { name: 'l0/layer.tar', data: layerTar },
    { name: 'manifest.json', data: JSON.stringify(manifest) },
  ]);
  return { bytes, configName };
}

/** A pax extended header record setting `key` to `value` (for the entry that follows). */
export function pax(key: string, value: string): TarSpec {
  const body = (len: number) => `${len} ${key}=${value}\n`;
  let len = new TextEncoder().encode(body(0)).length - 1;
  while (new TextEncoder().encode(body(len)).length !== len) len++;
  return { name: 'PaxHeader', type: 'x', data: body(len) };
}

/** A legacy `docker save` of one image (`tag`) holding the given uncompressed layers. */
export function legacySave(tag: string, layers: Uint8Array[]): Uint8Array {
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l)) },
    history: layers.map((_, i) => ({ created_by: `hostile layer ${i + 1}` })),
  });
  const configName = `${sha256(config).slice(7)}.json`;
  return writeTar([
    { name: configName, data: config },
    ...layers.map((l, i) => ({ name: `l${i}/layer.tar`, data: l })),
    {
      name: 'manifest.json',
      data: JSON.stringify([
        { Config: configName, RepoTags: [tag], Layers: layers.map((_, i) => `l${i}/layer.tar`) },
      ]),
    },
  ]);
}
