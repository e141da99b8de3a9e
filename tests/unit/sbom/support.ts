/** Test-only: SBOM inputs made by hand, and the documents checked against the schemas. */
import { expect } from 'vitest';
import type { ImagePackages } from '../../../src/lib/packages/read.ts';
import type { ApkPackage, DpkgPackage, RpmPackage } from '../../../src/lib/packages/model.ts';
import type { ImageReport, ManifestReport } from '../../../src/lib/report/model.ts';
import { type SbomFormat, type SbomInput, sbomJson } from '../../../src/lib/sbom/index.ts';
import { validateSbom } from '../../../src/lib/sbom/validate.ts';
import { imageReport, manifestReport } from '../../support/report.ts';

export const DIGEST = `sha256:${'ab12'.repeat(16)}`;
export const IMAGE_ID = `sha256:${'cd34'.repeat(16)}`;

/** Returns a manifest report of linux/amd64 with what the SBOM reads. */
export function manifest(over: Partial<ManifestReport> = {}): ManifestReport {
  return manifestReport({
    digest: DIGEST,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 500,
    imageId: IMAGE_ID,
    created: '2024-05-01T10:20:30.123456789Z',
    ...over,
  });
}

/** Returns the image report `example/app:1.0` of the one manifest `m`. */
export function image(m: ManifestReport, over: Partial<ImageReport> = {}): ImageReport {
  return imageReport('example/app:1.0', [m], { name: 'example/app', ...over });
}

export function apk(name: string, version: string | null, license: string | null): ApkPackage {
  return {
    name,
    version,
    arch: 'x86_64',
    origin: name,
    license,
    installedSize: 100,
    size: 50,
    description: null,
    url: null,
    commit: null,
    maintainer: null,
    buildTime: null,
    checksum: null,
    depends: [],
    provides: [],
  };
}

export function dpkg(name: string, version: string | null, licences: string[]) {
  const p: DpkgPackage = {
    name,
    version,
    arch: 'amd64',
    multiArch: null,
    source: name,
    sourceVersion: version,
    installedSizeKib: 4,
    status: 'install ok installed',
    statusAbbrev: 'ii ',
    maintainer: null,
    summary: null,
    depends: null,
    file: 'var/lib/dpkg/status',
  };
  return {
    package: p,
    binaryPackage: name,
    licence: { file: null, licences, valueCount: licences.length },
  };
}

export function rpm(
  name: string,
  epoch: number | null,
  version: string,
  release: string,
  license: string | null,
): RpmPackage {
  return {
    name,
    epoch,
    version,
    release,
    arch: 'x86_64',
    sourceRpm: `${name}-${version}-${release}.src.rpm`,
    license,
    size: 10,
    vendor: null,
    summary: null,
  };
}

export const ALPINE = {
  id: 'alpine',
  versionId: '3.18.4',
  prettyName: 'Alpine Linux v3.18',
  name: 'Alpine Linux',
  idLike: [],
  versionCodename: null,
  fields: {},
};

/** Returns an input whose packages are the given ones. */
export function input(packages: Partial<ImagePackages>, m = manifest()): SbomInput {
  return {
    image: image(m),
    manifest: m,
    packages: { distro: ALPINE, apk: null, dpkg: null, rpm: null, problems: [], ...packages },
    tool: { name: 'stevedore-image', version: '0.1.0' },
  };
}

/** Returns the document of an input, after asserting that it is valid against its schema. */
export function valid(format: SbomFormat, i: SbomInput): Record<string, any> {
  const text = sbomJson(format, i);
  const doc = JSON.parse(text);
  expect(validateSbom(format, doc)).toEqual([]);
  return doc;
}
