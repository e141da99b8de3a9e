import { test, expect } from '@playwright/test';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  drop,
  fixture,
  platformColumns,
  screenshots,
  summary,
  summaryField,
  verified,
} from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Stevedore' })).toBeVisible();
});

test('summary first: a named single-platform image, no platform table', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });
  await drop(page, fixture('dive-test-docker-image.tar'));
  await expect(summary(page)).toBeVisible();
  await expect(platformColumns(page)).toHaveCount(0);
  await expect(summaryField(page, 'layers')).toHaveText('14');
  await expect(summaryField(page, 'platform')).toHaveText(/^[a-z0-9]+\/[a-z0-9]+/);
  await expect(summaryField(page, 'created')).toHaveText(
    /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$/,
  );
  await verified(page);
  await expect(summaryField(page, 'verdict')).toHaveText('verified');
  const id = await summaryField(page, 'image-id').locator('code').getAttribute('title');
  expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
  await expect(summaryField(page, 'image-id').locator('code')).toHaveText(id!.slice(7, 19));
  await summary(page).getByRole('button', { name: 'Copy image ID' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id);
  await screenshots(page, 'report-view', 'dive');
});

test('summary first: a multi-platform image lists its platforms in people notation', async ({
  page,
}) => {
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  // Only a tag (ref.name "gen-multi"), no repository: no name is made up of the file name.
  await expect(summaryField(page, 'name')).toHaveText(
    'unnamed — gen-buildah-multiarch-oci-archive.tar · tag gen-multi',
  );
  await expect(summaryField(page, 'platform')).toHaveText(
    'linux/amd64, linux/arm64/v8, linux/arm/v7',
  );
  await expect(summaryField(page, 'size')).toHaveText('413 B – 418 B');
  await expect(platformColumns(page)).toHaveCount(3);
  await verified(page);
  await expect(summaryField(page, 'verdict')).toHaveText('verified');
  await screenshots(page, 'report-view', 'multiarch');
});

test('summary first: a failed verification says so in the summary', async ({ page }) => {
  await drop(page, fixture('bad/oci-layer-byte-flipped.tar'));
  await verified(page);
  await expect(summaryField(page, 'verdict')).toHaveText('mismatch');
  await screenshots(page, 'report-view', 'byte-flipped');
});

