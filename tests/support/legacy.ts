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
