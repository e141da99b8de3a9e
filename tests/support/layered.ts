import { OCI_MANIFEST, blob, descriptor, imageManifest, ociLayout, refName } from './oci.ts';
import { type TarSpec, sha256, writeTar } from './tar.ts';

/** Returns an OCI archive (linux/amd64, named `latest`) whose uncompressed layers hold
 * `layers`' entries, lowest first, with one history step per layer. */
export function layeredArchive(layers: TarSpec[][]): Uint8Array {
  const tars = layers.map((entries) => writeTar(entries));
  const blobs = tars.map((t) => blob(t));
  const config = blob({
    architecture: 'amd64',
    os: 'linux',
    created: '2023-11-14T22:13:20Z',
    config: { Env: ['PATH=/usr/bin:/bin'] },
    rootfs: { type: 'layers', diff_ids: tars.map((t) => sha256(t)) },
    history: tars.map((_, i) => ({ created_by: `layer ${i + 1}` })),
  });
  const manifest = imageManifest(
    config,
    blobs.map((b) => descriptor('application/vnd.oci.image.layer.v1.tar', b)),
  );
  return ociLayout(
    [config, manifest, ...blobs],
    [descriptor(OCI_MANIFEST, manifest, refName('latest'))],
  );
}

/** Returns apk `installed` text of packages given as [name, version]. */
export function apkInstalled(...pkgs: [string, string][]): string {
  return pkgs.map(([n, v]) => `P:${n}\nV:${v}\nA:x86_64\nL:MIT\nI:4096\no:${n}\n\n`).join('');
}

/** An archive with an apk database and a corrupt rpm one (4 KiB of 0x5a), in one layer. */
export function corruptRpmArchive(): Uint8Array {
  return layeredArchive([
    [
      { name: 'etc/os-release', data: 'ID=alpine\nPRETTY_NAME="Alpine Linux v3.18"\n' },
      { name: 'lib/apk/db/installed', data: apkInstalled(['musl', '1.2.4-r0']) },
      { name: 'var/lib/rpm/Packages', data: new Uint8Array(4096).fill(0x5a) },
    ],
  ]);
}
