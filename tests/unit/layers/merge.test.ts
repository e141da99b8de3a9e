/**
 * The merged filesystem against an actual extraction: for every fixture with layers, and for
 * layers GNU tar writes here with whiteouts, opaque whiteouts (after their siblings), a file
 * replacing a directory and hard links, the tree as of each layer N equals the directory Node's
 * fs leaves after extracting layers 0..N in order with whiteouts applied.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LayerListing } from '../../../src/lib/layers/listing.ts';
import { mergeLayers, type MergedFilesystem } from '../../../src/lib/layers/merge.ts';
import {
  changeAt,
  describe as describeNode,
  lastWriter,
  walkAt,
} from '../../../src/lib/layers/tree.ts';
import { fixture } from '../../support/paths.ts';
import { extractLayers, imageLayers, listingOf, snapshot } from './support.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stevedore-layers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let runs = 0;

/** Returns the tree of the merge as of layer l in snapshot() form (hard links as their target). */
function mergedAt(m: MergedFilesystem, l: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const { node } of walkAt(m, l)) {
    const d = describeNode(m, node, l);
    if (d.type === 'dir') out.set(d.path, 'd');
    else if (d.type === 'symlink') out.set(d.path, 'l');
    else if (d.type === 'hardlink') {
      const w = lastWriter(m, node, l)!;
      const target = m.lookup(m.layers[w.layer]!.linkTarget(w.entry)!);
      out.set(d.path, `f ${describeNode(m, target, l).size}`);
    } else out.set(d.path, `f ${d.size}`);
  }
  return out;
}

async function checkAgainstExtraction(layers: Uint8Array[]): Promise<MergedFilesystem> {
  const listings: LayerListing[] = [];
  for (const t of layers) listings.push(await listingOf(t));
  const m = mergeLayers(listings);
  for (let l = 0; l < layers.length; l++) {
    const dir = path.join(tmp, `run-${runs++}`);
    extractLayers(layers.slice(0, l + 1), dir);
    expect(mergedAt(m, l)).toEqual(snapshot(dir));
  }
  return m;
}

describe.each([
  'dive-test-docker-image.tar',
  'gen-umoci-rawlayers-opaque-whiteout-oci-archive.tar',
  'gen-buildah-multiarch-oci-archive.tar',
  'ggcr-test_bundle.tar',
  'dive-test-kaniko-image.tar',
])('%s', (name) => {
  it('as of every layer, equals the layers extracted in order with whiteouts applied', async () => {
    for (const image of imageLayers(fixture(name))) await checkAgainstExtraction(image.layers);
  });
});

/** Returns a layer tar GNU tar writes from `files` (created first) in the order given. */
function gnuLayer(
  name: string,
  files: Record<string, string | null | { link: string } | { hard: string }>,
): Uint8Array {
  const dir = path.join(tmp, name);
  for (const [p, v] of Object.entries(files)) {
    const full = path.join(dir, p);
    if (p.endsWith('/')) fs.mkdirSync(full, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      if (v && typeof v === 'object' && 'link' in v) fs.symlinkSync(v.link, full);
      else if (v && typeof v === 'object' && 'hard' in v) fs.linkSync(path.join(dir, v.hard), full);
      else fs.writeFileSync(full, v ?? '');
    }
  }
  const names = Object.keys(files).map((p) => p.replace(/\/$/, ''));
  return new Uint8Array(
    execFileSync(
      'tar',
      ['-cf', '-', '--no-recursion', '--owner=0', '--group=0', '-C', dir, ...names],
      {
        maxBuffer: 1 << 26,
      },
    ),
  );
}

describe('whiteouts GNU tar wrote', () => {
  const layers = [
    gnuLayer('l0', {
      'a/': null,
      'a/b/c/': null,
      'a/b/c/bar': 'bar!',
      'a/keep': 'kept',
      'etc/x/': null,
      'etc/x/y': 'yyyy',
      'f/': null,
      'f/g': 'gg',
      hl: { hard: 'a/keep' },
      ln: { link: 'a/keep' },
      same: 'same content',
    }),
    gnuLayer('l1', {
      'a/': null,
      'a/b/c/': null,
      'a/b/c/foo': 'foo',
      'a/.wh..wh..opq': null, // after its siblings: still applied first
      'etc/.wh.x': null,
      f: 'now a file',
      'new/deep/file': 'deep',
      same: 'same content',
    }),
    gnuLayer('l2', { '.wh.a': null, 'a/z': 'z', 'new/.wh..wh..opq': null, 'new/again': 'again' }),
  ];

  it('as of every layer, equals the extraction', async () => {
    const m = await checkAgainstExtraction(layers);
    expect(changeAt(m, m.lookup('a/b/c/bar'), 1)).toBe('deleted');
    expect(changeAt(m, m.lookup('a/keep'), 1)).toBe('deleted');
    expect(changeAt(m, m.lookup('etc/x/y'), 1)).toBe('deleted');
    expect(changeAt(m, m.lookup('f/g'), 1)).toBe('deleted');
    expect(changeAt(m, m.lookup('f'), 1)).toBe('changed');
    expect(changeAt(m, m.lookup('a/b/c/foo'), 1)).toBe('added');
    expect(changeAt(m, m.lookup('a/z'), 2)).toBe('added');
    expect(changeAt(m, m.lookup('a'), 2)).toBe('changed');
    expect(lastWriter(m, m.lookup('same'))?.layer).toBe(1);
    expect(lastWriter(m, m.lookup('a/b/c/foo'))).toBeNull(); // gone in layer 2
    expect(lastWriter(m, m.lookup('a/b/c/foo'), 1)?.layer).toBe(1);
    expect(m.notes).toEqual([]);
  });
});
