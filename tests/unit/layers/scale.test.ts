/**
 * Bounded and linear: a million entries merge with operations proportional to the entries (no
 * timing asserts), repeated delete-and-recreate does not revisit the dead, and hostile layers
 * (whiteouts of the root, a hard link to itself, deep 64 KiB paths) give notes, never a crash.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LayerListingBuilder, type LayerListing } from '../../../src/lib/layers/listing.ts';
import { hashName, mergeLayers } from '../../../src/lib/layers/merge.ts';
import { spaceSummary } from '../../../src/lib/layers/space.ts';
import { walkAt } from '../../../src/lib/layers/tree.ts';

// A real collection before each reading, so garbage is not counted as the structure's size.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const e = (name: string, typeflag = '0', linkName = '') => ({
  name,
  typeflag,
  size: typeflag === '0' ? 10 : 0,
  mode: 0o644,
  uid: 0,
  gid: 0,
  mtime: 0,
  linkName,
});
const layer = (names: (string | ReturnType<typeof e>)[]): LayerListing => {
  const b = new LayerListingBuilder();
  for (const n of names) b.add(typeof n === 'string' ? e(n) : n);
  return b.finish();
};

describe('scale', () => {
  it('merges 1,000,000 entries in linear steps and bounded memory', () => {
    const b = new LayerListingBuilder();
    for (let i = 0; i < 1_000_000; i++) b.add(e(`d${i % 1000}/f${i}`));
    const top = b.finish();
    gc();
    const before = process.memoryUsage();
    const m = mergeLayers([top, layer(['.wh.d7', 'd8/.wh..wh..opq'])]);
    gc();
    const after = process.memoryUsage();
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    console.log(
      `merge of 1,000,000 entries: ${m.operations} operations, ${m.nodeCount} nodes, ` +
        `heap+arrayBuffers growth ${(grown / 1e6).toFixed(1)} MB`,
    );
    expect(m.nodeCount).toBe(1_000_000 + 1000 + 1);
    expect(m.operations).toBeLessThan(4 * 1_000_000);
    expect(grown).toBeLessThan(400e6);
    const s = spaceSummary(m);
    expect(s.shadowedBytes).toBe(2 * 1000 * 10);
    expect(s.visibleBytes).toBe((1_000_000 - 2000) * 10);
  });

  it('does not revisit dead children when a directory is deleted and recreated again and again', () => {
    const layers: LayerListing[] = [];
    for (let l = 0; l < 200; l++) {
      const names = l > 0 ? ['.wh.d'] : [];
      for (let i = 0; i < 500; i++) names.push(`d/l${l}-f${i}`);
      layers.push(layer(names));
    }
    const m = mergeLayers(layers);
    // Each entry: a few steps to add it, one to remove it; no step per dead sibling.
    expect(m.operations).toBeLessThan(6 * 200 * 500);
    expect([...walkAt(m, 199)].length).toBe(501);
  });
});

describe('hostile layers', () => {
  it('notes whiteouts of the root, self links, missing targets and deep names, and goes on', () => {
    const deep = `${'x/'.repeat(32 * 1024)}leaf`;
    const m = mergeLayers([
      layer(['etc/passwd', deep, e('self', '1', 'self')]),
      layer(['.wh.', '/.wh..', '.wh..wh..opq', 'after', e('gone', '1', 'nowhere'), '.wh.nothing']),
    ]);
    expect([...walkAt(m, 1)].map((w) => m.pathOf(w.node))).toEqual(['after', 'gone']);
    expect(m.notes.map((n) => [n.layer, n.kind, n.count])).toEqual([
      [0, 'hardlink-target-missing', 1],
      [1, 'whiteout-missing', 1],
      [1, 'hardlink-target-missing', 1],
    ]);
    expect(m.layers[0]!.notes.map((n) => n.kind)).toEqual(['long-name', 'hardlink-to-self']);
  });

  it('looks up every child of a directory of 20,000 after the merge in linear steps', () => {
    // Packages are read after the merge (a distroless status.d of one file a package, a
    // copyright file a package under /usr/share/doc): one lookup a child of a big directory.
    const n = 20_000;
    const m = mergeLayers([layer(Array.from({ length: n }, (_, i) => `var/status.d/p${i}`))]);
    const before = m.operations;
    for (let i = 0; i < n; i++) expect(m.lookup(`var/status.d/p${i}`)).toBeGreaterThan(0);
    expect(m.lookup('var/status.d/none')).toBe(-1);
    expect(m.operations - before).toBeLessThan(10 * n);
  });

  it('names crafted to collide in the name table (against a fixed seed) merge in linear steps', () => {
    // An attacker who knows the hash can pick names that all land in a few slots of the
    // (parent, name) table, so that every insertion walks the cluster of the ones before it.
    // Here: 5,000 names whose hash under the seed once fixed in the code falls in the first 32
    // of the table's 16,384 slots (the size it has for these entries).
    const n = 5000;
    const fixedSeed = 0x811c9dc5;
    const bytes = new Uint8Array(16);
    const names: string[] = [];
    for (let k = 0; names.length < n; k++) {
      const name = `x${k}`;
      for (let i = 0; i < name.length; i++) bytes[i] = name.charCodeAt(i);
      // Node 1 is the first directory the merge makes: `d`.
      if ((hashName(fixedSeed, 1, bytes, 0, name.length) & 16383) < 32) names.push(name);
    }
    const m = mergeLayers([layer(names.map((name) => `d/${name}`))]);
    expect(m.nodeCount).toBe(n + 2);
    expect(m.operations).toBeLessThan(10 * n);
  });
});
