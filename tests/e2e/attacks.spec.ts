/**
 * The model attacks of tests/unit/hostile/model-attacks.test.ts, dropped on the page: the page
 * reads the same single model as the CLI, so it never vouches for what was not checked, and it
 * answers input while a hostile archive is read.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  dockerSaveManyLayers,
  fanOut,
  manifestReadTwoWays,
  manyLayers,
  partialSave,
  platformMismatch,
} from '../support/attacks.ts';
import { drop, gridRow, platformColumns, summary, summaryField, verified } from './helpers.ts';
import { RendererMemory } from './memory.ts';

const panel = (page: Page) => page.getByRole('region', { name: 'Verification' });

let dir = '';
test.beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stevedore-attacks-'));
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes an attack archive to the temp folder; returns its path. */
async function write(name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
});

test('a manifest that also carries "manifests": its wrong diff_id fails, never "verified"', async ({
  page,
}) => {
  await drop(page, await write('read-two-ways.tar', manifestReadTwoWays()));
  await expect(summary(page)).toBeVisible();
  await expect(platformColumns(page)).toHaveCount(0); // one platform: the summary's
  const status = panel(page).getByRole('status');
  await expect(status).toContainText('Verification failed');
  await expect(status).not.toContainText('Verified');
  await expect(panel(page)).toContainText('diff_id');
  await expect(panel(page)).toContainText('readers would disagree');
});

test('a partial save: the missing platform is "not included", the verdict incomplete, not failed', async ({
  page,
}) => {
  await drop(page, await write('partial.tar', partialSave()));
  await expect(platformColumns(page)).toHaveCount(2);
  await expect(gridRow(page, 'included').locator('td').nth(1)).toHaveText(
    'not included in this archive',
  );
  await expect(panel(page).getByRole('status')).toContainText(
    'incomplete: 1 of 2 platforms not included in this archive',
  );
  await expect(panel(page).getByRole('status')).not.toContainText('failed');
});

test('16 × 7 levels of indexes: the page answers, says where it stopped, and vouches for nothing', async ({
  page,
}) => {
  await drop(page, await write('fan-out.tar', fanOut(16, 7)));
  await expect(
    page.getByText(/more than 1000 manifests; the rest are not read/).first(),
  ).toBeVisible({
    timeout: 20_000,
  });
  // A thousand platforms: the first fifty are shown, more on request, and the page answers.
  await expect(page.getByText('showing 50 of 1,000 platforms')).toBeVisible();
  await expect(platformColumns(page)).toHaveCount(50);
  await page
    .getByRole('button', { name: /^Show .* more$/ })
    .first()
    .click();
  await expect(platformColumns(page)).toHaveCount(1000);
  await expect(panel(page).getByRole('status')).not.toContainText('Verified:', { timeout: 20_000 });
  await expect(panel(page).getByRole('status')).toContainText(/Partly verified|failed/, {
    timeout: 30_000,
  });
});

test('an amd64 image listed as linux/arm64: never "verified", and the banner names the mismatch', async ({
  page,
}) => {
  const { bytes, manifestDigest } = platformMismatch();
  await drop(page, await write('platform-mismatch.tar', bytes));
  await expect(summary(page)).toBeVisible();
  await verified(page);
  const status = panel(page).getByRole('status');
  await expect(status).toContainText('Verification failed');
  await expect(status).not.toContainText('Verified');
  await expect(summaryField(page, 'verdict')).toHaveText('mismatch');
  const banner = page.locator('[data-banner="ambiguous"]');
  await expect(banner.getByRole('heading')).toHaveText(
    /Ambiguous: other tools could read a different image from this archive/,
  );
  await expect(banner).toContainText(
    `The manifest of linux/arm64: manifest ${manifestDigest} is listed as linux/arm64 but its config says linux/amd64.`,
  );
});

/** Drops an archive while sampling the renderer's memory; returns the growth in MB from before
 * the drop to the highest sample until its verification has finished. */
async function dropBounded(
  page: Page,
  browser: import('@playwright/test').Browser,
  file: string,
): Promise<number> {
  const memory = await RendererMemory.of(browser);
  try {
    const baseline = await memory.sampleMB();
    const work = (async () => {
      await drop(page, file);
      await verified(page, 60_000);
    })();
    const { peakMB } = await memory.peakDuring(work);
    return peakMB - baseline;
  } finally {
    await memory.close();
  }
}

test('a manifest of 20,000 layers: 1,000 read, the rest noted, never "verified", memory bounded', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const { bytes, manifestDigest } = manyLayers(20_000);
  const grew = await dropBounded(page, browser, await write('many-layers.tar', bytes));
  console.log(`20,000 layers: renderer grew ${grew.toFixed(0)} MB`);
  expect(grew).toBeLessThan(300);
  const said = `manifest ${manifestDigest} lists 20000 layers; only the first 1000 are read`;
  await expectCutToAThousand(page, said, `M${said.slice(1)}.`);
});

test('a docker save whose manifest.json lists 100,000 layers: 1,000 read, noted, never "verified", memory bounded', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const { bytes } = dockerSaveManyLayers(100_000);
  const grew = await dropBounded(page, browser, await write('many-layers-legacy.tar', bytes));
  console.log(`100,000 legacy layers: renderer grew ${grew.toFixed(0)} MB`);
  expect(grew).toBeLessThan(300);
  const said = 'manifest.json[0] lists 100000 layers; only the first 1000 are read';
  await expectCutToAThousand(page, said, `${said}.`);
});

/** Expects the page to say that only 1,000 layers were read (`said`, and `banner` in the
 * incomplete banner), never "verified", with a layer table that does not hold them all. */
async function expectCutToAThousand(page: Page, said: string, banner: string): Promise<void> {
  await expect(page.locator('[data-banner="incomplete"]')).toContainText(banner);
  await expect(page.getByRole('region', { name: /problem/ })).toContainText(said);
  await expect(panel(page).getByRole('status')).not.toContainText('Verified');
  await expect(summaryField(page, 'verdict')).toHaveText('partly verified');
  // The count says it is cut, not only the banner.
  await expect(summaryField(page, 'layers')).toHaveText('1000 only the first 1000 of more are read');
  // The layer table is capped: a thousand rows are not all put in the page.
  const rows = await page.locator('tr[data-row="layer"]').count();
  expect(rows).toBeGreaterThan(0);
  expect(rows).toBeLessThan(1000);
}
