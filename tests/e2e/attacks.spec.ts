/**
 * The model attacks of tests/unit/hostile/model-attacks.test.ts, dropped on the page: the page
 * reads the same single model as the CLI, so it never vouches for what was not checked, and it
 * answers input while a hostile archive is read.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fanOut, manifestReadTwoWays, partialSave } from '../support/attacks.ts';
import { drop, gridRow, platformColumns, summary } from './helpers.ts';

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
