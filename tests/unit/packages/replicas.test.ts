/** The local report of each replica archive equals its expected Markdown byte for byte:
 * real repo-info reports, rebuilt as archives, minus the network-derived blocks. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  diskBytesOf,
  DPKG_OFFLINE_NOTE,
  localReport,
  type LocalReportInput,
} from '../../../src/lib/packages/local-report.ts';
import { reportPackages } from '../../../src/lib/packages/read.ts';
import { packageFixture, PACKAGES, rootfsOf, type Rootfs } from './extract.ts';
import { readRootfs } from './read-rootfs.ts';

const replicas = readdirSync(`${PACKAGES}replicas`)
  .filter((f) => f.endsWith('.tar'))
  .map((f) => f.slice(0, -4));

/** Returns the report input of a merged filesystem and its config, found without src/lib/oci. */
export function inputOf(fs: Rootfs): LocalReportInput {
  const found = readRootfs(fs, null);
  expect(found.problems).toEqual([]);
  const config = fs.config as {
    created?: string;
    os?: string;
    architecture?: string;
    config?: {
      Entrypoint?: string[];
      Cmd?: string[];
      Env?: string[];
      Labels?: Record<string, string>;
    };
  };
  return {
    image: fs.imageName ?? '',
    imageId: fs.configDigest,
    created: config.created ?? null,
    virtualSize: fs.onDiskSize,
    os: config.os ?? null,
    architecture: config.architecture ?? null,
    entrypoint: config.config?.Entrypoint ?? null,
    cmd: config.config?.Cmd ?? null,
    env: config.config?.Env ?? null,
    labels: config.config?.Labels ?? null,
    ...reportPackages(found),
  };
}

describe.each(replicas)('%s', (name) => {
  const fs = rootfsOf(packageFixture(`replicas/${name}.tar`));
  const expected = readFileSync(packageFixture(`replicas/${name}.expected.md`), 'utf8');
  const model = JSON.parse(readFileSync(packageFixture(`replicas/${name}.model.json`), 'utf8'));

  test('the input is what the model says the archive holds', () => {
    const input = inputOf(fs);
    expect(input.image).toBe(model.image);
    expect(input.imageId).toBe(model.image_id);
    expect(input.virtualSize).toBe(model.on_disk_bytes);
  });

  test('diskBytesOf summed over every layer entry is the Virtual Size the replica was padded to', () => {
    const entries = fs.layers
      .flat()
      .map((e) => ({ typeflag: e.typeflag, size: e.data.length, linkName: e.linkName }));
    expect(entries.reduce((n, e) => n + diskBytesOf(e), 0)).toBe(model.on_disk_bytes);
  });

  test('the Markdown equals the expected file byte for byte', () => {
    expect(localReport(inputOf(fs))).toBe(expected);
  });

  test('with offlineNote, one line per dpkg source stands where the network block was', () => {
    const md = localReport(inputOf(fs), { offlineNote: true });
    const sources = (expected.match(/^### `dpkg` source package:/gm) ?? []).length;
    expect(md.split(DPKG_OFFLINE_NOTE).length - 1).toBe(sources);
    expect(md.replaceAll(`\n${DPKG_OFFLINE_NOTE}\n`, '')).toBe(expected);
  });
});

test('asRepoInfo: no distroless status.d section and no usr/lib/sysimage/rpm section, as repo-info', () => {
  for (const [fixture, key] of [
    ['dpkg-distroless-statusd-arm64.tar', 'dpkg'],
    ['rpm-ndb-sle15.tar', 'rpm'],
  ] as const) {
    const found = readRootfs(rootfsOf(packageFixture(fixture)));
    expect(reportPackages(found)[key]?.length).toBeGreaterThan(0);
    expect(reportPackages(found, { asRepoInfo: true })[key]).toBeNull();
  }
  const bdb = readRootfs(rootfsOf(packageFixture('rpm-bdb-rhel8.tar')));
  expect(reportPackages(bdb, { asRepoInfo: true }).rpm).toHaveLength(1);
});
