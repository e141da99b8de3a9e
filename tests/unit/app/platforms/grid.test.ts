import { describe, expect, it } from 'vitest';
import { inspectSource } from '../../../../src/lib/inspect.ts';
import type { Report } from '../../../../src/lib/report/model.ts';
import {
  GRID_KEYS,
  NO_PLATFORM,
  chipText,
  detailChoices,
  gridColumns,
  looseChips,
  platformGrid,
  platformName,
  predicateText,
} from '../../../../src/app/platforms/grid.ts';
import { bytesSource } from '../../../../src/lib/archive/byte-source.ts';
import { buildkitArchive } from '../../../support/oci.ts';
import { fixtureReport, imageReport, manifestReport } from '../../../support/report.ts';

const image = (r: Report, tag: string) => r.images.find((i) => i.ref.endsWith(`:${tag}`))!;

describe('the platform grid', () => {
  it('compares the buildah multi-arch image: same values once, differences per platform', async () => {
    const r = await fixtureReport('gen-buildah-multiarch-oci-archive.tar');
    const columns = gridColumns(r.images[0]!);
    expect(columns.map((c) => c.name)).toEqual(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
    const rows = new Map(platformGrid(columns).rows.map((row) => [row.key, row]));
    expect(rows.get('size')).toMatchObject({ same: false, values: ['413 B', '418 B', '414 B'] });
    expect(rows.get('digest')!.same).toBe(false);
    expect(rows.get('cmd')).toMatchObject({ same: true, field: 'Command' });
    expect(rows.get('env:PATH')).toMatchObject({ same: true, field: 'Env', name: 'PATH' });
    expect(rows.get('media-type')!.values[0]).toBe('application/vnd.oci.image.manifest.v1+json');
    // Nothing in the archive says it: no row of "not set" everywhere.
    expect(rows.has('docker')).toBe(false);
    expect(rows.has('included')).toBe(false);
  });

  it("attaches regclient's attestations to their platforms as chips, not as platforms", async () => {
    const r = await fixtureReport('regclient-testrepo-ocidir.tar');
    const v1 = image(r, 'v1');
    expect(v1.manifests).toHaveLength(4);
    const columns = gridColumns(v1);
    expect(columns.map((c) => c.name)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(columns.map((c) => c.chips.map((x) => x.text))).toEqual([
      ['example.build-type+json'],
      ['example.build-type+json'],
    ]);
    expect(columns[1]!.chips[0]!.index).toBe(3);
    expect(looseChips(v1)).toEqual([]);
    const choices = detailChoices(columns, []);
    expect(choices.map((c) => c.label)).toEqual([
      'linux/amd64',
      'linux/arm64',
      'example.build-type+json of linux/amd64',
      'example.build-type+json of linux/arm64',
    ]);
    const rows = platformGrid(columns).rows;
    expect(rows.find((row) => row.key === 'attached')!.values).toEqual([
      'example.build-type+json',
      'example.build-type+json',
    ]);
  });

  it('gives an image of artifacts alone no platform, and its artifacts as choices', async () => {
    const r = await fixtureReport('regclient-testrepo-ocidir.tar');
    const ai = image(r, 'ai');
    expect(gridColumns(ai)).toEqual([]);
    const loose = looseChips(ai);
    expect(loose.map((c) => c.text)).toEqual(['SBOM', 'signature']);
    expect(detailChoices([], loose).map((c) => c.label)).toEqual([
      'SBOM (artifact sha256:0484e93c23cd)',
      'signature (artifact sha256:741132f956e1)',
    ]);
  });

  it('never calls a platform "unknown"', async () => {
    const r = await fixtureReport('regclient-testrepo-ocidir.tar');
    const alone = image(r, 'a-docker').manifests[0]!;
    expect(alone.platformString).toBe('unknown; unknown'); // the export's, as repo-info's
    expect(platformName(alone)).toBe(NO_PLATFORM);
  });
});

const base = manifestReport();

describe('grid rows', () => {
  it('compares env variables by name, and caps how many', () => {
    const env = (n: number, extra: string[]) => [
      ...Array.from({ length: n }, (_, i) => `V${i}=x`),
      ...extra,
    ];
    const a = { ...base, env: env(GRID_KEYS + 5, ['ONLY_A=1']) };
    const b = { ...base, platform: { ...base.platform, architecture: 'arm64' }, env: env(3, []) };
    const image = imageReport('x', [a, b], { name: null });
    const grid = platformGrid(gridColumns(image));
    const envRows = grid.rows.filter((r) => r.field === 'Env');
    expect(envRows).toHaveLength(GRID_KEYS);
    expect(envRows[0]).toMatchObject({ name: 'V0', same: true });
    expect(envRows[5]).toMatchObject({ name: 'V5', same: false, values: ['x', null] });
    expect(grid.moreEnv).toBe(6);
  });

  it('names a platform held only by the index, and tells two alike apart by digest', () => {
    const d = (c: string) => `sha256:${c.repeat(64)}`;
    const a = { ...base, digest: d('a') };
    const b = { ...base, digest: d('b'), included: false };
    const image = imageReport('x', [a, b], { name: null, digest: d('c') });
    const columns = gridColumns(image);
    expect(columns.map((c) => c.name)).toEqual([
      'linux/amd64 (sha256:aaaaaaaaaaaa)',
      'linux/amd64 (sha256:bbbbbbbbbbbb)',
    ]);
    const included = platformGrid(columns).rows.find((r) => r.key === 'included')!;
    expect(included.values).toEqual(['included', 'not included in this archive']);
  });

  it('names attestations by what their layers carry', () => {
    const withLayers = (...types: string[]) => ({
      ...base,
      kind: 'attestation' as const,
      layers: types.map((mediaType) => ({
        digest: null,
        size: 1,
        mediaType,
        diffId: null,
        compression: null,
      })),
    });
    expect(chipText(withLayers('application/spdx+json'))).toBe('SBOM');
    expect(chipText(withLayers('application/vnd.in-toto+json'))).toBe('in-toto statement');
    expect(chipText(withLayers('application/vnd.dev.cosign.simplesigning.v1+json'))).toBe(
      'signature',
    );
    expect(chipText(withLayers('application/example.a', 'application/example.b'))).toBe(
      'example.a +1',
    );
    expect(chipText(withLayers())).toBe('attestation');
  });
});

describe('attestation chips from the in-toto predicate type', () => {
  it('names the common predicate types in a word, others by a short readable name', () => {
    expect(predicateText('https://spdx.dev/Document')).toBe('SBOM');
    expect(predicateText('https://cyclonedx.org/bom/v1.5')).toBe('SBOM');
    expect(predicateText('https://slsa.dev/provenance/v0.2')).toBe('provenance');
    expect(predicateText('https://slsa.dev/provenance/v1')).toBe('provenance');
    expect(predicateText('https://example.com/vuln-scan/v1')).toBe('vuln-scan');
    expect(predicateText('https://in-toto.io/attestation/test-result/v0.1')).toBe('test-result');
    expect(predicateText('custom')).toBe('custom');
  });

  it("reads BuildKit's attestation: one chip of its statements' predicate types", async () => {
    const r = await inspectSource(bytesSource(buildkitArchive(), 'buildkit.tar'));
    const image = r.images[0]!;
    const columns = gridColumns(image);
    expect(columns.map((c) => c.name)).toEqual(['linux/amd64']);
    expect(columns[0]!.chips.map((c) => c.text)).toEqual(['SBOM + provenance + vuln-scan']);
    expect(columns[0]!.chips[0]!.title).toContain('https://slsa.dev/provenance/v0.2');
    expect(image.manifests[1]!.layers.map((l) => l.annotations)).toEqual([
      { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' },
      { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
      { 'in-toto.io/predicate-type': 'https://example.com/vuln-scan/v1' },
    ]);
    // Without the annotation, the media type alone says no more than "in-toto statement".
    const bare = {
      ...image.manifests[1]!,
      layers: image.manifests[1]!.layers.map(({ annotations: _, ...l }) => l),
    };
    expect(chipText(bare)).toBe('in-toto statement');
  });

  it('keeps the annotations out of the JSON export', async () => {
    const r = await inspectSource(bytesSource(buildkitArchive(), 'buildkit.tar'));
    const { renderJson } = await import('../../../../src/lib/report/json.ts');
    expect(renderJson(r)).not.toContain('in-toto.io/predicate-type');
  });
});