test("layers meet their history: dive's test image, 14 layers against 15 steps", async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });
  await drop(page, fixture('dive-test-docker-image.tar'));
  const table = page.locator('table.layers');
  await expect(table).toHaveCount(1); // one manifest, one table
  const rows = table.locator('tbody tr[data-row]');
  await expect(rows).toHaveCount(15);
  await expect(table.locator('tr[data-row="layer"]')).toHaveCount(14);
  // The one step with no layer is the CMD, dimmed between the layers that came before and after.
  const step = table.locator('tr[data-row="step"]');
  await expect(step).toHaveCount(1);
  await expect(step).toContainText('CMD ["sh"]');
  await expect(step).toContainText('no layer');
  await expect(rows.nth(1)).toHaveAttribute('data-row', 'step');
  await expect(rows.nth(0).locator('td').nth(1)).toHaveText(/^ADD file:[0-9a-f]+ in \/$/);
  await expect(rows.nth(2).locator('td').nth(1)).toHaveText(
    /^ADD file:[0-9a-f]+ in \/somefile\.txt$/,
  );
  await expect(rows.nth(3).locator('td').nth(1)).toHaveText(
    'RUN mkdir -p /root/example/really/nested',
  );
  await expect(rows.nth(14).locator('td').nth(1)).toHaveText('RUN chmod +x /root/saved.txt');
  // No Dockerfile block apart: the history is in the table.
  await expect(page.getByRole('heading', { level: 4, name: /^Dockerfile/ })).toHaveCount(0);

  const layer3 = table.locator('tr[data-row="layer"]').nth(2);
  await expect(layer3.locator('td').nth(1)).toHaveText('RUN mkdir -p /root/example/really/nested');
  await expect(layer3).toContainText('3.1 KB');
  const digest = await layer3.locator('code[title]').getAttribute('title');
  expect(digest).toMatch(/^sha256:93e208d4/);
  await expect(layer3.locator('code[title]')).toHaveText(digest!.slice(0, 19));
  await page.getByRole('button', { name: 'Copy digest of layer 3' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(digest);

  // Media type, diff_id and compression in the row's details, opened by a button.
  const toggle = page.getByRole('button', { name: 'Details of layer 3' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const details = page.locator(`#${await toggle.getAttribute('aria-controls')}`);
  await expect(details).toContainText('application/vnd.docker.image.rootfs.diff.tar');
  await expect(details).toContainText(new RegExp(`diff_id\\s*${digest}`)); // stored uncompressed: the same
  await expect(details).toContainText(/Compression\s*none/);
  await expect(details).toContainText(/Created\s*28 Dec 2018, 16:50 UTC/);
  await verified(page);
  await expect(layer3.locator('[data-state]')).toHaveText('verified');
  await screenshots(page, 'report-view', 'dive-layers');
});

test('layers of a multi-platform image say what they share', async ({ page }) => {
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  // One platform in detail at a time.
  await expect(page.locator('table.layers')).toHaveCount(1);
  const amd64 = page.getByRole('region', { name: 'linux/amd64' });
  await amd64.getByRole('button', { name: 'Details of layer 1' }).click();
  await expect(amd64.locator('tr.more')).toContainText('Shared with');
});

test('progress that ends: once verified the bar is full and says what was checked, in how long', async ({
  page,
}) => {
  await drop(page, fixture('dive-test-docker-image.tar'));
  await verified(page);
  const bar = page.locator('progress.verify-progress');
  const { value, max, bytes } = await bar.evaluate((p: HTMLProgressElement) => ({
    value: p.value,
    max: p.max,
    bytes: Number(p.dataset.bytes),
  }));
  expect(value).toBe(max);
  expect(bytes).toBeGreaterThan(1_470_464); // the layers (1.5 MB) and the config, as stored
  const line = page.getByText(/^Checked /);
  await expect(line).toHaveText(/^Checked 1\.\d MB in \d+\.\d s$/);
  await expect(page.getByRole('region', { name: 'Verification' })).not.toContainText('left');
  await expect(page.getByRole('region', { name: 'Verification' })).not.toContainText('MB/s');
});

test('tabs and window: named by the image, shortened in the middle, with their state', async ({
  page,
}) => {
  await drop(page, fixture('dive-test-docker-image.tar'));
  await expect.poll(() => page.title()).toBe('dive-test:latest — Stevedore');
  await verified(page);
  const tabs = page.getByRole('navigation', { name: 'Open archives' });
  const dive = tabs.getByRole('button', {
    name: 'dive-test:latest · dive-test-docker-image.tar (verified)',
  });
  await expect(dive).toBeVisible();
  await expect(dive.locator('.name')).toHaveText('dive-test:latest');

  // A long ref keeps its start and its end.
  await drop(page, fixture('gen-skopeo-multiarch-zstd-oci-archive.tar'));
  await expect
    .poll(() => page.title())
    .toBe('gen-skopeo-multiarch-zstd-oci-archive:gen-multi — Stevedore');
  const zstd = tabs.getByRole('button', {
    name: /^gen-skopeo-multiarch-zstd-oci-archive:gen-multi · gen-skopeo-multiarch-zstd-oci-archive\.tar \(/,
  });
  // Cut in the middle where the tab runs out of width: the head ends in an ellipsis, the tail shows.
  await page.setViewportSize({ width: 390, height: 900 });
  await expect(zstd.locator('.tail')).toHaveText(':gen-multi');
  await expect(zstd.locator('.tail')).toBeInViewport();
  expect(await zstd.locator('.head').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await page.setViewportSize({ width: 1400, height: 900 });

  // The failed one says so on its tab, besides its colour.
  await drop(page, fixture('bad/oci-layer-byte-flipped.tar'));
  await verified(page);
  const flipped = tabs.getByRole('button', {
    name: /oci-layer-byte-flipped\.tar \(verification failed\)$/,
  });
  await expect(flipped.locator('.dot')).toHaveText('✗');
  await expect(dive.locator('.dot')).toHaveText('✓');

  await dive.click();
  await expect.poll(() => page.title()).toBe('dive-test:latest — Stevedore');
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await expect
    .poll(() => page.title())
    .toBe('Stevedore — container image reports, in your browser');
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await screenshots(page, 'report-view', 'tabs');
});

test('notation for people on every fixture: no "unknown; unknown", no platform "unknown", no "413.0 B"', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const files = readdirSync(path.dirname(fixture('x'))).filter((f) => /\.tar(\.gz)?$/.test(f));
  expect(files.length).toBeGreaterThan(10);
  /** Asserts the report shown reads in people's notation. */
  const check = async (what: string) => {
    await expect(summary(page), what).toBeVisible();
    await expect(page.getByText(/unknown; unknown/), what).toHaveCount(0);
    await expect(page.getByText(/\b\d+\.0 B\b/), what).toHaveCount(0);
    await expect(summaryField(page, 'platform'), what).not.toHaveText(/unknown/);
    for (const cell of await platformColumns(page).all())
      await expect(cell, what).not.toHaveText(/^\s*unknown\s*$/);
  };
  for (const file of files) {
    await page.goto('/');
    await drop(page, fixture(file));
    await verified(page, 120_000);
    await check(file);
    // An archive of many refs: every ref, each as its own report.
    const refs = page.getByRole('region', { name: 'Refs in this archive', exact: true });
    if ((await refs.count()) === 0) continue;
    await expect(refs.locator('[data-label="Platforms"]').filter({ hasText: /^unknown$/ })).toHaveCount(0);
    const buttons = refs.locator('button.ref');
    const count = await buttons.count();
    for (let i = 0; i < count; i++) {
      const name = (await buttons.nth(i).textContent())?.trim() ?? String(i);
      await buttons.nth(i).click();
      await check(`${file} ${name}`);
    }
  }
});
