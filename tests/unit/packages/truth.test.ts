/** Every package of every fixture equals what native tools (dpkg-query, rpm 4.18, an
 * independent apk parser, gather-dpkg.sh's licence pipeline) wrote in its truth file. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { nvra } from '../../../src/lib/packages/local-report-sections.ts';
import { compareC } from '../../../src/lib/packages/text.ts';
import { packageFixture, PACKAGES, rootfsOf } from './extract.ts';
import { readRootfs } from './read-rootfs.ts';

const truths = readdirSync(PACKAGES).filter((f) => f.endsWith('.truth.json'));
const byName = (a: { name: string }, b: { name: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

describe.each(truths)('%s', (truthFile) => {
  const truth = JSON.parse(readFileSync(packageFixture(truthFile), 'utf8'));
  const found = readRootfs(rootfsOf(packageFixture(truth.fixture)));

  test('distro', () => {
    if (truth.os_release === null) return expect(found.distro).toBeNull();
    expect([found.distro?.id, found.distro?.versionId, found.distro?.prettyName]).toEqual([
      truth.os_release.ID,
      truth.os_release.VERSION_ID,
      truth.os_release.PRETTY_NAME,
    ]);
  });

  test('apk', () => {
    if (truth.apk === null) return expect(found.apk).toBeNull();
    expect(found.problems).toEqual([]);
    const got = [...found.apk!.packages].sort(byName).map((p) => ({
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
    }));
    expect(got).toEqual(truth.apk.packages);
  });

  test('dpkg', () => {
    if (truth.dpkg === null) return expect(found.dpkg).toBeNull();
    expect(found.problems).toEqual([]);
    const got = found
      .dpkg!.entries.map(({ package: p, binaryPackage, licence }) => ({
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
      }))
      .sort(byName);
    expect(got).toEqual(truth.dpkg.packages);
  });

  test('rpm', () => {
    if (truth.rpm === null) return expect(found.rpm).toBeNull();
    expect(found.problems).toEqual([]);
    expect(found.rpm!.file).toBe(truth.rpm.db);
    expect(found.rpm!.backend).toBe(truth.rpm.backend);
    const key = (p: {
      name: string;
      version: string | null;
      release: string | null;
      arch: string | null;
    }) => `${p.name}\0${p.version}\0${p.release}\0${p.arch}`;
    const got = found
      .rpm!.packages.map((p) => ({
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
      }))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const want = [...truth.rpm.packages].sort((a, b) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
    );
    expect(got).toEqual(want);
  });

  test('rpm -qa | sort: the labels and the order repo-info lists', () => {
    if (truth.rpm === null) return;
    expect(found.rpm!.packages.map(nvra).sort(compareC)).toEqual(truth.rpm.rpm_qa_sorted);
  });
});
