import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildkitArchive } from '../support/oci.ts';
import { bareReport, imageReport, manifestReport } from '../support/report.ts';
import {
  drop,
  fixture,
  gridRow,
  platformColumns,
  screenshots,
  summary,
  summaryField,
  verified,
} from './helpers.ts';
import { keepReport } from './kept-report.ts';

const detail = (page: Page) => page.locator('section.manifest');
const picker = (page: Page) => page.getByRole('group', { name: 'Shown in detail' });
const refsTable = (page: Page) => page.getByRole('region', { name: 'Refs in this archive' });

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Stevedore' })).toBeVisible();
});

for (const [file, compression] of [
  ['gen-buildah-multiarch-oci-archive.tar', 'gzip'],
  ['gen-skopeo-multiarch-zstd-oci-archive.tar', 'zstd'],
] as const) {
  test(`${compression} multi-arch: platforms compared, one in detail`, async ({ page }) => {
    await drop(page, fixture(file));
    await expect(summary(page)).toBeVisible();
    await expect(platformColumns(page)).toHaveText([
      'linux/amd64',
      'linux/arm64/v8',
      'linux/arm/v7',
    ]);
    // Every platform has its own digest and image ID: those rows differ, and say so in words.
    for (const key of ['digest', 'image-id']) {
      await expect(gridRow(page, key)).toHaveClass(/differs/);
      await expect(gridRow(page, key).getByRole('rowheader')).toContainText('differs');
      await expect(gridRow(page, key).locator('td')).toHaveCount(3);
    }
    // The command and the env are one build's: one cell, "same on all 3".
    for (const key of ['cmd', 'env:PATH', 'media-type']) {
      await expect(gridRow(page, key).locator('td')).toHaveCount(1);
      await expect(gridRow(page, key)).toContainText('same on all 3');
      await expect(gridRow(page, key)).not.toHaveClass(/differs/);
    }
    await expect(gridRow(page, 'media-type')).toContainText(
      'application/vnd.oci.image.manifest.v1+json',
    );
    // Sizes in people's notation; each digest copied whole.
    await expect(gridRow(page, 'size').locator('td').first()).toHaveText(/^\d+ B$/);
    await expect(
      gridRow(page, 'digest').getByRole('button', { name: 'Copy digest of linux/arm64/v8' }),
    ).toBeVisible();

    // One platform in detail, the first until another is chosen.
    await expect(detail(page)).toHaveCount(1);
    await expect(detail(page).getByRole('heading', { level: 3 })).toHaveText('linux/amd64');
    const choice = picker(page).getByRole('radio', { name: 'linux/arm/v7' });
    await choice.check();
    await expect(detail(page)).toHaveCount(1);
    await expect(detail(page).getByRole('heading', { level: 3 })).toHaveText('linux/arm/v7');
    // The digest shown in detail is the column's.
    const armDigest = await gridRow(page, 'digest')
      .locator('td')
      .nth(2)
      .locator('code')
      .getAttribute('title');
    await expect(detail(page)).toContainText(armDigest!);
    // The keyboard moves the choice (a radio group: arrows), and the detail follows.
    await choice.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(picker(page).getByRole('radio', { name: 'linux/arm64/v8' })).toBeChecked();
    await expect(detail(page).getByRole('heading', { level: 3 })).toHaveText('linux/arm64/v8');
    await expect(page.locator('table.platforms th.platform.selected')).toHaveText('linux/arm64/v8');
    await verified(page);
    await expect(gridRow(page, 'verification')).toContainText('same on all 3');
    await expect(gridRow(page, 'verification').locator('[data-state]')).toHaveText('verified');
    await expect(page.getByText(/unknown; unknown/)).toHaveCount(0);
    await screenshots(page, 'platforms', `multiarch-${compression}`);
  });
}

