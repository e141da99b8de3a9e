import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, countKinds, verifyFile } from './helpers.ts';
import { expectOkMeansEverythingHashed } from '../../support/verified.ts';

/** Checks per fixture, by kind: references, blob digests and sizes (descriptors), diff_ids,
 * names (digest-named entries no descriptor covers: legacy configs and layers, unreferenced
 * blobs). Each is a count of distinct checks: a blob several manifests share is one. */
const EXPECTED: Record<string, Record<string, number>> = {
  'containers-image-almostempty.tar': { reference: 2, 'diff-id': 1, name: 1 },
  'dive-test-docker-image.tar': { reference: 15, 'diff-id': 14, name: 1 },
  'dive-test-kaniko-image.tar': { reference: 15, 'diff-id': 14, name: 15 },
  'dive-test-oci-estargz-image.tar': {
    reference: 3,
    'blob-digest': 3,
    'blob-size': 3,
    'diff-id': 1,
  },
  'dive-test-oci-gzip-image.tar': { reference: 3, 'blob-digest': 3, 'blob-size': 3, 'diff-id': 1 },
  'dive-test-oci-uncompressed-image.tar': {
    reference: 3,
    'blob-digest': 3,
    'blob-size': 3,
    'diff-id': 1,
  },
  'dive-test-oci-zstd-image.tar': { reference: 3, 'blob-digest': 3, 'blob-size': 3, 'diff-id': 1 },
  'gen-buildah-docker-archive-arm64-v8.tar': { reference: 3, 'diff-id': 2, name: 3 },
  'gen-buildah-multiarch-oci-archive.tar': {
    reference: 13,
    'blob-digest': 13,
    'blob-size': 13,
    'diff-id': 6,
  },
  'gen-skopeo-multiarch-zstd-oci-archive.tar': {
    reference: 13,
    'blob-digest': 13,
    'blob-size': 13,
    'diff-id': 6,
  },
  'gen-umoci-rawlayers-opaque-whiteout-oci-archive.tar': {
    reference: 4,
    'blob-digest': 4,
    'blob-size': 4,
    'diff-id': 2,
  },
  // index.json says "manifests": null: the manifest found by its config is walked, and it
  // and one unreferenced blob are checked against their names.
  'ggcr-hello-world-v25.tar': {
    reference: 2,
    'blob-digest': 2,
    'blob-size': 2,
    'diff-id': 1,
    name: 2,
  },
  'ggcr-test_bundle.tar': { reference: 4, 'diff-id': 2, name: 2 },
  // One layer.tar is a symlink to another image's: two paths, two diff_id checks, one read.
  'ggcr-test_link.tar': { reference: 5, 'diff-id': 3, name: 2 },
  'regclient-testrepo-ocidir.tar': {
    reference: 91,
    'blob-digest': 91,
    'blob-size': 91,
    'diff-id': 6,
  },
  // One pass over the gzip-compressed archive.
  'trivy-alpine-310.tar.gz': { reference: 2, 'diff-id': 1, name: 1 },
};

describe('every fixture verifies clean', () => {
  it('lists every fixture', () => {
    const files = readdirSync(FIXTURES).filter((f) => /\.tar(\.gz)?$/.test(f));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, kinds] of Object.entries(EXPECTED)) {
    it(file, async () => {
      const { verification, jobs, report } = await verifyFile(FIXTURES + file);
      expect(verification.checks.filter((c) => !c.ok)).toEqual([]);
      expect(verification.status).toBe('ok');
      expectOkMeansEverythingHashed({ ...report, verification });
      expect(countKinds(verification.checks)).toEqual(kinds);
      expect(jobs.every((j) => j.state === 'ok')).toBe(true);
      for (const c of verification.checks) {
        expect(c.message).not.toMatch(/\n/);
        if (c.kind !== 'reference') expect(c.actual).toBe(c.expected);
      }
    });
  }

  it('reads each blob once, largest first, however many manifests share it', async () => {
    // b159…/layer.tar is a symlink to 6e77…/layer.tar: two references, two diff_id checks,
    // one read of the file.
    const { jobs } = await verifyFile(FIXTURES + 'ggcr-test_link.tar');
    const names = jobs.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      '6e77476643c3155b1e9ae07dd5a4c8288bdb6590c131c222b7a3f277dec1e266/layer.tar',
      '3fe17a762ab6ad87de78c88326e1667b3e6a8924a0eb92a34a2bfeb40f49824d/layer.tar',
      'd4c9adacde69c3d92446e0484cea29493e9fd573cf0c8febfc700d80c46697a4.json',
      '6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e.json',
    ]);
    const sizes = jobs.map((j) => j.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('checks eStargz layers (4 gzip members) against their diff_id', async () => {
    const { verification } = await verifyFile(FIXTURES + 'dive-test-oci-estargz-image.tar');
    expect(verification.checks.find((c) => c.kind === 'diff-id')).toMatchObject({
      target: 'sha256:faae588a698ab938e22085e54a6ee1dcab88eca70618c8cca18cd1169ce7cb5a',
      expected: 'sha256:2b3dbfdf131b60e153f6c11e1781c35dcaab001dde8f65c5efaad5813817800e',
      ok: true,
    });
  });
});
