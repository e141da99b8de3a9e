import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verdictBanners } from '../../../src/app/verdict-banners.ts';
import { partialSave } from '../../support/attacks.ts';
import { BAD, FIXTURES, verifyFile } from '../verify/helpers.ts';

async function banners(file: string) {
  const { report, verification, jobs } = await verifyFile(file);
  return verdictBanners(report, report.images[0]!, verification.checks, verification.status, jobs);
}

describe('verdict banners', () => {
  it('a verified image has none', async () => {
    expect(await banners(FIXTURES + 'gen-buildah-multiarch-oci-archive.tar')).toEqual([]);
  });

  it('corrupt: names the layer by number and short digest, and its platform', async () => {
    expect(await banners(BAD + 'oci-layer-byte-flipped.tar')).toEqual([
      {
        kind: 'corrupt',
        title: 'Corrupt: this archive is not the image its manifests describe',
        lines: [
          'Layer 1 (sha256:00bdeca78fe1) of linux/amd64: its bytes do not match its digest; it is not a valid gzip stream: its checksum does not match its data.',
        ],
      },
    ]);
  });

  it('corrupt, legacy docker save: the layer file named by its digest', async () => {
    const [banner] = await banners(BAD + 'docker-archive-layer-byte-flipped.tar');
    expect(banner!.kind).toBe('corrupt');
    expect(banner!.lines).toEqual([
      'Layer 1 (sha256:f96d367e8328) of linux/arm64/v8: its unpacked content does not match the diff_id of its config; its bytes do not match the digest its file name gives.',
    ]);
  });

  it('unsafe: each layer with entries escaping the root, and which', async () => {
    const list = await banners(BAD + 'docker-archive-layer-path-traversal.tar');
    expect(list.map((b) => b.kind)).toEqual(['unsafe']);
    expect(list[0]!.lines).toHaveLength(2);
    const lines = list[0]!.lines; // in layer order
    expect(lines[0]).toMatch(
      /^Layer 1 \(sha256:[0-9a-f]{12}\) of \S+: entries that would land outside the layer's root when unpacked .*"\.\.\/\.\.\/\.\.\/tmp\/evil-dotdot\.txt"/,
    );
    expect(lines[1]).toMatch(/^Layer 2 .*"etc\/link" -> "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/tmp"/);
  });

  it('incomplete: says what was not checked', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stevedore-banner-'));
    try {
      const file = path.join(dir, 'partial.tar');
      await writeFile(file, partialSave());
      expect(await banners(file)).toEqual([
        {
          kind: 'incomplete',
          title: 'Incomplete: not everything in this archive could be checked',
          lines: ['1 of 2 platforms not included in this archive.'],
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