test('regclient: 26 refs in a table, referrers nested, filter, attestations as chips', async ({
  page,
}) => {
  await drop(page, fixture('regclient-testrepo-ocidir.tar'));
  const table = refsTable(page);
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(26);
  await expect(page.getByRole('heading', { name: /^Refs in this archive \(26\)/ })).toBeVisible();
  // No two rows read the same: name and digest together tell each apart.
  const texts = await rows.evaluateAll((trs) =>
    trs.map(
      (tr) =>
        `${tr.querySelector('button.ref')?.textContent} ${tr.querySelector('code')?.textContent}`,
    ),
  );
  expect(new Set(texts).size).toBe(26);
  // Kinds.
  const kinds = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.kind));
  for (const kind of ['index', 'artifact', 'attestation', 'signature'])
    expect(kinds, kind).toContain(kind);
  // Referrers under their subject: v2 is followed by the artifacts about it.
  const v2 = rows.filter({ has: page.getByRole('button', { name: 'v2', exact: true }) });
  await expect(v2).toHaveCount(1);
  const a1 = rows.filter({ has: page.getByRole('button', { name: 'a1', exact: true }) });
  await expect(a1).toHaveClass(/referrer/);
  await expect(a1).toContainText('refers to v2');
  await expect(a1.locator('[data-label="Kind"]')).toHaveText('artifact');
  const a2 = rows.filter({ has: page.getByRole('button', { name: 'a2', exact: true }) });
  await expect(a2.locator('[data-label="Kind"]')).toHaveText('signature');
  const order = await rows.evaluateAll((trs) =>
    trs.map((tr) => tr.querySelector('button.ref')?.textContent ?? ''),
  );
  const at = order.indexOf('v2');
  expect(order.slice(at + 1, at + 8)).toContain('a1');
  expect(order.slice(at + 1, at + 8)).toContain('a2');
  // An attestation ref under the platform it attests.
  const attest = rows.filter({
    has: page.getByRole('button', { name: 'a-docker-oci', exact: true }),
  });
  await expect(attest).toContainText('refers to v1 · linux/arm64');
  await expect(attest.locator('[data-label="Platforms"]')).toHaveText('none');

  // The filter: by kind, by tag.
  const filter = page.getByRole('searchbox', { name: 'Filter refs' });
  await filter.fill('signature');
  await expect(rows).toHaveCount(1);
  await expect(page.getByText('1 of 26 refs match')).toBeVisible();
  await filter.fill('v1');
  // v1 and the two referrers about it.
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('refers to v1');
  await filter.fill('');
  await expect(rows).toHaveCount(26);

  // The keyboard selects: focus the first row's button, arrow down to v1, Enter.
  await rows.first().getByRole('button').focus();
  await expect(rows.first().getByRole('button')).toHaveAttribute('aria-current', 'true');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  await expect(rows.nth(3).getByRole('button')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', { level: 2, name: 'regclient-testrepo-ocidir:v1' }),
  ).toBeVisible();
  await expect(rows.nth(3).getByRole('button')).toHaveAttribute('aria-current', 'true');

  // v1: two platforms, each with its attestation as a chip, not a platform of its own.
  await expect(platformColumns(page)).toHaveText(['linux/amd64', 'linux/arm64']);
  const chips = gridRow(page, 'attached').getByRole('button');
  await expect(chips).toHaveCount(2);
  await expect(chips.nth(0)).toHaveText('example.build-type+json');
  await chips.nth(1).click();
  await expect(chips.nth(1)).toHaveAttribute('aria-pressed', 'true');
  await expect(detail(page).getByRole('heading', { level: 3 })).toContainText(
    'attestation for linux/arm64',
  );
  await expect(
    picker(page).getByRole('radio', { name: 'example.build-type+json of linux/arm64' }),
  ).toBeChecked();
  await expect(page.getByText(/unknown; unknown/)).toHaveCount(0);
  await screenshots(page, 'platforms', 'regclient-v1');

  // An attestation saved under a tag of its own: no platform, never "unknown; unknown".
  await table.getByRole('button', { name: 'a-docker', exact: true }).click();
  await expect(
    page.getByRole('heading', { level: 2, name: 'regclient-testrepo-ocidir:a-docker' }),
  ).toBeVisible();
  await expect(platformColumns(page)).toHaveCount(0);
  // The index lists it as an attestation of linux/amd64: named so, here and in the summary.
  await expect(detail(page).getByRole('heading', { level: 3 })).toHaveText(
    /^attestation for linux\/amd64/,
  );
  await expect(summaryField(page, 'platform')).toHaveText(/^attestation for linux\/amd64/);
  await expect(page.getByText(/unknown; unknown/)).toHaveCount(0);
  expect(await page.locator('main').innerText()).not.toMatch(/\bunknown\/unknown\b/);
  await screenshots(page, 'platforms', 'regclient-a-docker');
});

