/**
 * sbomJson on inputs made by hand: the structure each format promises (root, relationships,
 * licences), determinism, the timestamp, and hostile package data that must still give a valid
 * document. Every document here is validated against its official schema (support.ts valid).
 */
import { describe, expect, test } from 'vitest';
import type { ImagePackages } from '../../../src/lib/packages/read.ts';
import parse from 'spdx-expression-parse';
import { NO_DATE, sbomTimestamp, derivedUuid } from '../../../src/lib/sbom/input.ts';
import { classifyLicences } from '../../../src/lib/sbom/licences.ts';
import { sbomFileName, sbomJson } from '../../../src/lib/sbom/index.ts';
import { validateSbom } from '../../../src/lib/sbom/validate.ts';
import { ALPINE, DIGEST, IMAGE_ID, apk, dpkg, input, manifest, rpm, valid } from './support.ts';

const FORMATS = ['spdx-json', 'cyclonedx-json'] as const;
const alpine = input({
  apk: {
    file: 'lib/apk/db/installed',
    packages: [
      apk('musl', '1.2.4-r2', 'MIT'),
      apk('busybox', '1.36.1-r5', 'GPL-2.0-only'),
      apk('ssl_client', '3.1.4-r1', 'Apache-2.0 AND (MIT OR BSD-2-Clause)'),
      apk('zlib', '1.3-r0', 'Zlib BSD'),
    ],
  },
});

describe('SPDX 2.3', () => {
  const doc = valid('spdx-json', alpine);
  const byName = (n: string) => doc.packages.find((p: { name: string }) => p.name === n);

  test('the document describes the image, which contains the OS and every package', () => {
    expect(doc.relationships[0]).toEqual({
      spdxElementId: 'SPDXRef-DOCUMENT',
      relationshipType: 'DESCRIBES',
      relatedSpdxElement: 'SPDXRef-Image',
    });
    const contained = doc.relationships
      .filter((r: { relationshipType: string }) => r.relationshipType === 'CONTAINS')
      .map((r: { relatedSpdxElement: string }) => r.relatedSpdxElement);
    const ids = doc.packages.map((p: { SPDXID: string }) => p.SPDXID);
    expect(contained).toEqual(ids.slice(1));
    expect(new Set(ids).size).toBe(ids.length);
    const root = doc.packages[0];
    expect(root).toMatchObject({
      name: 'example/app:1.0',
      primaryPackagePurpose: 'CONTAINER',
      versionInfo: DIGEST,
      checksums: [{ algorithm: 'SHA256', checksumValue: DIGEST.slice(7) }],
    });
    expect(root.externalRefs[0].referenceLocator).toBe(
      `pkg:oci/app@${DIGEST}?arch=amd64&repository_url=docker.io%2Fexample%2Fapp&tag=1.0`,
    );
    expect(root.comment).toContain(IMAGE_ID);
    expect(byName('alpine').primaryPackagePurpose).toBe('OPERATING-SYSTEM');
  });

  test('purls, licences as expressions, named licences as LicenseRef with their text', () => {
    expect(byName('musl').externalRefs).toEqual([
      {
        referenceCategory: 'PACKAGE-MANAGER',
        referenceType: 'purl',
        referenceLocator: 'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4',
      },
    ]);
    expect(byName('musl').licenseDeclared).toBe('MIT');
    expect(byName('ssl_client').licenseDeclared).toBe('Apache-2.0 AND (MIT OR BSD-2-Clause)');
    expect(byName('zlib').licenseDeclared).toBe('LicenseRef-Zlib-BSD');
    expect(doc.hasExtractedLicensingInfos).toEqual([
      expect.objectContaining({
        licenseId: 'LicenseRef-Zlib-BSD',
        extractedText: 'Zlib BSD',
        name: 'Zlib BSD',
      }),
    ]);
  });

  test('dates, namespace and creator from the input alone', () => {
    expect(doc.creationInfo.created).toBe('2024-05-01T10:20:30Z');
    expect(doc.creationInfo.creators).toEqual(['Tool: stevedore-image-0.1.0']);
    expect(doc.documentNamespace).toBe(
      `https://stevedore-image.invalid/spdx/sha256/${DIGEST.slice(7)}`,
    );
  });
});

