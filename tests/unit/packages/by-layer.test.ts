/** packagesByLayer: the readers run only on layers that may change a database (a kept package
 * file, a whiteout, a symlink at or above a package path), and each package goes to the first
 * layer of its final version's last unbroken run. */
import { expect, it } from 'vitest';
import { ListingScanner } from '../../../src/lib/layers/listing-scanner.ts';
import { mergeLayers } from '../../../src/lib/layers/merge.ts';
import { packagesByLayer } from '../../../src/lib/packages/by-layer.ts';
import { packageFileLimit } from '../../../src/lib/packages/paths.ts';
import { type TarSpec, writeTar } from '../../support/tar.ts';

async function layered(...layers: TarSpec[][]) {
  const reads = await Promise.all(
    layers.map(async (entries) => {
      const scanner = await ListingScanner.create({
        rule: packageFileLimit,
        bounds: { maxBytes: 1 << 20, maxFiles: 100 },
      });
      scanner.push(writeTar(entries));
      const kept = scanner.kept();
      return { listing: scanner.finish(), kept };
    }),
  );
  return packagesByLayer(
    mergeLayers(reads.map((r) => r.listing)),
    reads.map((r) => r.kept),
  );
}

const apk = (...pkgs: [string, string][]) =>
  pkgs.map(([n, v]) => `P:${n}\nV:${v}\nA:x86_64\n\n`).join('');
const DB = 'lib/apk/db/installed';

it('reads only the layers that may change a database, and attributes by final version', async () => {
  const found = await layered(
    [{ name: DB, data: apk(['a', '1'], ['b', '1']) }],
    [
      { name: 'usr/bin/x', type: '2', linkName: 'y' },
      { name: 'etc/hosts', data: '' },
    ],
    [{ name: 'etc/os-release', type: '2', linkName: '../usr/lib/os-release' }],
    [{ name: DB, data: apk(['a', '2']) }],
    [{ name: DB, data: apk(['a', '2'], ['b', '1']) }],
    [{ name: 'tmp/.wh.x' }],
  );
  expect(found.layersRead).toEqual([0, 2, 3, 4, 5]);
  expect(found.records.map((r) => [r.name, r.version, r.layer])).toEqual([
    ['a', '2', 3],
    ['b', '1', 4], // removed in layer 3, added back in layer 4
  ]);
  expect(found.problems).toEqual([]);
});

it('a database deleted by the top layer leaves no package', async () => {
  const found = await layered(
    [{ name: DB, data: apk(['a', '1']) }],
    [{ name: 'lib/apk/db/.wh.installed' }],
  );
  expect(found.records).toEqual([]);
  expect(found.found.apk).toBeNull();
});
