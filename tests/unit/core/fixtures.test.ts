/**
 * Ground truth for every good fixture: the literal tables in truth-docker.ts / truth-oci.ts were
 * computed from the archives with shell tools (tar, sha256sum, gzip -dc, zstd -dc), not from
 * our output.
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImageReport, ManifestReport, Report } from '../../../src/lib/report/model.ts';
import { FIXTURES, inspectFile } from './helpers.ts';
import { DOCKER_SAVE_TRUTH } from './truth-docker.ts';
import { OCI_TRUTH, REGCLIENT_REFS } from './truth-oci.ts';
import type { TrueImage } from './truth-types.ts';

const TRUTH = { ...DOCKER_SAVE_TRUTH, ...OCI_TRUTH };

/** source.format and source.compression, from which of index.json / oci-layout / manifest.json
 * each archive holds (tar -t) and whether it is gzip-compressed as a whole. */
const SOURCE: Record<string, [string, 'none' | 'gzip']> = {
  'containers-image-almostempty.tar': ['docker-save', 'none'],
  'dive-test-docker-image.tar': ['docker-save', 'none'],
  'dive-test-kaniko-image.tar': ['docker-save', 'none'],
  'dive-test-oci-estargz-image.tar': ['oci-layout', 'none'],
  'dive-test-oci-gzip-image.tar': ['oci-layout', 'none'],
  'dive-test-oci-uncompressed-image.tar': ['oci-layout', 'none'],
  'dive-test-oci-zstd-image.tar': ['oci-layout', 'none'],
  'gen-buildah-docker-archive-arm64-v8.tar': ['docker-save', 'none'],
  'gen-buildah-multiarch-oci-archive.tar': ['oci-layout', 'none'],
  'gen-skopeo-multiarch-zstd-oci-archive.tar': ['oci-layout', 'none'],
  'gen-umoci-rawlayers-opaque-whiteout-oci-archive.tar': ['oci-layout', 'none'],
  'ggcr-hello-world-v25.tar': ['docker-save+oci', 'none'],
  'ggcr-test_bundle.tar': ['docker-save', 'none'],
  'ggcr-test_link.tar': ['docker-save', 'none'],
  'regclient-testrepo-ocidir.tar': ['oci-layout', 'none'],
  'trivy-alpine-310.tar.gz': ['docker-save', 'gzip'],
};

/** Tests known to fail because src/ is wrong: `<file>#<image>:<part>` → why. */
/** The fields of a manifest the truth table fixes (layers apart). */
function manifestHead(m: ManifestReport) {
  return {
    platform: m.platformString,
    kind: m.kind,
    digest: m.digest,
    mediaType: m.mediaType,
    imageId: m.imageId,
    totalSize: m.totalSize,
  };
}

function imageHead(image: ImageReport) {
  return {
    ref: image.ref,
    digest: image.digest,
    mediaType: image.mediaType,
    manifests: image.manifests.map(manifestHead),
  };
}

function truthHead(truth: TrueImage) {
  return {
    ref: truth.ref,
    digest: truth.digest,
    mediaType: truth.mediaType,
    manifests: truth.manifests.map(({ layers: _layers, platform, ...rest }) => ({
      platform,
      ...rest,
    })),
  };
}

it('the tables cover every archive in tests/fixtures (bad/ apart)', () => {
  const files = readdirSync(FIXTURES).filter((f) => /\.tar(\.gz)?$/.test(f));
  expect(files.sort()).toEqual(Object.keys(TRUTH).sort());
  expect(Object.keys(SOURCE).sort()).toEqual(Object.keys(TRUTH).sort());
});

for (const [file, truth] of Object.entries(TRUTH)) {
  describe(file, () => {
    let report: Report;
    beforeAll(async () => {
      report = (await inspectFile(FIXTURES + file)).report;
    });

    it(`has ${truth.count} image(s), format ${SOURCE[file]!.join(' / ')}, no problems`, () => {
      expect(report.images).toHaveLength(truth.count);
      expect([report.source.format, report.source.compression]).toEqual(SOURCE[file]);
      expect(report.source.name).toBe(file);
      expect(report.problems).toEqual([]);
    });

    for (const [key, image] of Object.entries(truth.images)) {
      const index = Number(key);

      it(`image ${index} (${image.ref}): ref, index and manifests`, () => {
        const actual = report.images[index]!;
        expect(actual).toBeDefined();
        expect(imageHead(actual)).toEqual(truthHead(image));
      });

      it(`image ${index} (${image.ref}): layers`, () => {
        const actual = report.images[index]!.manifests.map((m) =>
          m.layers.map((l) => [l.digest, l.size, l.diffId, l.compression]),
        );
        expect(actual).toEqual(image.manifests.map((m) => m.layers));
      });
    }
  });
}

describe('regclient-testrepo-ocidir.tar names', () => {
  it('names all 26 index.json entries by the reference rules', async () => {
    const { report } = await inspectFile(FIXTURES + 'regclient-testrepo-ocidir.tar');
    expect(report.images.map((i) => i.ref)).toEqual(REGCLIENT_REFS);
  });
});
