/**
 * Files of the merged filesystem as the package readers see them: bytes kept by the layer read
 * (bounded: a file over its limit, over the layer's total, or cut short is dropped with its
 * reason), the layer that last wrote a path, whiteouts and opaque markers applied, symlinks
 * followed inside the root (absolute ones from the root, `..` stopping there, loops ending).
 */
import { describe, expect, it } from 'vitest';
import type { KeepRule, KeptFiles } from '../../../src/lib/layers/kept-files.ts';
import type { LayerListing } from '../../../src/lib/layers/listing.ts';
import { ListingScanner } from '../../../src/lib/layers/listing-scanner.ts';
import { mergeLayers } from '../../../src/lib/layers/merge.ts';
import { mergedFiles } from '../../../src/lib/layers/merged-files.ts';
import { affectsPackageFiles, packageFileLimit } from '../../../src/lib/packages/paths.ts';
import { pax } from '../../support/attacks.ts';
import { type TarSpec, writeTar } from '../../support/tar.ts';

const text = new TextDecoder();
const BIG = { maxBytes: 1 << 20, maxFiles: 100 };

/** Returns the listing and kept files of a layer read with a rule. */
async function read(
  entries: TarSpec[] | Uint8Array,
  rule: KeepRule = packageFileLimit,
  bounds = BIG,
): Promise<{ listing: LayerListing; kept: KeptFiles }> {
  const scanner = await ListingScanner.create({ rule, bounds });
  scanner.push(entries instanceof Uint8Array ? entries : writeTar(entries));
  const kept = scanner.kept()!;
  return { listing: scanner.finish(), kept };
}

async function image(...layers: TarSpec[][]) {
  const read_ = await Promise.all(layers.map((l) => read(l)));
  const fs = mergeLayers(read_.map((r) => r.listing));
  const kept = read_.map((r) => r.kept);
  return { fs, kept, files: (asOf?: number) => mergedFiles(fs, kept, asOf) };
}

const s = (b: Uint8Array | null) => (b === null ? null : text.decode(b));

describe('bounded work', () => {
  it('resolves a path 3,000 directories deep in linear steps', async () => {
    // A package name may hold slashes (`Package: a/a/…`), and a layer may hold the directories
    // to match: each step of the path must not look up the whole path again from the root.
    const depth = 3000;
    const deep = `${'a/'.repeat(depth)}f`;
    const { fs, files } = await image([pax('path', deep), { name: 'deep', data: 'x' }]);
    const before = fs.operations;
    expect(files().writer(deep)).toBe(0);
    expect(files().writer(`${'a/'.repeat(depth)}g`)).toBe(null);
    expect(fs.operations - before).toBeLessThan(20 * depth);
  });
});

describe('packageFileLimit', () => {
  it('chooses the readers’ paths and nothing else', () => {
    for (const p of [
      'etc/os-release',
      'usr/lib/os-release',
      'lib/apk/db/installed',
      'var/lib/dpkg/status',
      'var/lib/dpkg/status.d/base',
      'usr/share/doc/libc6/copyright',
      'usr/share/doc/libc6:amd64=2.36/copyright',
      'var/lib/rpm/Packages',
      'var/lib/rpm/Packages.db',
      'usr/lib/sysimage/rpm/rpmdb.sqlite',
      'usr/lib/sysimage/rpm/rpmdb.sqlite-wal',
    ])
      expect(packageFileLimit(p), p).not.toBeNull();
    for (const p of [
      'etc/passwd',
      'var/lib/dpkg/status-old',
      'var/lib/dpkg/status.d/a/b',
      'usr/share/doc/a/b/copyright',
      'usr/share/doc/copyright',
      'var/lib/rpm/Basenames',
      'opt/var/lib/rpm/Packages',
    ])
      expect(packageFileLimit(p), p).toBeNull();
    expect(packageFileLimit('usr/share/doc/x/copyright')).toBe(16 * 1024 * 1024);
    expect(packageFileLimit('var/lib/rpm/Packages')).toBe(256 * 1024 * 1024);
  });

  it('symlinks that matter: at or above a package path, or a doc directory', () => {
    for (const p of [
      'etc',
      'etc/os-release',
      'var',
      'var/lib/rpm',
      'usr/lib/sysimage',
      'usr/share/doc/libgcc-s1',
      'lib/apk',
    ])
      expect(affectsPackageFiles(p), p).toBe(true);
    for (const p of [
      'bin',
      'usr/bin/sh',
      'etc/alternatives/x',
      'usr/share/doc/a/b',
      'usr/lib/x86_64-linux-gnu/libc.so',
    ])
      expect(affectsPackageFiles(p), p).toBe(false);
  });
});