describe('CycloneDX 1.6', () => {
  const doc = valid('cyclonedx-json', alpine);
  const byName = (n: string) => doc.components.find((c: { name: string }) => c.name === n);

  test('the image is metadata.component, of type container', () => {
    expect(doc.metadata.component).toMatchObject({
      type: 'container',
      name: 'example/app:1.0',
      version: DIGEST,
      hashes: [{ alg: 'SHA-256', content: DIGEST.slice(7) }],
    });
    expect(doc.metadata.timestamp).toBe('2024-05-01T10:20:30Z');
    expect(doc.serialNumber).toBe(`urn:uuid:${derivedUuid(['sha256', DIGEST.slice(7)])}`);
    expect(doc.serialNumber).toBe('urn:uuid:ab12ab12-ab12-8b12-ab12-ab12ab12ab12');
    expect(byName('alpine')).toMatchObject({ type: 'operating-system', version: '3.18.4' });
  });

  test('licences: an id, an expression, or names (never mixed with an expression)', () => {
    expect(byName('musl').licenses).toEqual([{ license: { id: 'MIT' } }]);
    expect(byName('ssl_client').licenses).toEqual([
      { expression: 'Apache-2.0 AND (MIT OR BSD-2-Clause)' },
    ]);
    expect(byName('zlib').licenses).toEqual([{ license: { name: 'Zlib BSD' } }]);
    expect(byName('busybox').purl).toBe(
      'pkg:apk/alpine/busybox@1.36.1-r5?arch=x86_64&distro=alpine-3.18.4',
    );
  });

  test('dpkg copyright licences: parsed ones by id, the rest by name', () => {
    const doc2 = valid(
      'cyclonedx-json',
      input({
        dpkg: {
          file: 'var/lib/dpkg/status',
          entries: [dpkg('bash', '5.2.15-2+b8', ['GPL-3.0-or-later', 'GPL-3+', 'BSD-4-clause-UC'])],
        },
      }),
    );
    expect(doc2.components[1].licenses).toEqual([
      { license: { id: 'GPL-3.0-or-later' } },
      { license: { name: 'GPL-3+' } },
      { license: { name: 'BSD-4-clause-UC' } },
    ]);
    const spdx = valid(
      'spdx-json',
      input({
        dpkg: {
          file: 'var/lib/dpkg/status',
          entries: [dpkg('bash', '5.2.15-2+b8', ['GPL-3.0-or-later', 'GPL-3+', 'BSD-4-clause-UC'])],
        },
      }),
    );
    const declared = spdx.packages.at(-1).licenseDeclared;
    expect(declared).toBe('GPL-3.0-or-later AND LicenseRef-GPL-3 AND LicenseRef-BSD-4-clause-UC');
    expect(() => parse(declared)).not.toThrow();
  });
});

