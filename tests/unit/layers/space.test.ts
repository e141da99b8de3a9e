/**
 * dive's figures on dive's own test image equal dive's own test expectations for that file
 * (wagoodman/dive `dive/image/docker/image_archive_analysis_test.go`, and the unit case of
 * `dive/filetree/efficiency_test.go`); Stevedore's change kinds and shadowed bytes on the same
 * image, checked path by path; and dive's CI rules.
 */
import { describe, expect, it } from 'vitest';
import { summarizeLayer, layerChanges } from '../../../src/lib/layers/changes.ts';
import { diveAnalysis } from '../../../src/lib/layers/dive.ts';
import { LayerListingBuilder, type LayerListing } from '../../../src/lib/layers/listing.ts';
import { mergeLayers } from '../../../src/lib/layers/merge.ts';
import { evaluateRules, parseBytes, parseRules, rulesPass } from '../../../src/lib/layers/rules.ts';
import { shadowedCopies, spaceSummary } from '../../../src/lib/layers/space.ts';
import { fixture } from '../../support/paths.ts';
import { imageLayers, listingOf } from './support.ts';

async function diveImage(): Promise<LayerListing[]> {
  const [image] = imageLayers(fixture('dive-test-docker-image.tar'));
  const out: LayerListing[] = [];
  for (const t of image!.layers) out.push(await listingOf(t));
  return out;
}

const listing = (entries: [string, number, string?][]): LayerListing => {
  const b = new LayerListingBuilder();
  for (const [name, size, typeflag = '0'] of entries) {
    b.add({ name, typeflag, size, mode: 0o644, uid: 0, gid: 0, mtime: 0, linkName: '' });
  }
  return b.finish();
};

describe('dive parity', () => {
  it("equals dive's own expectations for dive-test-docker-image.tar", async () => {
    const a = diveAnalysis(await diveImage());
    expect(a.efficiency).toBe(0.9844212134184309);
    expect(a.sizeBytes).toBe(1_220_598);
    expect(a.userSizeBytes).toBe(66_237);
    expect(a.wastedBytes).toBe(32_025);
    expect(a.wastedUserPercent).toBe(0.4834911001404049);
    expect(a.inefficientFiles.map((f) => [f.path, f.count, f.cumulativeSize])).toEqual([
      ['/root/example/somefile1.txt', 2, 12_810],
      ['/root/saved.txt', 2, 12_810],
      ['/root/example/somefile3.txt', 2, 6_405],
    ]);
    // Σ(cumulative − min): one copy of each rewrite, the deleted file once (dive#685).
    expect(a.reclaimableBytes).toBe(6_405 * 3);
    expect(a.abortedLayers).toEqual([]);
  });

  it("equals dive's efficiency unit case (0.75; a deleted implicit directory counts 0)", () => {
    const a = diveAnalysis([
      listing([
        ['etc/nginx/nginx.conf', 2000],
        ['etc/nginx/public', 3000],
      ]),
      listing([
        ['etc/nginx/nginx.conf', 5000],
        ['etc/athing', 10000],
      ]),
      listing([['etc/.wh.nginx', 0]]),
    ]);
    expect(a.efficiency).toBe(0.75);
    expect(a.inefficientFiles).toEqual([
      { path: '/etc/nginx/nginx.conf', count: 2, cumulativeSize: 7000, minSize: 2000 },
    ]);
  });

  it('ignores opaque whiteouts, as dive does (and Stevedore does not)', () => {
    const layers = [
      listing([
        ['d/', 0, '5'],
        ['d/big', 1000],
      ]),
      listing([['d/.wh..wh..opq', 0]]),
    ];
    expect(diveAnalysis(layers).efficiency).toBe(1);
    const s = spaceSummary(mergeLayers(layers));
    expect(s.shadowedBytes).toBe(1000);
    expect(s.byClass.deleted).toEqual({ copies: 1, bytes: 1000 });
  });
});

describe("Stevedore's accounting on dive's test image", () => {
  it('classifies each change and each hidden copy', async () => {
    const layers = await diveImage();
    const m = mergeLayers(layers);
    // Layer 4 re-adds somefile1.txt with mode 444, same bytes: a metadata-only rewrite.
    const l4 = [...layerChanges(m, 4)].filter((c) => c.kind !== 'unchanged');
    expect(l4.map((c) => [m.pathOf(c.node), c.kind, c.size])).toEqual([
      ['root/example/somefile1.txt', 'metadata', 6405],
    ]);
    // Layer 9 removes root/example and all it held.
    const l9 = summarizeLayer(m, 9);
    expect(l9.count.deleted).toBe(5); // example, really, nested, somefile1, somefile2
    expect(l9.bytes.deleted).toBe(6405 * 2);
    expect(l9.deletedBy.whiteout).toBe(5);

    const copies = [...shadowedCopies(m)].map((c) => [
      m.pathOf(c.node),
      c.addedBy,
      c.hiddenBy,
      c.class,
      c.bytes,
    ]);
    expect(copies).toEqual([
      ['root/example/somefile1.txt', 3, 4, 'metadata', 6405],
      ['root/example/somefile3.txt', 6, 7, 'deleted', 6405],
      ['root/example/somefile1.txt', 4, 9, 'deleted', 6405],
      ['root/example/somefile2.txt', 5, 9, 'deleted', 6405],
      ['root/saved.txt', 7, 13, 'metadata', 6405],
    ]);
    const s = spaceSummary(m);
    expect(s.shadowedBytes).toBe(5 * 6405);
    expect(s.totalFileBytes).toBe(s.visibleBytes + s.shadowedBytes + s.ignoredBytes);
    expect(s.layers[9]!.hidesBelow).toBe(2 * 6405);
    expect(s.byClass.metadata).toEqual({ copies: 2, bytes: 2 * 6405 });
  });
});

describe("dive's CI rules", () => {
  it("has dive's names, defaults and comparisons", () => {
    const rules = parseRules();
    expect(rules.map((r) => [r.name, r.configValue, r.threshold])).toEqual([
      ['lowestEfficiency', '0.9', 0.9],
      ['highestWastedBytes', 'disabled', null],
      ['highestUserWastedPercent', '0.1', 0.1],
    ]);
    const res = evaluateRules(rules, {
      efficiency: 0.9844212134184309,
      wastedBytes: 32025,
      wastedUserPercent: 0.4834911001404049,
    });
    expect(res.map((r) => r.status)).toEqual(['pass', 'disabled', 'fail']);
    expect(rulesPass(res)).toBe(false);
    expect(
      evaluateRules(parseRules({ highestWastedBytes: '32025' }), {
        efficiency: 0.9,
        wastedBytes: 32025,
        wastedUserPercent: 0.1,
      }).map((r) => r.status),
    ).toEqual(['pass', 'pass', 'pass']);
    expect(parseBytes('20MB')).toBe(20_000_000);
    expect(parseBytes('20MiB')).toBe(20_971_520);
    expect(parseBytes('1.5 kb')).toBe(1500);
    expect(() => parseRules({ lowestEfficiency: '1.5' })).toThrow(/outside allowed range/);
    expect(() => parseRules({ highestWastedBytes: '20XB' })).toThrow(/unhandled size name/);
    expect(parseRules({ highestUserWastedPercent: 'off' })[2]!.threshold).toBeNull();
  });
});
