import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it, test } from 'vitest';
import { Library } from '../../../src/app/library/library.svelte.ts';
import { ReportCache } from '../../../src/app/library/report-cache.ts';
import {
  filterRows,
  localMarkdown,
  localMarkdownName,
  nextSort,
  packageRows,
  packageSummary,
  problemText,
  sortRows,
} from '../../../src/app/packages-view.ts';
import {
  hasPackageDatabase,
  NO_DATABASE_TEXT,
  packageExports,
} from '../../../src/app/package-exports.ts';
import type { Tab } from '../../../src/app/tab.svelte.ts';
import { SBOM_FORMATS } from '../../../src/lib/sbom/index.ts';
import { validateSbom } from '../../../src/lib/sbom/validate.ts';
import { Workspace } from '../../../src/app/workspace.svelte.ts';
import { runCli } from '../../support/cli.ts';
import { corruptRpmArchive } from '../../support/layered.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { FIXTURES } from '../../support/paths.ts';
import { threadVerify } from '../../support/thread-pool.ts';

const PACKAGES = `${FIXTURES}packages/`;

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

/** Opens a file the way the page does (workers listing during verification) and returns its
 * first platform's layers and packages once ready. */
async function opened(bytes: Uint8Array, name: string) {
  const ws = new Workspace(
    new Library(new ReportCache(() => memoryStore())),
    threadVerify().verify,
    null,
  );
  const tab: Tab = ws.openFile(new File([new Uint8Array(bytes)], name));
  await until(() => tab.verifier.state === 'done');
  const image = tab.report!.images[0]!;
  const manifest = image.manifests[0]!;
  const layers = tab.contents.of(manifest);
  const packages = tab.contents.packagesOf(manifest);
  if (layers.status !== 'ready' || packages.status !== 'ready') throw new Error('not ready');
  return { image, manifest, layers: layers.layers, packages: packages.packages };
}

const file = (path: string) => new Uint8Array(readFileSync(path));

describe('the local report the page downloads', () => {
  const replicas = readdirSync(`${PACKAGES}replicas`).filter((f) => f.endsWith('.tar'));
  test.each(replicas)(
    '%s: byte for byte the expected Markdown and report --local',
    async (name) => {
      const { image, manifest, layers, packages } = await opened(
        file(`${PACKAGES}replicas/${name}`),
        name,
      );
      const md = localMarkdown(image, manifest, layers, packages);
      const expected = readFileSync(`${PACKAGES}replicas/${name.slice(0, -4)}.expected.md`, 'utf8');
      expect(md).toBe(expected);
      const cli = await runCli(['report', `${PACKAGES}replicas/${name}`, '--local']);
      expect(md).toBe(cli.out);
    },
  );

  const fixtures = ['dpkg-debian12.tar', 'rpm-sqlite-mariner2.tar', 'multilayer-apk-replaced.tar'];
  test.each(fixtures)('%s: byte for byte what report --local prints', async (name) => {
    const { image, manifest, layers, packages } = await opened(file(PACKAGES + name), name);
    const cli = await runCli(['report', PACKAGES + name, '--local']);
    expect(cli.code).toBe(0);
    expect(localMarkdown(image, manifest, layers, packages)).toBe(cli.out);
    expect(localMarkdownName(image, manifest)).toMatch(/^[A-Za-z0-9._-]+-linux-amd64\.local\.md$/);
  });
});

describe('the package table', () => {
  it('rows equal the truth, searchable and sortable both ways', async () => {
    const { layers, packages } = await opened(file(`${PACKAGES}dpkg-debian12.tar`), 'd.tar');
    const truth = JSON.parse(readFileSync(`${PACKAGES}dpkg-debian12.truth.json`, 'utf8')) as {
      dpkg: { packages: { name: string; version: string; source: string }[] };
    };
    const rows = packageRows(packages, layers);
    expect(rows.map((r) => [r.name, r.version]).sort()).toEqual(
      truth.dpkg.packages.map((p) => [p.name, p.version]).sort(),
    );
    expect(rows.every((r) => r.layer !== null && r.layer >= 1)).toBe(true);
    const apt = rows.find((r) => r.name === 'apt')!;
    expect([apt.arch, apt.source, apt.size]).toEqual(['amd64', 'apt', 4232 * 1024]);
    expect(apt.licences).toContain('GPL-2');
    expect(filterRows(rows, 'APT').map((r) => r.name)).toContain('apt');
    expect(
      filterRows(rows, 'gpl-2 apt').every((r) => /apt/i.test(`${r.name} ${r.source} ${r.version}`)),
    ).toBe(true);
    expect(filterRows(rows, 'no-such-package-xyz')).toEqual([]);
    const bySize = sortRows(rows, { column: 'size', descending: true });
    expect(bySize[0]!.size).toBe(Math.max(...rows.map((r) => r.size ?? 0)));
    const byName = sortRows(rows, { column: 'name', descending: false });
    expect(byName.map((r) => r.name)).toEqual([...byName.map((r) => r.name)].sort());
    expect(nextSort({ column: 'name', descending: false }, 'name')).toEqual({
      column: 'name',
      descending: true,
    });
    expect(nextSort({ column: 'name', descending: true }, 'size')).toEqual({
      column: 'size',
      descending: false,
    });
    expect(packageSummary(packages)).toMatchObject({
      count: truth.dpkg.packages.length,
      byType: { dpkg: 90 },
    });
  });

  it('a corrupt database is a problem naming its file; the other packages are still listed', async () => {
    const { packages, image, manifest, layers } = await opened(corruptRpmArchive(), 'corrupt.tar');
    expect(packages.records.map((r) => r.name)).toEqual(['musl']);
    expect(packages.problems.length).toBeGreaterThan(0);
    expect(
      packages.problems.map(problemText).every((t) => t.startsWith('var/lib/rpm/Packages')),
    ).toBe(true);
    expect(localMarkdown(image, manifest, layers, packages)).toContain('### `apk` package: `musl`');
  });
});

