import { describe, expect, it } from 'vitest';
import { refRows, refText } from '../../../../src/app/platforms/refs.ts';
import { fixtureReport } from '../../../support/report.ts';

describe('refRows', () => {
  it("lists regclient's 26 refs once each, no two that read the same", async () => {
    const rows = refRows(await fixtureReport('regclient-testrepo-ocidir.tar'));
    expect(rows).toHaveLength(26);
    expect(new Set(rows.map((r) => r.index)).size).toBe(26);
    expect(new Set(rows.map((r) => `${r.name} ${r.digest}`)).size).toBe(26);
    // Two refs without a tag: told apart by their digests.
    const untagged = rows.filter((r) => r.name === '(no tag)');
    expect(untagged.map((r) => r.digest)).toEqual(['sha256:819ff4564a5d', 'sha256:ad460bc30198']);
  });

  it('nests referrers under their subject, the platform named where it is one', async () => {
    const rows = refRows(await fixtureReport('regclient-testrepo-ocidir.tar'));
    const v2 = rows.findIndex((r) => r.name === 'v2');
    const under = rows
      .slice(v2 + 1)
      .filter((r, i, all) => all.slice(0, i + 1).every((x) => x.depth === 1));
    expect(under.map((r) => r.name)).toEqual([
      'a1',
      'sha256-dfae8f425735…',
      'a2',
      'sha256-ee378b79279b…',
      'sha256-36ed7f4ec454…',
      'sha256-6bed79d0800a…',
      'ai',
    ]);
    expect(under.find((r) => r.name === 'sha256-ee378b79279b…')!.about).toBe('v2 · linux/amd64');
    expect(under.find((r) => r.name === 'a1')!.about).toBe('v2');
    const docker = rows.find((r) => r.name === 'a-docker-oci')!;
    expect(docker).toMatchObject({ depth: 1, kind: 'attestation', platforms: 'none' });
    expect(docker.about).toBe('v1 · linux/arm64');
    // A subject nowhere in the archive, or a loop of refs, stays at the top.
    for (const name of ['a3', 'child', 'loop', 'mirror', 'a-docker'])
      expect(rows.find((r) => r.name === name)!.depth).toBe(0);
  });

  it('says what each ref is, in people notation', async () => {
    const rows = refRows(await fixtureReport('regclient-testrepo-ocidir.tar'));
    const by = (name: string) => rows.find((r) => r.name === name)!;
    expect(by('v1')).toMatchObject({
      kind: 'index',
      platforms: 'linux/amd64, linux/arm64',
      digest: 'sha256:7ceb9b6bcc27',
    });
    expect(by('b1').platforms).toBe('linux/amd64, linux/arm64, linux/arm/v7, linux/arm/v6');
    expect(by('a1').kind).toBe('artifact');
    expect(by('a2').kind).toBe('signature');
    // An attestation tagged alone: its index says what it is, though alone it reads as an image.
    expect(by('a-docker')).toMatchObject({ kind: 'attestation', platforms: 'none', size: '15 B' });
    expect(rows.every((r) => !/unknown/.test(r.platforms))).toBe(true);
    expect(refText(by('a2'))).toContain('signature');
  });

  it('keeps whole refs where the archive names them', async () => {
    const rows = refRows(await fixtureReport('ggcr-test_link.tar'));
    expect(rows.map((r) => r.name)).toEqual([
      'bazel/v1/tarball:test_image_1',
      'bazel/v1/tarball:test_image_3',
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['image', 'image']);
    expect(rows.every((r) => r.digest === null && r.depth === 0)).toBe(true);
  });
});
