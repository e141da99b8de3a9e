/**
 * `stevedore packages` and `stevedore report --local` through the real read path: archive →
 * the verifier's decode (the job's `keep` flag) → kept bytes → merged filesystem → readers.
 * Every fixture with a truth file gives exactly the truth's packages (what rpm, dpkg-query and
 * an independent apk parser wrote), the multilayer fixtures prove the merge (a database
 * replaced, deleted by a whiteout, its directory deleted, hidden by an opaque marker), the
 * replicas' local reports equal repo-info's Markdown byte for byte, and a corrupt database is a
 * problem naming its file while the rest still prints (exit 0).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parsePackagesArgs } from '../../src/cli/packages.ts';
import type { PackageRecord } from '../../src/lib/packages/by-layer.ts';
import type { DpkgEntry } from '../../src/lib/packages/copyright.ts';
import { DPKG_OFFLINE_NOTE, nvra } from '../../src/lib/packages/local-report-sections.ts';
import type { ApkPackage, PackageProblem, RpmPackage } from '../../src/lib/packages/model.ts';
import { compareC } from '../../src/lib/packages/text.ts';
import { runCli } from '../support/cli.ts';
import { apkInstalled, corruptRpmArchive, layeredArchive } from '../support/layered.ts';
import type { TarSpec } from '../support/tar.ts';
import { packageFixture, PACKAGES, rootfsOf } from './packages/extract.ts';

interface Doc {
  platform: string | null;
  distro: { id: string | null; versionId: string | null; prettyName: string | null } | null;
  packages: (PackageRecord & { layer: number | null; diffId: string | null })[];
  problems: PackageProblem[];
}

async function packagesJson(archive: string, ...args: string[]) {
  const r = await runCli(['packages', archive, '--format', 'json', ...args]);
  return { ...r, doc: (r.out ? JSON.parse(r.out) : null) as Doc };
}

const byName = (a: { name: string }, b: { name: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

const truths = readdirSync(PACKAGES).filter((f) => f.endsWith('.truth.json'));

describe.each(truths)('packages --format json on %s equals its truth', (truthFile) => {
  const truth = JSON.parse(readFileSync(packageFixture(truthFile), 'utf8'));
  const platform = truth.platform as string;
  const run = packagesJson(packageFixture(truth.fixture), '--platform', platform);

  test('exit 0, no problem, the distro', async () => {
    const { code, doc, err } = await run;
    expect(code, err).toBe(0);
    expect(doc.problems).toEqual([]);
    expect(doc.platform).toBe(platform);
    if (truth.os_release === null) expect(doc.distro).toBeNull();
    else
      expect([doc.distro?.id, doc.distro?.versionId, doc.distro?.prettyName]).toEqual([
        truth.os_release.ID,
        truth.os_release.VERSION_ID,
        truth.os_release.PRETTY_NAME,
      ]);
  });

  test('apk', async () => {
    const apk = (await run).doc.packages.filter((p) => p.type === 'apk');
    if (truth.apk === null) return expect(apk).toEqual([]);
    const got = apk
      .map((r) => {
        const p = r.detail as ApkPackage;
        expect([r.name, r.version, r.arch, r.source, r.size]).toEqual([
          p.name,
          p.version,
          p.arch,
          p.origin,
          p.installedSize,
        ]);
        expect(r.licences).toEqual(p.license ? [p.license] : []);
        return {
          name: p.name,
          version: p.version,
          arch: p.arch,
          origin: p.origin,
          license: p.license,
          installed_size: p.installedSize,
          size: p.size,
          description: p.description,
          url: p.url,
          commit: p.commit,
          maintainer: p.maintainer,
          build_time: p.buildTime,
          checksum: p.checksum,
        };
      })
      .sort(byName);
    expect(got).toEqual(truth.apk.packages);
  });

  test('dpkg', async () => {
    const deb = (await run).doc.packages.filter((p) => p.type === 'deb');
    if (truth.dpkg === null) return expect(deb).toEqual([]);
    const got = deb
      .map((r) => {
        const { package: p, binaryPackage, licence } = r.detail as DpkgEntry;
        expect([r.name, r.version, r.arch, r.source, r.licences, r.size]).toEqual([
          p.name,
          p.version,
          p.arch,
          p.source,
          licence.licences,
          p.installedSizeKib === null ? null : p.installedSizeKib * 1024,
        ]);
        return {
          name: p.name,
          version: p.version,
          arch: p.arch,
          binary_package: binaryPackage,
          source: p.source,
          source_version: p.sourceVersion,
          installed_size_kib: p.installedSizeKib,
          status_abbrev: p.statusAbbrev,
          multi_arch: p.multiArch ?? 'no',
          license_file: licence.file,
          licenses: licence.licences,
        };
      })
      .sort(byName);
    expect(got).toEqual(truth.dpkg.packages);
  });

  test('rpm', async () => {
    const rpm = (await run).doc.packages.filter((p) => p.type === 'rpm');
    if (truth.rpm === null) return expect(rpm).toEqual([]);
    for (const r of rpm) expect(r.file).toBe(truth.rpm.db);
    const key = (p: {
      name: string;
      version: string | null;
      release: string | null;
      arch: string | null;
    }) => `${p.name}\0${p.version}\0${p.release}\0${p.arch}`;
    const order = (a: ReturnType<typeof shape>, b: ReturnType<typeof shape>) =>
      compareC(key(a), key(b));
    const shape = (p: RpmPackage) => ({
      name: p.name,
      epoch: p.epoch,
      version: p.version,
      release: p.release,
      arch: p.arch,
      source_rpm: p.sourceRpm,
      license: p.license,
      size: p.size,
      vendor: p.vendor,
      summary: p.summary,
    });
    for (const r of rpm) {
      const p = r.detail as RpmPackage;
      expect([r.epoch, r.release, r.arch, r.source, r.size]).toEqual([
        p.epoch,
        p.release,
        p.arch,
        p.sourceRpm,
        p.size,
      ]);
    }
    const details = rpm.map((r) => r.detail as RpmPackage);
    expect(details.map(shape).sort(order)).toEqual([...truth.rpm.packages].sort(order));
    expect(details.map(nvra).sort(compareC)).toEqual(truth.rpm.rpm_qa_sorted);
  });
});

describe('the merge, through the layers', () => {
  test('multilayer-apk-replaced: the database of layer 2, packages it changed attributed to it', async () => {
    const { doc } = await packagesJson(packageFixture('multilayer-apk-replaced.tar'));
    expect(doc.distro?.versionId).toMatch(/^3\.18/);
    expect(doc.packages).toHaveLength(15);
    // Layer 2 rewrote the database; alpine-keys 2.4-r1 was already there at that version.
    const inLayer1 = doc.packages.filter((p) => p.layer === 1).map((p) => [p.name, p.version]);
    expect(inLayer1).toEqual([['alpine-keys', '2.4-r1']]);
    expect(doc.packages.filter((p) => p.layer === 2)).toHaveLength(14);
    expect(doc.packages[0]!.diffId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test('multilayer-dpkg-status-whiteout: status deleted, no dpkg packages', async () => {
    const { doc, code } = await packagesJson(packageFixture('multilayer-dpkg-status-whiteout.tar'));
    expect(code).toBe(0);
    expect(doc.packages).toEqual([]);
    expect(doc.distro?.id).toBe('debian');
  });

  test('multilayer-rpm-dir-whiteout: var/lib/rpm deleted, no rpm packages', async () => {
    const { doc } = await packagesJson(packageFixture('multilayer-rpm-dir-whiteout.tar'));
    expect(doc.packages).toEqual([]);
    expect(doc.problems).toEqual([]);
  });

  test('multilayer-rpm-opaque-replaced: the sqlite database hidden, layer 2 BDB read', async () => {
    const { doc } = await packagesJson(packageFixture('multilayer-rpm-opaque-replaced.tar'));
    expect(doc.packages.map((p) => [p.file, p.layer])).toEqual([['var/lib/rpm/Packages', 2]]);
    expect(doc.distro?.id).toBe('rhel');
  });
});

describe('report --local on the replicas', () => {
  const replicas = readdirSync(`${PACKAGES}replicas`).filter((f) => f.endsWith('.tar'));
  test.each(replicas)('%s equals its expected Markdown byte for byte', async (name) => {
    const expected = readFileSync(
      packageFixture(`replicas/${name.slice(0, -4)}.expected.md`),
      'utf8',
    );
    const { code, out, err } = await runCli([
      'report',
      packageFixture(`replicas/${name}`),
      '--local',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(expected);
  });
});

test('report --local --offline-note: one line where each network-derived block was', async () => {
  const name = 'replica-memcached-1.6.18-bullseye';
  const expected = readFileSync(packageFixture(`replicas/${name}.expected.md`), 'utf8');
  const { out } = await runCli([
    'report',
    packageFixture(`replicas/${name}.tar`),
    '--local',
    '--offline-note',
  ]);
  const sources = (expected.match(/^### `dpkg` source package:/gm) ?? []).length;
  expect(sources).toBeGreaterThan(0);
  expect(out.split(DPKG_OFFLINE_NOTE).length - 1).toBe(sources);
  expect(out.replaceAll(`\n${DPKG_OFFLINE_NOTE}\n`, '')).toBe(expected);
});

// Archives built here: several uncompressed layers in an OCI layout.
const dir = mkdtempSync(path.join(tmpdir(), 'stevedore-packages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the OCI archive of `layeredArchive(layers)` as `name`; returns its path. */
function layered(name: string, layers: TarSpec[][]): string {
  const file = path.join(dir, name);
  writeFileSync(file, layeredArchive(layers));
  return file;
}

