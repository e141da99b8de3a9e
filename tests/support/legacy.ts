/** Legacy `docker save` archives (manifest.json, no OCI layout) built for a test. */
import { gzipSync } from 'node:zlib';
import { sha256, writeTar } from './tar.ts';

/** Returns a legacy save of `x:1` whose one `abc/layer.tar` is gzip-compressed (hello.txt):
 * no name or diff_id gives that layer's digest, only hashing it does; and the layer's bytes. */
export function gzipLegacySave(): { archive: Uint8Array; layer: Uint8Array } {
  const tar = writeTar([{ name: 'hello.txt', data: 'hello\n' }]);
  const layer = new Uint8Array(gzipSync(tar));
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
  });
  const configName = `${sha256(config).slice(7)}.json`;
  const archive = writeTar([
    { name: configName, data: config },
    { name: 'abc/layer.tar', data: layer },
    {
      name: 'manifest.json',
      data: JSON.stringify([{ Config: configName, RepoTags: ['x:1'], Layers: ['abc/layer.tar'] }]),
    },
  ]);
  return { archive, layer };
}

/** Returns `n` pseudo-random bytes (xorshift32 from `seed`: the same for the same seed). */
export function noise(n: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Returns a legacy save of `x:1` whose layers are `l<i>/layer.tar`, each an uncompressed tar
 * of one file `f<i>` holding `files[i]`; the config's diff_ids are the layers' own digests,
 * except where `diffIds` gives one. */
export function legacySave(files: Uint8Array[], diffIds: (string | undefined)[] = []): Uint8Array {
  const layers = files.map((data, i) => writeTar([{ name: `f${i}`, data }]));
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: layers.map((l, i) => diffIds[i] ?? sha256(l)) },
  });
  const configName = `${sha256(config).slice(7)}.json`;
  const names = layers.map((_, i) => `l${i}/layer.tar`);
  return writeTar([
    { name: configName, data: config },
    ...layers.map((data, i) => ({ name: names[i]!, data })),
    {
      name: 'manifest.json',
      data: JSON.stringify([{ Config: configName, RepoTags: ['x:1'], Layers: names }]),
    },
  ]);
}
