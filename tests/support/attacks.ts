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