describe('built archives', () => {
  test('each package is attributed to the layer that installed or last changed it', async () => {
    const file = layered('attribution.tar', [
      [
        { name: 'etc/os-release', data: 'ID=alpine\nVERSION_ID=3.18.0\n' },
        { name: 'lib/apk/db/installed', data: apkInstalled(['a', '1-r0']) },
      ],
      [{ name: 'lib/apk/db/installed', data: apkInstalled(['a', '1-r0'], ['b', '1-r0']) }],
      [{ name: 'hello.txt', data: 'hello\n' }],
      [{ name: 'lib/apk/db/installed', data: apkInstalled(['a', '2-r0'], ['b', '1-r0']) }],
    ]);
    const { doc, code } = await packagesJson(file);
    expect(code).toBe(0);
    expect(doc.packages.map((p) => [p.name, p.version, p.layer])).toEqual([
      ['a', '2-r0', 4],
      ['b', '1-r0', 2],
    ]);
    const text = await runCli(['packages', file]);
    expect(text.out.split('\n').slice(0, 3)).toEqual([
      'NAME  VERSION  ARCH    SOURCE  LICENCES  SIZE  LAYER',
      'a     2-r0     x86_64  a       MIT       4096  4',
      'b     1-r0     x86_64  b       MIT       4096  2',
    ]);
  });

  test('symlinks inside the root are followed: os-release, var/lib/rpm, a doc directory', async () => {
    const status = [
      'Package: libgcc-s1\nStatus: install ok installed\nVersion: 12.2.0-14\nArchitecture: amd64\nSource: gcc-12\nInstalled-Size: 10\n',
      'Package: gcc-12-base\nStatus: install ok installed\nVersion: 12.2.0-14\nArchitecture: amd64\nSource: gcc-12\nInstalled-Size: 1\n',
    ].join('\n');
    const file = layered('symlinks.tar', [
      [
        { name: 'usr/lib/os-release', data: 'ID=debian\nVERSION_ID="12"\n' },
        { name: 'etc/os-release', type: '2', linkName: '../usr/lib/os-release' },
        { name: 'usr/share/doc/gcc-12-base/copyright', data: 'License: GPL-3+\n' },
        { name: 'usr/share/doc/libgcc-s1', type: '2', linkName: 'gcc-12-base' },
      ],
      [{ name: 'var/lib/dpkg/status', data: status }],
    ]);
    const { doc } = await packagesJson(file);
    expect(doc.distro?.id).toBe('debian');
    expect(doc.packages.map((p) => [p.name, p.licences, p.layer])).toEqual([
      ['gcc-12-base', ['GPL-3+'], 2],
      ['libgcc-s1', ['GPL-3+'], 2],
    ]);
  });

  test('rpm through a directory symlink; a symlink out of the kept paths is a problem', async () => {
    const bdb = rootfsOf(packageFixture('rpm-bdb-rhel8.tar')).read('var/lib/rpm/Packages')!;
    const file = layered('rpm-symlink.tar', [
      [
        { name: 'var/lib/rpm/Packages', data: bdb },
        { name: 'usr/lib/sysimage/rpm', type: '2', linkName: '../../../var/lib/rpm' },
      ],
      [{ name: 'etc/os-release', type: '2', linkName: '/opt/os-release' }],
      [{ name: 'opt/os-release', data: 'ID=rhel\n' }],
    ]);
    const { doc } = await packagesJson(file);
    expect(doc.packages.map((p) => [p.file, p.layer])).toEqual([
      ['usr/lib/sysimage/rpm/Packages', 1],
    ]);
    expect(doc.distro).toBeNull();
    expect(doc.problems).toEqual([
      {
        code: 'package-file-unread',
        where: 'opt/os-release',
        message:
          'layer 3 holds it but its bytes were not read: its bytes were not kept by the layer read',
      },
    ]);
  });

  test('a corrupt database is a problem naming the file; the other sections still print', async () => {
    const file = path.join(dir, 'corrupt.tar');
    writeFileSync(file, corruptRpmArchive());
    const { doc, code, err } = await packagesJson(file);
    expect(code).toBe(0);
    expect(doc.packages.map((p) => p.name)).toEqual(['musl']);
    expect(doc.problems.length).toBeGreaterThan(0);
    expect(doc.problems.every((p) => p.where?.startsWith('var/lib/rpm/Packages'))).toBe(true);
    expect(err).toContain('stevedore: problem: var/lib/rpm/Packages');
    const md = await runCli(['report', file, '--local']);
    expect(md.code).toBe(0);
    expect(md.out).toContain('## `apk` (`.apk`-based packages)');
    expect(md.out).toContain('### `apk` package: `musl`');
    expect(md.err).toContain('var/lib/rpm/Packages');
  });
});

test('options: --format only for packages; report needs --local to come here', () => {
  expect(parsePackagesArgs('packages', ['x.tar', '--format', 'yaml'])).toMatch(/--format takes/);
  expect(parsePackagesArgs('report', ['x.tar', '--local', '--format', 'json'])).toMatch(
    /unknown option/,
  );
  expect(parsePackagesArgs('packages', ['x.tar', '--platform', 'linux/arm64/v8'])).toMatchObject({
    platform: 'linux/arm64/v8',
    format: 'text',
  });
});
