/**
 * SBOM attestations already in the archive. No real BuildKit archive with an SBOM attestation
 * is among the fixtures (regclient's test repo has attestation manifests, but of a made-up
 * build-type, not in-toto), so the archive is built here following BuildKit's documented
 * attestation storage (docs/attestations/attestation-storage.md): an attestation manifest in
 * the image index with platform unknown/unknown and the annotations
 * `vnd.docker.reference.type: attestation-manifest` and `vnd.docker.reference.digest: <image
 * manifest digest>`, whose layers are in-toto statements (`application/vnd.in-toto+json`,
 * annotated `in-toto.io/predicate-type`), the SPDX one carrying the document syft writes.
 * Hostile statements come first: each gives a problem naming the layer, never a throw.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import type { PackageRecord } from '../../../src/lib/packages/by-layer.ts';
import {
  compareDeclared,
  MAX_DECLARED_PACKAGES,
  MAX_STATEMENT_BYTES,
  parsePurl,
  readAttestations,
  readStatement,
} from '../../../src/lib/sbom/attestation.ts';
import { runCli } from '../../support/cli.ts';
import { type Blob, blob, buildkitImage } from '../../support/oci.ts';
import { sha256, writeTar } from '../../support/tar.ts';

const enc = new TextEncoder();
const WHERE = 'attestation layer sha256:x';

const rec = (
  type: 'apk' | 'deb' | 'rpm',
  name: string,
  version: string | null,
  arch: string | null = 'x86_64',
): PackageRecord => ({
  type,
  name,
  version,
  epoch: null,
  release: null,
  arch,
  source: null,
  licences: [],
  size: null,
  layer: 0,
  file: 'f',
  detail: {} as never,
});

const spdxPackage = (name: string, version: string, purl?: string) => ({
  name,
  SPDXID: `SPDXRef-${name.replace(/[^A-Za-z0-9]/g, '-')}`,
  versionInfo: version,
  downloadLocation: 'NOASSERTION',
  ...(purl
    ? {
        externalRefs: [
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl },
        ],
      }
    : {}),
});

const statement = (packages: unknown, subject = 'a'.repeat(64)) =>
  enc.encode(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://spdx.dev/Document',
      subject: [
        { name: 'pkg:docker/app@latest?platform=linux%2Famd64', digest: { sha256: subject } },
      ],
      predicate: { spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages },
    }),
  );

describe('hostile statements: a problem naming the layer, never a throw', () => {
  test.each([
    ['not JSON', enc.encode('{"predicateType": '), /not JSON/],
    ['an array', enc.encode('[1,2]'), /not an in-toto statement/],
    ['no predicate type', enc.encode('{"predicate":{}}'), /no predicateType/],
    [
      'packages not a list',
      enc.encode(
        JSON.stringify({
          predicateType: 'https://spdx.dev/Document',
          predicate: { packages: 'x' },
        }),
      ),
      /no packages list/,
    ],
    ['invalid UTF-8 and NUL', new Uint8Array([0x7b, 0xff, 0x00, 0x7d]), /not JSON/],
    [
      'nesting 200,000 deep',
      enc.encode('['.repeat(200_000) + ']'.repeat(200_000)),
      /not an in-toto statement|not JSON/,
    ],
  ])('%s', (_, bytes, problem) => {
    const r = readStatement(bytes, WHERE, []);
    expect(r.comparison).toBeNull();
    expect(r.problems.join('\n')).toMatch(problem);
    expect(r.problems.every((p) => p.startsWith(WHERE))).toBe(true);
  });

  test('junk package entries are skipped and counted; huge names clipped', () => {
    const r = readStatement(
      statement([null, 7, 'x', { name: 5 }, { name: '' }, spdxPackage('n'.repeat(100_000), '1')]),
      WHERE,
      [],
    );
    expect(r.problems).toEqual([`${WHERE}: 5 declared package(s) without a name, skipped`]);
    expect(r.declared).toBe(1);
    expect(r.comparison!.notCompared).toBe(1);
  });

  test(`more than ${MAX_DECLARED_PACKAGES} packages: the first compared, the rest said`, () => {
    const many = Array.from({ length: MAX_DECLARED_PACKAGES + 5 }, (_, i) => ({ name: `p${i}` }));
    const r = readStatement(statement(many), WHERE, []);
    expect(r.declared).toBe(MAX_DECLARED_PACKAGES);
    expect(r.problems[0]).toMatch(/100005 packages declared; the first 100000 compared/);
  });

  test('a provenance statement is listed, not compared', () => {
    const r = readStatement(
      enc.encode(
        JSON.stringify({
          predicateType: 'https://slsa.dev/provenance/v0.2',
          subject: [],
          predicate: {},
        }),
      ),
      WHERE,
      [],
    );
    expect([r.predicateType, r.comparison, r.problems]).toEqual([
      'https://slsa.dev/provenance/v0.2',
      null,
      [],
    ]);
  });
});

describe('comparison', () => {
  test('same, version differs, declared only, found only, not compared; rpm epoch; deb case', () => {
    const r = readStatement(
      statement([
        spdxPackage(
          'musl',
          '1.2.4-r2',
          'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4',
        ),
        spdxPackage('busybox', '1.36.1-r4', 'pkg:apk/alpine/busybox@1.36.1-r4?arch=x86_64'),
        spdxPackage('ghost', '1', 'pkg:apk/alpine/ghost@1?arch=x86_64'),
        spdxPackage(
          'openssl',
          '1.1.1k-7.el8',
          'pkg:rpm/rhel/openssl@1.1.1k-7.el8?arch=x86_64&epoch=1',
        ),
        spdxPackage('libc6', '2.36-9+deb12u4', 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64'),
        spdxPackage('left-pad', '1.3.0', 'pkg:npm/left-pad@1.3.0'),
        spdxPackage('no-purl', '1'),
      ]),
      WHERE,
      [
        rec('apk', 'musl', '1.2.4-r2'),
        rec('apk', 'busybox', '1.36.1-r5'),
        rec('apk', 'zlib', '1.3-r0'),
        rec('rpm', 'openssl', '1:1.1.1k-7.el8'),
        rec('deb', 'LibC6', '2.36-9+deb12u4', 'amd64'),
      ],
    );
    const c = r.comparison!;
    expect(r.subjects).toEqual([`sha256:${'a'.repeat(64)}`]);
    expect(c.same).toBe(3);
    expect(c.versionDiffers).toEqual([
      { type: 'apk', name: 'busybox', arch: 'x86_64', declared: '1.36.1-r4', found: '1.36.1-r5' },
    ]);
    expect(c.declaredOnly.map((d) => d.name)).toEqual(['ghost']);
    expect(c.foundOnly.map((f) => f.name)).toEqual(['zlib']);
    expect(c.notCompared).toBe(2);
  });

  test('two archs of one name are matched by arch', () => {
    const c = compareDeclared(
      [
        { name: 'libc6', version: '2', type: 'deb', arch: 'i386', purl: null },
        { name: 'libc6', version: '2', type: 'deb', arch: 'amd64', purl: null },
      ],
      [rec('deb', 'libc6', '2', 'amd64'), rec('deb', 'libc6', '1', 'i386')],
    );
    expect([c.same, c.versionDiffers.map((d) => d.arch)]).toEqual([1, ['i386']]);
  });

  test('purls parsed and decoded', () => {
    expect(parsePurl('pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64&distro=debian-12')).toEqual({
      type: 'deb',
      namespace: 'debian',
      name: 'attr',
      version: '1:2.4.47-2+b1',
      qualifiers: { arch: 'amd64', distro: 'debian-12' },
    });
    expect(parsePurl('pkg:npm/%40angular/core@1.0#sub')?.namespace).toBe('@angular');
    expect(parsePurl('not a purl')).toBeNull();
    expect(parsePurl('pkg:apk/alpine/bad%ZZ@1')?.name).toBe('bad%ZZ');
  });
});

describe('stevedore packages on a BuildKit-style archive with an SBOM attestation', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stevedore-attest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const installed = [
    ['musl', '1.2.4-r2', 'MIT'],
    ['busybox', '1.36.1-r5', 'GPL-2.0-only'],
    ['zlib', '1.3-r0', 'Zlib'],
  ]
    .map(([n, v, l]) => `P:${n}\nV:${v}\nA:x86_64\nL:${l}\no:${n}\n`)
    .join('\n');
  const rootfs = writeTar([
    {
      name: 'etc/os-release',
      data: 'ID=alpine\nVERSION_ID=3.18.4\nPRETTY_NAME="Alpine Linux v3.18"\n',
    },
    { name: 'lib/apk/db/installed', data: `${installed}\n` },
  ]);
  const built = buildkitImage({
    config: { created: '2024-01-02T03:04:05Z' },
    layer: { layer: blob(gzipSync(rootfs)), diffId: sha256(rootfs) },
    statements: (subject) => [
      {
        predicateType: 'https://spdx.dev/Document',
        statement: statement(
          [
            spdxPackage(
              'musl',
              '1.2.4-r2',
              'pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.18.4',
            ),
            spdxPackage(
              'busybox',
              '1.36.1-r4',
              'pkg:apk/alpine/busybox@1.36.1-r4?arch=x86_64&distro=alpine-3.18.4',
            ),
            spdxPackage(
              'ghost',
              '0.1-r0',
              'pkg:apk/alpine/ghost@0.1-r0?arch=x86_64&distro=alpine-3.18.4',
            ),
            spdxPackage('app', '1.0.0', 'pkg:npm/app@1.0.0'),
          ],
          subject,
        ),
      },
      {
        predicateType: 'https://slsa.dev/provenance/v0.2',
        statement: {
          _type: 'https://in-toto.io/Statement/v0.1',
          predicateType: 'https://slsa.dev/provenance/v0.2',
          subject: [{ name: 'x', digest: { sha256: subject } }],
          predicate: { builder: { id: '' } },
        },
      },
    ],
  });
  const { manifest, attestation: attManifest } = built;
  const [sbom, provenance] = built.statements as [Blob, Blob];
  const archive = path.join(dir, 'buildkit-sbom.tar');
  writeFileSync(archive, built.archive);

  test('--format json: an attestations field, the SBOM compared with the layers', async () => {
    const { code, out, err } = await runCli(['packages', archive, '--format', 'json']);
    expect(code, err).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.packages.map((p: { name: string }) => p.name)).toEqual(['busybox', 'musl', 'zlib']);
    expect(doc.attestations).toEqual([
      {
        manifest: attManifest.digest,
        layer: sbom.digest,
        predicateType: 'https://spdx.dev/Document',
        subjects: [manifest.digest],
        declared: 4,
        comparison: {
          same: 1,
          declaredOnly: [
            {
              name: 'ghost',
              version: '0.1-r0',
              type: 'apk',
              arch: 'x86_64',
              purl: 'pkg:apk/alpine/ghost@0.1-r0?arch=x86_64&distro=alpine-3.18.4',
            },
          ],
          foundOnly: [{ type: 'apk', name: 'zlib', version: '1.3-r0', arch: 'x86_64' }],
          versionDiffers: [
            {
              type: 'apk',
              name: 'busybox',
              arch: 'x86_64',
              declared: '1.36.1-r4',
              found: '1.36.1-r5',
            },
          ],
          notCompared: 1,
        },
        problems: [],
      },
      {
        manifest: attManifest.digest,
        layer: provenance.digest,
        predicateType: 'https://slsa.dev/provenance/v0.2',
        subjects: [manifest.digest],
        declared: null,
        comparison: null,
        problems: [],
      },
    ]);
  });

  test('text: a short section after the table', async () => {
    const { code, out } = await runCli(['packages', archive]);
    expect(code).toBe(0);
    expect(out).toContain(
      [
        `Attestation ${sbom.digest} (in-toto, https://spdx.dev/Document)`,
        '  SBOM declares 4 packages: 1 as found, 1 at another version, 1 declared only, 1 found only; 1 not OS packages (not compared)',
        '  version differs:',
        '    apk busybox: declared 1.36.1-r4, found 1.36.1-r5',
        '  declared only:',
        '    apk ghost 0.1-r0',
        '  found only:',
        '    apk zlib 1.3-r0',
        '',
        `Attestation ${provenance.digest} (in-toto, https://slsa.dev/provenance/v0.2)`,
        '  not an SBOM: not compared',
        '',
      ].join('\n'),
    );
  });

  test('an image without attestations: no section, an empty field', async () => {
    const { out } = await runCli([
      'packages',
      path.join(__dirname, '../../fixtures/packages/apk-alpine318.tar'),
    ]);
    expect(out).not.toContain('Attestation');
    const json = await runCli([
      'packages',
      path.join(__dirname, '../../fixtures/packages/apk-alpine318.tar'),
      '--format',
      'json',
    ]);
    expect(JSON.parse(json.out).attestations).toEqual([]);
  });

  test('the SBOM of this image, written by Stevedore, is valid and lists what the layers hold', async () => {
    const { code, out } = await runCli(['sbom', archive, '--format', 'spdx-json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).packages.map((p: { name: string }) => p.name)).toEqual([
      'buildkit-sbom:latest',
      'alpine',
      'busybox',
      'musl',
      'zlib',
    ]);
  });
});

describe('readAttestations bounds', () => {
  const subject = `sha256:${'1'.repeat(64)}`;
  const manifest = { blob: { descriptor: { digest: subject } } } as never;
  const attestation = (size: number, truncated = false) =>
    ({
      kind: 'attestation',
      subject,
      included: true,
      blob: { descriptor: { digest: `sha256:${'2'.repeat(64)}` } },
      layers: [
        {
          mediaType: 'application/vnd.in-toto+json',
          digest: `sha256:${'3'.repeat(64)}`,
          path: 'blobs/sha256/333',
          entry: { type: 'file', size, truncated },
        },
      ],
    }) as never;
  const archive = {
    read: () => {
      throw new Error('read must not be called');
    },
  } as never;

  test('a statement over 64 MiB is not read: a problem', async () => {
    const image = { manifests: [attestation(MAX_STATEMENT_BYTES + 1)] } as never;
    const [r] = await readAttestations(archive, image, manifest, []);
    expect(r!.problems).toEqual([
      `attestation layer sha256:${'3'.repeat(64)}: ${MAX_STATEMENT_BYTES + 1} bytes, more than the ${MAX_STATEMENT_BYTES}-byte limit; not read`,
    ]);
  });

  test('a truncated layer, and one whose read fails: problems, no throw', async () => {
    const [t] = await readAttestations(
      archive,
      { manifests: [attestation(10, true)] } as never,
      manifest,
      [],
    );
    expect(t!.problems[0]).toMatch(/not in the archive/);
    const [f] = await readAttestations(
      archive,
      { manifests: [attestation(10)] } as never,
      manifest,
      [],
    );
    expect(f!.problems[0]).toMatch(/cannot be read: read must not be called/);
  });

  test('only attestations about this manifest count', async () => {
    const other = { ...(attestation(10) as object), subject: `sha256:${'9'.repeat(64)}` };
    expect(await readAttestations(archive, { manifests: [other] } as never, manifest, [])).toEqual(
      [],
    );
  });
});
