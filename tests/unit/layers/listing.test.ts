/**
 * Listings against GNU tar: every entry of every layer of the fixtures, with path, type, size,
 * mode, owner, mtime and link target equal to `tar -tv`; hostile names noted, never a crash; and
 * a million entries measured.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LayerListingBuilder } from '../../../src/lib/layers/listing.ts';
import { listingEntry } from '../../support/tar.ts';
import { fixture } from '../../support/paths.ts';
import { expectGnuListing, gnuTarList, imageLayers, listingOf } from './support.ts';

// A real collection before each reading, so garbage is not counted as the structure's size.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const FIXTURES = [
  'dive-test-docker-image.tar',
  'gen-umoci-rawlayers-opaque-whiteout-oci-archive.tar',
  'gen-buildah-multiarch-oci-archive.tar',
  'gen-buildah-docker-archive-arm64-v8.tar',
  'ggcr-hello-world-v25.tar',
  'ggcr-test_bundle.tar',
  'ggcr-test_link.tar',
  'dive-test-kaniko-image.tar',
  'dive-test-oci-gzip-image.tar',
];

describe.each(FIXTURES)('%s', (name) => {
  it('lists every entry of every layer as GNU tar does', async () => {
    let entries = 0;
    for (const image of imageLayers(fixture(name))) {
      for (const tar of image.layers) {
        const listing = await listingOf(tar);
        const gnu = gnuTarList(tar);
        expectGnuListing(listing, gnu);
        entries += gnu.length;
      }
    }
    expect(entries).toBeGreaterThan(0);
  });
});

const entry = listingEntry;

describe('hostile names', () => {
  it('notes .., absolute paths, NUL, 64 KiB names, self links and whiteouts of the root', () => {
    const b = new LayerListingBuilder();
    b.add(entry('../../etc/passwd'));
    b.add(entry('a/../../b'));
    b.add(entry('/etc/shadow'));
    b.add(entry('x\0hidden'));
    b.add(entry(`${'d/'.repeat(32 * 1024)}f`));
    b.add(entry('self', { typeflag: '1', linkName: 'self', size: 0 }));
    b.add(entry('.wh.', { size: 0 }));
    b.add(entry('/.wh..', { size: 0 }));
    b.add(entry('.wh..wh..opq', { size: 0 }));
    b.add(entry('.wh..wh.plnk/123', { size: 0 }));
    b.add(entry('n', { size: -5, uid: Number.NaN }));
    const l = b.finish();
    expect(l.path(0)).toBe('etc/passwd');
    expect(l.rawName(0)).toBe('../../etc/passwd');
    expect(l.path(1)).toBe('b');
    expect(l.path(2)).toBe('etc/shadow');
    expect(l.rawName(2)).toBe('/etc/shadow');
    expect(l.path(3)).toBe('x');
    expect(l.rawName(3)).toBe('x\0hidden');
    expect(l.path(4).length).toBe(64 * 1024 + 1);
    expect(l.linkTarget(5)).toBe('self');
    expect([6, 7].map((i) => l.role(i))).toEqual(['ignored', 'ignored']);
    expect(l.role(8)).toBe('opaque');
    expect(l.role(9)).toBe('ignored');
    expect(l.size(10)).toBe(0);
    const kinds = Object.fromEntries(l.notes.map((n) => [n.kind, n.count]));
    expect(kinds).toEqual({
      'dot-dot': 2,
      'escapes-root': 2,
      'absolute-path': 2,
      'nul-in-name': 1,
      'long-name': 1,
      'hardlink-to-self': 1,
      'whiteout-invalid': 2,
      'opaque-root': 1,
      'aufs-metadata': 1,
      'bad-number': 2,
    });
    for (const n of l.notes) expect(n.example.length).toBeLessThan(260);
  });

  it('interns directories and writes names whatever their order and alphabet', () => {
    const b = new LayerListingBuilder();
    const names = [
      'a/x',
      'a/y',
      'b/z',
      'a/w',
      'ab/v',
      'a',
      './a/u/',
      'é/ü.txt',
      'é/naïve 文字',
      'top',
      'a/.wh.x',
      'é/plain',
    ];
    for (const n of names) b.add(entry(n));
    const l = b.finish();
    expect([...l.entries()].map((e) => e.path)).toEqual([
      'a/x',
      'a/y',
      'b/z',
      'a/w',
      'ab/v',
      'a',
      'a/u',
      'é/ü.txt',
      'é/naïve 文字',
      'top',
      'a/.wh.x',
      'é/plain',
    ]);
    expect(l.dirId(0)).toBe(l.dirId(3));
    expect(l.dirId(0)).toBe(l.dirId(6));
    expect(l.dirId(0)).not.toBe(l.dirId(4));
    expect(l.dirId(5)).toBe(l.dirId(9));
    expect(l.dirId(7)).toBe(l.dirId(11));
    expect(l.dirCount).toBe(5); // a, b, ab, '', é
    expect(l.role(10)).toBe('whiteout');
    expect(l.rawName(6)).toBeNull();
  });

  it('keeps a million entries in a compact listing, measured', () => {
    gc();
    const before = process.memoryUsage();
    const b = new LayerListingBuilder();
    for (let i = 0; i < 1_000_000; i++) {
      const j = b.add(
        entry(`usr/share/d${i % 1000}/file-${i}.txt`, { size: i % 4096, mtime: 1_700_000_000 }),
      );
      b.setContentHash(j, (i * 2654435761).toString(16).padStart(16, '0').slice(-16));
    }
    const listing = b.finish();
    gc();
    const after = process.memoryUsage();
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    console.log(
      `1,000,000 entries: listing byteLength ${(listing.byteLength / 1e6).toFixed(1)} MB, ` +
        `heap+arrayBuffers growth ${(grown / 1e6).toFixed(1)} MB`,
    );
    expect(listing.count).toBe(1_000_000);
    expect(listing.path(999_999)).toBe('usr/share/d999/file-999999.txt');
    expect(listing.byteLength).toBeLessThan(80e6);
    expect(grown).toBeLessThan(150e6);
  });
});