describe('the SBOM downloads of the page', () => {
  const fixtures = ['dpkg-debian12.tar', 'rpm-sqlite-mariner2.tar', 'apk-alpine318.tar'];
  test.each(fixtures)(
    '%s: both SBOMs byte for byte what `sbom` prints, valid, each a button',
    async (name) => {
      const { image, manifest, layers, packages } = await opened(file(PACKAGES + name), name);
      const ex = packageExports(image, manifest, layers, packages);
      expect(ex.database).toBe(true);
      expect(ex.notice).toBeNull();
      expect(ex.downloads.map((d) => d.label)).toEqual([
        'Download the local report (Markdown)',
        'Download SPDX 2.3 JSON',
        'Download CycloneDX 1.6 JSON',
      ]);
      for (const format of SBOM_FORMATS) {
        const d = ex.downloads.find((x) => x.kind === format)!;
        const cli = await runCli(['sbom', PACKAGES + name, '--format', format]);
        expect(cli.code).toBe(0);
        expect(d.text()).toBe(cli.out);
        expect(validateSbom(format, JSON.parse(d.text()))).toEqual([]);
        expect(d.fileName).toMatch(
          format === 'spdx-json' ? /_linux-amd64\.spdx\.json$/ : /_linux-amd64\.cdx\.json$/,
        );
      }
      const md = ex.downloads.find((d) => d.kind === 'local-md')!;
      expect(md.text()).toBe(localMarkdown(image, manifest, layers, packages));
    },
  );

  it('without layers (no listing) only the SBOMs are offered', async () => {
    const { image, manifest, packages } = await opened(file(`${PACKAGES}apk-alpine318.tar`), 'a');
    expect(packageExports(image, manifest, null, packages).downloads.map((d) => d.kind)).toEqual([
      'spdx-json',
      'cyclonedx-json',
    ]);
  });

  it('an image without a package database says so; what is exported holds no packages', async () => {
    const name = 'ggcr-hello-world-v25.tar';
    const { image, manifest, layers, packages } = await opened(file(FIXTURES + name), name);
    expect(hasPackageDatabase(packages)).toBe(false);
    const ex = packageExports(image, manifest, layers, packages);
    expect(ex.database).toBe(false);
    expect(ex.notice).toContain(NO_DATABASE_TEXT);
    expect(NO_DATABASE_TEXT).toMatch(/^No package database found \(looked for: apk .*dpkg .*rpm /);
    for (const p of [
      'lib/apk/db/installed',
      'var/lib/dpkg/status',
      'rpmdb.sqlite',
      'usr/lib/sysimage/rpm',
    ])
      expect(NO_DATABASE_TEXT).toContain(p);
    expect(ex.downloads.map((d) => d.label)).toEqual([
      'Download the local report (Markdown, Docker Metadata only)',
      'Download SPDX 2.3 JSON (the image only, no packages)',
      'Download CycloneDX 1.6 JSON (the image only, no packages)',
    ]);
    // The local report is the header alone, as repo-info writes it for such an image.
    const md = ex.downloads[0]!.text();
    expect(md).toMatch(/^# `[^`]+`\n\n## Docker Metadata\n\n- Image ID: `sha256:/);
    expect(md).not.toMatch(/## `(apk|dpkg|rpm)`/);
    expect(md).toBe((await runCli(['report', FIXTURES + name, '--local'])).out);
    const spdx = JSON.parse(ex.downloads[1]!.text());
    expect(validateSbom('spdx-json', spdx)).toEqual([]);
    expect(spdx.packages).toHaveLength(1);
    const cdx = JSON.parse(ex.downloads[2]!.text());
    expect(validateSbom('cyclonedx-json', cdx)).toEqual([]);
    expect(cdx.components ?? []).toEqual([]);
    expect(ex.downloads[2]!.text()).toBe(
      (await runCli(['sbom', FIXTURES + name, '--format', 'cyclonedx-json'])).out,
    );
  });

  it('a corrupt database is a database found: no "none found" notice', async () => {
    const { packages, image, manifest, layers } = await opened(corruptRpmArchive(), 'corrupt.tar');
    expect(packageExports(image, manifest, layers, packages).notice).toBeNull();
  });
});
