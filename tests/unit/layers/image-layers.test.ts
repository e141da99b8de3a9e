/**
 * One platform's layers joined with their history (empty_layer steps make no layer), merged,
 * with per-layer rows: on dive's test image against its own config, and on a history that
 * does not add up.
 */
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { readImageArchive } from '../../../src/lib/oci/read.ts';
import type { Manifest } from '../../../src/lib/oci/model.ts';
import type { LayerListing } from '../../../src/lib/layers/listing.ts';
import {
  imageLayers,
  isMissing,
  joinHistory,
  type ImageLayers,
} from '../../../src/lib/layers/image-layers.ts';
import { nodeFileSource } from '../../../src/cli/node-source.ts';
import { fixture } from '../../support/paths.ts';
import { imageLayers as testSideLayers, listingOf } from './support.ts';

async function manifestOf(name: string): Promise<Manifest> {
  const source = await nodeFileSource(fixture(name));
  try {
    return (await readImageArchive(await openArchive(source))).images[0]!.manifests[0]!;
  } finally {
    await source.close();
  }
}

async function listingsByDiffId(name: string, m: Manifest): Promise<Map<string, LayerListing>> {
  const tars = testSideLayers(fixture(name))[0]!.layers;
  const out = new Map<string, LayerListing>();
  for (const [i, tar] of tars.entries()) out.set(m.layers[i]!.diffId!, await listingOf(tar));
  return out;
}

describe('imageLayers', () => {
  it("joins dive's test image layers with the history steps that made them", async () => {
    const m = await manifestOf('dive-test-docker-image.tar');
    const r = imageLayers(m, await listingsByDiffId('dive-test-docker-image.tar', m));
    expect(isMissing(r)).toBe(false);
    const { layers, steps, notes, fs, space } = r as ImageLayers;
    expect(layers).toHaveLength(14);
    expect(fs.layers).toHaveLength(14);
    expect(notes).toEqual([]);
    const made = steps.filter((s) => !s.emptyLayer);
    expect(made.map((s) => s.layer)).toEqual([...Array(14).keys()]);
    for (const s of steps.filter((s) => s.emptyLayer)) expect(s.layer).toBeNull();
    for (const row of layers) {
      const step = steps[row.step!]!;
      expect(step.layer).toBe(row.index);
      expect(row.createdBy).toBe(step.createdBy);
      expect(row.diffId).toBe(m.layers[row.index]!.diffId);
    }
    expect(layers[0]!.createdBy).toMatch(/ADD file:/);
    // Layer 10 removes root/example: five paths, two files of 6,405 bytes.
    expect(layers[9]!.changes.count.deleted).toBe(5);
    expect(layers[9]!.changes.bytes.deleted).toBe(2 * 6405);
    expect(layers[9]!.space.hidesBelow).toBe(2 * 6405);
    expect(space.shadowedBytes).toBe(5 * 6405);
    expect(layers.reduce((n, l) => n + l.unpackedSize, 0)).toBe(1_220_598);
    expect(layers[0]!.files).toBeGreaterThan(0);
    expect(layers[0]!.entries).toBeGreaterThanOrEqual(layers[0]!.files);
  });

  it('names the layers whose listing is missing', async () => {
    const m = await manifestOf('dive-test-docker-image.tar');
    const byDiffId = await listingsByDiffId('dive-test-docker-image.tar', m);
    byDiffId.delete(m.layers[3]!.diffId!);
    const r = imageLayers(m, byDiffId);
    expect(isMissing(r) && r.missing).toEqual([{ layer: 3, diffId: m.layers[3]!.diffId }]);
  });
});

describe('joinHistory', () => {
  const h = (createdBy: string, emptyLayer = false) => ({ created: null, createdBy, emptyLayer });

  it('gives each step not marked empty_layer the next layer', () => {
    const steps = joinHistory([h('ADD'), h('ENV', true), h('RUN'), h('CMD', true)], 2);
    expect(steps.map((s) => [s.index, s.createdBy, s.layer])).toEqual([
      [0, 'ADD', 0],
      [1, 'ENV', null],
      [2, 'RUN', 1],
      [3, 'CMD', null],
    ]);
  });

  it('pairs as far as both go when the history and the layers disagree', () => {
    expect(joinHistory([h('A'), h('B'), h('C')], 2).map((s) => s.layer)).toEqual([0, 1, null]);
    expect(joinHistory([], 3)).toEqual([]);
  });
});