test('the platform chosen stays chosen across tabs', async ({ page }) => {
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  await picker(page).getByRole('radio', { name: 'linux/arm/v7' }).check();
  await drop(page, fixture('dive-test-docker-image.tar'));
  await expect(platformColumns(page)).toHaveCount(0);
  await expect(picker(page)).toHaveCount(0);
  await page
    .getByRole('navigation', { name: 'Open archives' })
    .getByRole('button', { name: /gen-buildah-multiarch/ })
    .first()
    .click();
  await expect(picker(page).getByRole('radio', { name: 'linux/arm/v7' })).toBeChecked();
  await expect(detail(page).getByRole('heading', { level: 3 })).toHaveText('linux/arm/v7');
});

test('20,000 refs in a kept report: the first 200 rows, a filter, referrers still nested', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // A report as the library keeps it, with far more refs than any real archive: every other
  // ref an artifact about the ref before it.
  const digest = (i: number) => `sha256:${i.toString(16).padStart(64, '0')}`;
  const images = Array.from({ length: 20_000 }, (_, i) =>
    imageReport(
      `many:tag-${i}`,
      [
        manifestReport({
          kind: i % 2 === 0 ? 'image' : 'artifact',
          subject: i % 2 === 0 ? null : digest(i - 1),
          digest: digest(i),
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          size: 100,
          totalSize: 10,
        }),
      ],
      { name: 'many' },
    ),
  );
  await keepReport(
    page,
    'sha256:many-refs',
    bareReport({
      source: { name: 'many.tar', size: 1, format: 'oci-layout', compression: 'none' },
      images,
    }),
  );
  await page.reload();
  await page.getByRole('button', { name: 'Open many:tag-0' }).click();
  const rows = refsTable(page).locator('tbody tr');
  await expect(rows).toHaveCount(200);
  await expect(page.getByText('showing 200 of 20,000 refs')).toBeVisible();
  await expect(rows.nth(1)).toHaveClass(/referrer/);
  await expect(rows.nth(1)).toContainText('refers to many:tag-0');
  await page.getByRole('searchbox', { name: 'Filter refs' }).fill('many:tag-19999');
  await expect(rows).toHaveCount(1);
  await expect(page.getByText('1 of 20,000 refs match')).toBeVisible();
  await rows.getByRole('button').click();
  await expect(page.getByRole('heading', { level: 2, name: 'many:tag-19999' })).toBeVisible();
});

test("BuildKit's attestation: a chip named by its statements' predicate types, attached to its platform", async ({
  page,
}) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'stevedore-buildkit-')), 'buildkit.tar');
  writeFileSync(file, buildkitArchive());
  await drop(page, file);
  await expect(summary(page)).toBeVisible();
  // One platform: the summary's, the attestation no platform of its own.
  await expect(summary(page).locator('[data-field="platform"]')).toHaveText('linux/amd64');
  const chip = picker(page).getByRole('radio', {
    name: 'SBOM + provenance + vuln-scan of linux/amd64',
  });
  await expect(picker(page).getByRole('radio')).toHaveCount(2);
  await chip.check();
  await expect(detail(page).getByRole('heading', { level: 3 })).toContainText(
    'attestation for linux/amd64',
  );
  await expect(page.getByText(/unknown; unknown/)).toHaveCount(0);
  await verified(page);
  await screenshots(page, 'platforms', 'buildkit-attestation');
});
