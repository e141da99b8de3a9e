/** What the layers hold, in the page: the package table of every package fixture equals its
 * truth (written by dpkg-query, rpm and an independent apk parser), a legacy save's layer
 * digests appear once verification has hashed them, a report reopened from "Recent images"
 * without its archive still has its packages (from IndexedDB), and a corrupt database is a
 * problem naming its file beside the other sections. */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { corruptRpmArchive } from '../support/layered.ts';
import { gzipLegacySave } from '../support/legacy.ts';
import { sha256 } from '../support/tar.ts';
import { drop, fixture, summaryField, verified } from './helpers.ts';

const PACKAGES = fixture('packages');
const dir = mkdtempSync(path.join(tmpdir(), 'stevedore-contents-e2e-'));

interface Truth {
  fixture: string;
  apk?: { packages: { name: string; version: string }[] } | null;
  dpkg?: { packages: { name: string; version: string }[] } | null;
  rpm?: {
    packages: { name: string; epoch: number | null; version: string; release: string }[];
  } | null;
}

/** Returns the "name version" lines the truth expects, sorted. */
function expected(truth: Truth): string[] {
  const lines = [
    ...(truth.apk?.packages ?? []).map((p) => `${p.name} ${p.version}`),
    ...(truth.dpkg?.packages ?? []).map((p) => `${p.name} ${p.version}`),
    ...(truth.rpm?.packages ?? []).map(
      (p) => `${p.name} ${p.epoch ? `${p.epoch}:` : ''}${p.version}-${p.release}`,
    ),
  ];
  return lines.sort();
}

const packagesSection = (page: Page) => page.getByRole('region', { name: 'Packages' });

/** Returns the table's "name version" lines, sorted. */
async function tableLines(page: Page): Promise<string[]> {
  const rows = packagesSection(page).locator('tbody tr');
  const lines = await rows.evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
      return `${cells[0]} ${cells[1]}`;
    }),
  );
  return lines.sort();
}

const truths = readdirSync(PACKAGES)
  .filter((f) => f.endsWith('.truth.json'))
  .map((f) => JSON.parse(readFileSync(path.join(PACKAGES, f), 'utf8')) as Truth)
  .filter((t) => readdirSync(PACKAGES).includes(t.fixture));

for (const truth of truths) {
  test(`${truth.fixture}: the package table equals the truth`, async ({ page }) => {
    await page.goto('/');
    await drop(page, path.join(PACKAGES, truth.fixture));
    await verified(page, 30_000);
    const section = packagesSection(page);
    await expect(section).toHaveAttribute('data-packages', 'ready');
    const want = expected(truth);
    await expect(section.locator('[data-field="count"]')).toContainText(
      want.length === 0 ? 'no OS package database' : `${want.length} package`,
    );
    expect(await tableLines(page)).toEqual(want);
  });
}

test('search narrows the table, a column heading sorts it from the keyboard', async ({ page }) => {
  await page.goto('/');
  await drop(page, path.join(PACKAGES, 'dpkg-debian12.tar'));
  await verified(page, 30_000);
  const section = packagesSection(page);
  await expect(section.locator('[data-field="distro"]')).toHaveText(
    'Debian GNU/Linux 12 (bookworm)',
  );
  await section.getByRole('searchbox', { name: 'Search packages' }).fill('libc6');
  await expect(section.locator('tbody tr').first()).toContainText('libc6');
  await section.getByRole('searchbox', { name: 'Search packages' }).fill('');
  const size = section.getByRole('button', { name: /Installed size/ });
  await size.focus();
  await page.keyboard.press('Enter');
  await expect(section.getByRole('columnheader', { name: /Installed size/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await page.keyboard.press('Enter');
  await expect(section.getByRole('columnheader', { name: /Installed size/ })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  const sizes = await section
    .locator('tbody tr td:nth-child(6)')
    .evaluateAll((tds) => tds.map((td) => td.getAttribute('title') ?? ''));
  const bytes = sizes.map((t) => Number(t.replace(/[^0-9]/g, '')));
  expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
});

test('the local report downloads, byte for byte the expected Markdown', async ({ page }) => {
  const name = 'replica-alpine-3.16';
  await page.goto('/');
  await drop(page, path.join(PACKAGES, 'replicas', `${name}.tar`));
  await verified(page, 30_000);
  const download = page.waitForEvent('download');
  await packagesSection(page)
    .getByRole('button', { name: 'Download the local report (Markdown)' })
    .click();
  const file = await (await download).path();
  expect(readFileSync(file, 'utf8')).toBe(
    readFileSync(path.join(PACKAGES, 'replicas', `${name}.expected.md`), 'utf8'),
  );
});

test("a legacy save's layer digests are shown once verification has hashed them", async ({
  page,
}) => {
  const { archive, layer } = gzipLegacySave();
  const file = path.join(dir, 'legacy-gzip.tar');
  writeFileSync(file, archive);
  await page.goto('/');
  await drop(page, file);
  await verified(page, 30_000);
  const digest = sha256(layer);
  await expect(page.locator(`td.digest code[title="${digest}"]`)).toBeVisible();
  await expect(page.getByRole('button', { name: /digest of layer 1/ })).toBeVisible();
  // The summary strip gains the unpacked size once the layer is listed: hello.txt's 6 bytes.
  await expect(summaryField(page, 'unpacked')).toHaveText('6 B');
});

test('a report reopened from Recent images without its archive still has its packages', async ({
  page,
}) => {
  await page.goto('/');
  await drop(page, path.join(PACKAGES, 'apk-alpine318.tar'));
  await verified(page, 30_000);
  await expect(packagesSection(page)).toHaveAttribute('data-packages', 'ready');
  // Kept in IndexedDB by diff_id, in its own database: a head, its meta record, and pieces.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise<string>((resolve, reject) => {
            const open = indexedDB.open('stevedore-listings');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const keys = open.result.transaction('listings').objectStore('listings').getAllKeys();
              keys.onsuccess = () => {
                const all = keys.result.map(String);
                const kinds = all.map((k) => k.slice(0, k.indexOf(':')));
                const parts = kinds.filter((k) => k === 'part').length;
                resolve(
                  `${kinds
                    .filter((k) => k !== 'part')
                    .sort()
                    .join(' ')}, parts ${parts > 0}`,
                );
              };
            };
          }),
      ),
    )
    .toBe('data meta, parts true');
  await page.reload();
  await page.getByRole('button', { name: 'Recent images' }).click();
  const recent = page.getByRole('region', { name: 'Recent images' });
  await recent
    .getByRole('button', { name: /^Open / })
    .first()
    .click();
  const section = packagesSection(page);
  await expect(section).toHaveAttribute('data-packages', 'ready');
  const truth = JSON.parse(
    readFileSync(path.join(PACKAGES, 'apk-alpine318.truth.json'), 'utf8'),
  ) as Truth;
  expect(await tableLines(page)).toEqual(expected(truth));
});

test('a corrupt database shows its problem naming the file, and the other sections', async ({
  page,
}) => {
  const file = path.join(dir, 'corrupt-rpm.tar');
  writeFileSync(file, corruptRpmArchive());
  await page.goto('/');
  await drop(page, file);
  await verified(page, 30_000);
  const section = packagesSection(page);
  await expect(section.getByRole('alert')).toContainText('var/lib/rpm/Packages');
  expect(await tableLines(page)).toEqual(['musl 1.2.4-r0']);
  await expect(page.getByRole('heading', { level: 4, name: /^Layers/ })).toBeVisible();
});