describe('determinism', () => {
  test.each(FORMATS)(
    '%s: the same input gives the same bytes; package order does not matter',
    (f) => {
      const a = sbomJson(f, alpine);
      expect(sbomJson(f, alpine)).toBe(a);
      const shuffled = input({
        apk: {
          file: 'lib/apk/db/installed',
          packages: [...(alpine.packages as ImagePackages).apk!.packages].reverse(),
        },
      });
      expect(sbomJson(f, shuffled)).toBe(a);
      expect(a.endsWith('}\n')).toBe(true);
    },
  );

  test('timestamps: UTC to the second, offsets applied, nonsense the epoch', () => {
    expect(sbomTimestamp('2019-04-09T23:20:18.123Z')).toBe('2019-04-09T23:20:18Z');
    expect(sbomTimestamp('2019-04-09T23:20:18+02:00')).toBe('2019-04-09T21:20:18Z');
    expect(sbomTimestamp('2019-12-31T23:30:00-01:00')).toBe('2020-01-01T00:30:00Z');
    expect(sbomTimestamp('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00Z');
    for (const bad of [
      null,
      '',
      'yesterday',
      '2019-02-31T00:00:00Z',
      '2019-13-01T00:00:00Z',
      '2019-04-09',
    ])
      expect(sbomTimestamp(bad)).toBe(NO_DATE);
    const undated = valid('spdx-json', input({}, manifest({ created: null })));
    expect(undated.creationInfo.created).toBe(NO_DATE);
  });

  test('a legacy save (no manifest digest) is named by its image ID; with neither, by its ref', () => {
    const legacy = valid('cyclonedx-json', input({}, manifest({ digest: null })));
    expect(legacy.serialNumber).toBe('urn:uuid:cd34cd34-cd34-8d34-8d34-cd34cd34cd34');
    expect(legacy.metadata.component.purl).toBe(
      'pkg:oci/app?arch=amd64&repository_url=docker.io%2Fexample%2Fapp&tag=1.0',
    );
    const none = valid('spdx-json', input({}, manifest({ digest: null, imageId: null })));
    expect(none.documentNamespace).toMatch(
      /^https:\/\/stevedore-image\.invalid\/spdx\/fnv1a\/[0-9a-f]{32}$/,
    );
    expect(none.packages[0].checksums).toBeUndefined();
  });

  test('the download file name', () => {
    expect(sbomFileName('spdx-json', alpine)).toBe('example_app_1.0_linux-amd64.spdx.json');
    expect(sbomFileName('cyclonedx-json', alpine)).toBe('example_app_1.0_linux-amd64.cdx.json');
  });
});

describe('hostile package data still gives valid documents', () => {
  const odd = [
    'name with spaces',
    'at@sign',
    'per%cent',
    'slash/ed',
    'ünïcödé-пакет-𝄞',
    'quote"back\\slash',
    'ctl\u0001\u007f',
    '',
  ];
  const licences = [
    '',
    '   ',
    'GPL-2+ or Artistic',
    'MIT AND',
    '(MIT',
    'LicenseRef-custom',
    'DocumentRef-x:LicenseRef-y',
    'Copyright (c) 1999 The Regents. All rights reserved.\nRedistribution permitted.',
    'x'.repeat(5000),
    'Ünïcode licence',
    'mit',
  ];
  const attack = input({
    apk: {
      file: 'lib/apk/db/installed',
      packages: odd.map((n, i) =>
        apk(n, i % 2 ? `1.0 ${n}` : null, licences[i % licences.length]!),
      ),
    },
    dpkg: {
      file: 'var/lib/dpkg/status',
      entries: odd.map((n, i) => dpkg(n, `1:${i}+b@%/`, licences)),
    },
    rpm: {
      file: 'var/lib/rpm/rpmdb.sqlite',
      backend: 'sqlite',
      packages: odd.map((n, i) =>
        rpm(n, i, `${i}.0 ü`, 'rel/1', licences[(i + 3) % licences.length]!),
      ),
    },
  });

  test.each(FORMATS)('%s: every package listed, valid against the schema', (f) => {
    const doc = valid(f, attack);
    const list = f === 'spdx-json' ? doc.packages : doc.components;
    // The image (SPDX only), the OS, and 3 × 8 packages.
    expect(list).toHaveLength((f === 'spdx-json' ? 2 : 1) + 3 * odd.length);
  });

  test('every SPDX licenseDeclared parses as an SPDX expression; every LicenseRef is defined', () => {
    const doc = valid('spdx-json', attack);
    const defined = new Set(
      doc.hasExtractedLicensingInfos.map((e: { licenseId: string }) => e.licenseId),
    );
    for (const p of doc.packages) {
      if (p.licenseDeclared === 'NOASSERTION') continue;
      expect(() => parse(p.licenseDeclared), p.licenseDeclared).not.toThrow();
      for (const ref of p.licenseDeclared.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? [])
        expect(defined.has(ref), ref).toBe(true);
    }
    const texts = doc.hasExtractedLicensingInfos.map(
      (e: { extractedText: string }) => e.extractedText,
    );
    expect(texts).toContain('LicenseRef-custom');
    expect(texts).toContain('mit');
    expect(new Set(defined).size).toBe(doc.hasExtractedLicensingInfos.length);
  });

  test('purls carry the odd characters percent-encoded, never raw', () => {
    const doc = valid('cyclonedx-json', attack);
    const purls = doc.components.map((c: { purl?: string }) => c.purl).filter(Boolean) as string[];
    // The empty name has no purl; the other 7 names in 3 ecosystems do.
    expect(purls).toHaveLength(21);
    for (const p of purls) expect(p).toMatch(/^pkg:[a-z]+\/[A-Za-z0-9.\-_~:%/@?=&]+$/);
    expect(purls).toContain(
      'pkg:deb/alpine/at%40sign@1:1%2Bb%40%25%2F?arch=amd64&distro=alpine-3.18.4',
    );
    const refs = doc.components.map((c: { 'bom-ref': string }) => c['bom-ref']);
    expect(new Set(refs).size).toBe(refs.length);
  });

  test('empty and blank licences are no licence', () => {
    expect(classifyLicences(['', '  ', 'MIT', 'MIT'])).toEqual([
      { expression: 'MIT', compound: false },
    ]);
    const doc = valid(
      'cyclonedx-json',
      input({ apk: { file: 'f', packages: [apk('a', '1', '')] } }),
    );
    expect(doc.components[1].licenses).toBeUndefined();
  });

  test('10,000 packages: valid, each once', () => {
    const many = input({
      apk: {
        file: 'lib/apk/db/installed',
        packages: Array.from({ length: 10_000 }, (_, i) =>
          apk(`pkg-${i}`, `${i}.0-r0`, i % 3 ? 'MIT' : 'custom licence'),
        ),
      },
    });
    for (const f of FORMATS) {
      const doc = valid(f, many);
      expect((f === 'spdx-json' ? doc.packages : doc.components).length).toBe(
        10_001 + (f === 'spdx-json' ? 1 : 0),
      );
    }
  });

  test('the validators reject a broken document (so the checks above can fail)', () => {
    const doc = valid('spdx-json', alpine);
    doc.packages[1].SPDXID = 'SPDXRef-with space';
    expect(validateSbom('spdx-json', doc)[0]?.path).toBe('/packages/1/SPDXID');
    const bom = valid('cyclonedx-json', alpine);
    bom.components[1].licenses = [{ license: { id: 'GPL-2+' } }];
    expect(validateSbom('cyclonedx-json', bom)).not.toEqual([]);
    bom.components[1].licenses = [{ expression: 'MIT' }, { license: { name: 'x' } }];
    expect(validateSbom('cyclonedx-json', bom)).not.toEqual([]);
    // uniqueItems, checked in one pass: equal items whatever their keys' order.
    bom.components[1].licenses = [{ license: { id: 'MIT' } }];
    const { name, type, ...rest } = bom.components[2];
    bom.components.push({ ...rest, type, name });
    expect(validateSbom('cyclonedx-json', bom)).toEqual([
      {
        path: `/components/${bom.components.length - 1}`,
        message: 'must NOT have duplicate items',
      },
    ]);
    bom.components.pop();
    bom.components[1].properties = [
      { name: 'a', value: '1' },
      { value: '1', name: 'a' },
    ];
    expect(validateSbom('cyclonedx-json', bom)[0]?.path).toBe('/components/1/properties/1');
  });
});

test('ALPINE fixture is the distro used', () => {
  expect(ALPINE.id).toBe('alpine');
});
