/** Lists of any length render without freezing the page: the first LIST_LIMIT items, a line
 * saying how many there are, "Show more" and a filter. */
import { test, expect, type Page } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import { ociArchive } from '../support/oci.ts';
import { bareReport, imageReport } from '../support/report.ts';
import { drop, summary } from './helpers.ts';
import { keepReport } from './kept-report.ts';

const COUNT = 100_000;

/** Writes an OCI archive whose config has COUNT labels and COUNT environment variables. */
async function archiveWithManyLabels(dir: string): Promise<string> {
  const Labels: Record<string, string> = {};
  for (let i = 0; i < COUNT; i++) Labels[`label-${i}`] = `value ${i}`;
  const Env = Array.from({ length: COUNT }, (_, i) => `VAR_${i}=${i}`);
  await mkdir(dir, { recursive: true });
  const file = `${dir}/many-labels.tar`;
  await writeFile(file, ociArchive({ ref: 'many', config: { config: { Labels, Env } } }));
  return file;
}

const section = (page: Page, heading: string) =>
  page.locator('div', { has: page.getByRole('heading', { level: 4, name: heading }) }).last();

test('100,000 labels and variables: the first 200 of each, show more, filter; the page answers', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await drop(page, await archiveWithManyLabels(testInfo.outputDir));
  await expect(summary(page)).toBeVisible({ timeout: 30_000 });

  const labels = section(page, 'Labels');
  await expect(labels).toContainText('showing 200 of 100,000 labels');
  await expect(labels.locator('dt')).toHaveCount(200);
  await expect(labels.locator('dt').first()).toHaveText('label-0');
  const env = section(page, 'Environment');
  await expect(env).toContainText('showing 200 of 100,000 variables');
  await expect(env.locator('li')).toHaveCount(200);

  // The page answers a click while it holds them, verification going on or done.
  await labels.getByRole('button', { name: 'Show 1,000 more' }).click();
  await expect(labels).toContainText('showing 1,200 of 100,000 labels');
  await expect(labels.locator('dt')).toHaveCount(1200);

  await labels.getByRole('searchbox', { name: 'Filter labels' }).fill('label-99999');
  await expect(labels).toContainText('showing 1 of 1 matching (100,000 labels in all)');
  await expect(labels.locator('dd')).toHaveText(['value 99999']);
  await labels.getByRole('searchbox', { name: 'Filter labels' }).fill('');
  await expect(labels).toContainText('showing 1,200 of 100,000 labels');
  await expect(page.locator('progress.verify-progress')).toHaveAttribute('data-state', 'done', {
    timeout: 60_000,
  });
});

test('100,000 problems in a kept report: the first 200, and a filter', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  // A report as the library keeps it, with more problems than any archive gives today.
  const many = Array.from({ length: COUNT }, (_, i) => ({
    code: 'blob-missing' as const,
    where: `blobs/sha256/${i}`,
    message: `blob ${i} is missing`,
  }));
  await keepReport(
    page,
    'sha256:many',
    bareReport({
      source: { name: 'many.tar', size: 1, format: 'oci-layout', compression: 'none' },
      images: [imageReport('many:problems', [], { name: 'many' })],
      problems: many,
    }),
  );
  await page.reload();
  await page.getByRole('button', { name: 'Open many:problems' }).click();
  const problems = page.getByRole('region', { name: /100,000 problems in this archive/ });
  await expect(problems).toContainText('showing 200 of 100,000 problems');
  await expect(problems.getByRole('listitem')).toHaveCount(200);
  await problems.getByRole('searchbox', { name: 'Filter problems' }).fill('blob 4242 is');
  await expect(problems).toContainText('showing 1 of 1 matching (100,000 problems in all)');
  await expect(problems.getByRole('listitem')).toHaveText([/^blob 4242 is missing/]);
});
