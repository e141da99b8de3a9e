/** Real repo-info local reports (tests/reference/repo-info/local) rendered again from what
 * they say: the rpm section of oraclelinux:8-slim (with a gpg-pubkey entry) minus its
 * `dnf download` blocks, and the header-only fedora:37 report with Labels. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { localReport, type LocalReportInput } from '../../../src/lib/packages/local-report.ts';
import type { RpmPackage } from '../../../src/lib/packages/model.ts';
import { REPO_INFO } from '../../support/paths.ts';

const read = (name: string) => readFileSync(`${REPO_INFO}local/${name}`, 'utf8');

/** Returns the header fields a report prints, and the bytes the printed Virtual Size stands for. */
function headerOf(text: string): Omit<LocalReportInput, 'apk' | 'dpkg' | 'rpm'> {
  const field = (name: string) => new RegExp(`^- ${name}: \`(.*)\`$`, 'm').exec(text)?.[1] ?? null;
  const size = /^- Virtual Size: ~ ([\d.]+) Mb {2}$/m.exec(text)![1]!;
  const [os, architecture] = /^- Arch: `(.*)`\/`(.*)`$/m.exec(text)!.slice(1);
  const list = (name: string) =>
    new RegExp(`^- ${name}:((?:\\n {2}- \`.*\`)*)`, 'm')
      .exec(text)?.[1]
      ?.split('\n')
      .slice(1)
      .map((l) => l.slice(5, -1)) ?? null;
  const labels = list('Labels');
  return {
    image: /^# `(.*)`$/m.exec(text)![1]!,
    imageId: field('Image ID'),
    created: field('Created'),
    virtualSize: Math.round(Number(size) * 1e6),
    os: os ?? null,
    architecture: architecture ?? null,
    entrypoint: field('Entrypoint') === null ? null : JSON.parse(field('Entrypoint')!),
    cmd: field('Command') === null ? null : JSON.parse(field('Command')!),
    env: list('Environment'),
    labels:
      labels &&
      Object.fromEntries(labels.map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)])),
  };
}

test('oraclelinux:8-slim: the rpm section, sorted from shuffled headers, minus the network blocks', () => {
  const text = read('oraclelinux_8-slim__72e4be79.md');
  const sections = [
    ...text.matchAll(
      /\n### `rpm` package: `(.*)`\n\n(?:Licenses \(from `rpm --query`\): (.*)\n|\*\*WARNING)/g,
    ),
  ];
  expect(sections).toHaveLength(103);
  const packages: RpmPackage[] = sections.map(([, label, licence]) => {
    const pubkey = label!.startsWith('gpg-pubkey-');
    const [, name, version, release, arch] = pubkey
      ? /^(.*)-([^-]*)-([^-]*)()$/.exec(label!)!
      : /^(.*)-([^-]*)-([^-]*)\.([^.]*)$/.exec(label!)!;
    return {
      name: name!,
      epoch: null,
      version: version!,
      release: release!,
      arch: pubkey ? null : arch!,
      sourceRpm: null,
      license: licence ?? null,
      size: null,
      vendor: null,
      summary: null,
    };
  });
  // The network branch: everything after each licence line up to the next package.
  const offline = text.replace(/(\nLicenses \(from `rpm --query`\): .*\n)[^]*?(?=\n### |$)/g, '$1');
  const shuffled = [...packages].sort((a, b) =>
    a.release! + a.name < b.release! + b.name ? -1 : 1,
  );
  const md = localReport({ ...headerOf(text), apk: null, dpkg: null, rpm: shuffled });
  expect(md).toBe(offline);
  expect(md).toContain(
    '\n### `rpm` package: `gpg-pubkey-ad986da3-5cabf60d`\n\nLicenses (from `rpm --query`): pubkey\n',
  );
});

test('fedora:37: a header-only report with Labels (its rpmdb lives where repo-info did not look)', () => {
  const text = read('fedora_37__72e4be79.md');
  expect(localReport({ ...headerOf(text), apk: null, dpkg: null, rpm: null })).toBe(text);
});