describe('keeping bytes during the listing', () => {
  it('keeps chosen files whole, keyed by listing entry, and drops what is over a bound', async () => {
    const rule: KeepRule = (p) => (p.startsWith('keep/') ? 10 : null);
    const { listing, kept } = await read(
      [
        { name: 'keep/a', data: 'aaaa' },
        { name: 'other', data: 'x' },
        { name: 'keep/big', data: '01234567890' },
        { name: './keep/b', data: 'bbbbbb' },
        { name: 'keep/c', data: 'c' },
      ],
      rule,
      { maxBytes: 10, maxFiles: 10 },
    );
    expect(kept.files.map((f) => [listing.path(f.entry), f.path, text.decode(f.bytes)])).toEqual([
      ['keep/a', 'keep/a', 'aaaa'],
      ['keep/b', 'keep/b', 'bbbbbb'],
    ]);
    expect(kept.dropped.map((d) => [d.path, d.kind, d.reason])).toEqual([
      ['keep/big', 'too-large', '11 bytes, more than the 10 read of such a file'],
      ['keep/c', 'too-large', 'more than 10 bytes of package files in one layer'],
    ]);
  });

  it('a layer cut inside a kept file drops it as incomplete', async () => {
    const tar = writeTar([{ name: 'etc/os-release', data: 'ID=alpine\n'.repeat(100) }]);
    const { kept } = await read(tar.subarray(0, 700));
    expect(kept.files).toEqual([]);
    expect(kept.dropped.map((d) => [d.path, d.kind])).toEqual([['etc/os-release', 'incomplete']]);
  });
});

describe('mergedFiles', () => {
  it('reads the bytes of the layer that last wrote a path; a whiteout removes it', async () => {
    const { files } = await image(
      [{ name: 'var/lib/dpkg/status', data: 'one' }],
      [{ name: 'var/lib/dpkg/status', data: 'two' }],
      [{ name: 'var/lib/dpkg/.wh.status' }],
    );
    expect([0, 1, 2].map((l) => s(files(l).read('var/lib/dpkg/status')))).toEqual([
      'one',
      'two',
      null,
    ]);
    expect(files(1).writer('var/lib/dpkg/status')).toBe(1);
    expect(files().list('var/lib/dpkg')).toEqual([]);
  });

  it('an opaque directory hides lower files; its own new ones stay', async () => {
    const { files } = await image(
      [
        { name: 'var/lib/rpm/rpmdb.sqlite', data: 'sqlite' },
        { name: 'var/lib/rpm/Packages', data: 'old' },
      ],
      [{ name: 'var/lib/rpm/Packages', data: 'bdb' }, { name: 'var/lib/rpm/.wh..wh..opq' }],
    );
    expect(s(files().read('var/lib/rpm/rpmdb.sqlite'))).toBeNull();
    expect(s(files().read('var/lib/rpm/Packages'))).toBe('bdb');
    expect(files().list('var/lib/rpm')).toEqual(['Packages']);
  });

  it('follows symlinks inside the root: relative, absolute, through directories, and hard links', async () => {
    const { files } = await image(
      [
        { name: 'usr/lib/os-release', data: 'ID=debian\n' },
        { name: 'etc/os-release', type: '2', linkName: '../usr/lib/os-release' },
        { name: 'usr/lib/sysimage/rpm/Packages.db', data: 'ndb' },
        { name: 'var/lib/rpm', type: '2', linkName: '../../usr/lib/sysimage/rpm' },
        { name: 'usr/share/doc/gcc-12-base/copyright', data: 'License: GPL\n' },
        { name: 'usr/share/doc/libgcc-s1', type: '2', linkName: 'gcc-12-base' },
        { name: 'lib/apk/db/installed', type: '2', linkName: '/../../../lib/apk/db/real' },
        { name: 'var/lib/dpkg/status', type: '1', linkName: 'usr/lib/os-release' },
      ],
      [{ name: 'lib/apk/db/real', data: 'P:x\n' }],
    );
    const f = files();
    expect(s(f.read('etc/os-release'))).toBe('ID=debian\n');
    expect(s(f.read('var/lib/rpm/Packages.db'))).toBe('ndb');
    expect(f.list('var/lib/rpm')).toEqual(['Packages.db']);
    expect(s(f.read('usr/share/doc/libgcc-s1/copyright'))).toBe('License: GPL\n');
    expect(f.list('usr/share/doc')).toEqual(['gcc-12-base', 'libgcc-s1']);
    // `..` above the root stays at the root; the target's file is not a kept path.
    expect(s(f.read('lib/apk/db/installed'))).toBeNull();
    expect(f.unread.map((u) => [u.path, u.kind, u.layer])).toEqual([
      ['lib/apk/db/real', 'not-kept', 1],
    ]);
    expect(s(f.read('var/lib/dpkg/status'))).toBe('ID=debian\n');
  });

  it('a symlink loop reads as nothing, without hanging', async () => {
    const { files } = await image([
      { name: 'etc/os-release', type: '2', linkName: 'os-release2' },
      { name: 'etc/os-release2', type: '2', linkName: '/etc/os-release' },
    ]);
    expect(files().read('etc/os-release')).toBeNull();
    expect(files().list('etc/os-release')).toBeNull();
  });
});
