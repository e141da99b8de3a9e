/** The page warms up once idle (src/app/warm-up.ts): it opens two tiny archives of its own out
 * of sight so that the first real drop finds its code compiled. Nothing of them may show, stay
 * in the page or be kept in the library. */
import { test, expect, type Page } from '@playwright/test';
import { drop, fixture, summary, verified } from './helpers.ts';

const warmedUp = (page: Page) =>
  page.waitForFunction(() => performance.getEntriesByName('stevedore:warm-up').length > 0);

test('the warm-up leaves no tab, no report and nothing in the library', async ({ page }) => {
  await page.goto('/');
  await warmedUp(page);
  await expect(page.getByRole('heading', { name: 'Stevedore', level: 1 })).toBeVisible();
  await expect(page.locator('[data-tab-id]')).toHaveCount(0);
  await expect(page.locator('#report-ref')).toHaveCount(0);
  // Nothing of it is left in the document either (it renders into an element of its own).
  expect(await page.evaluate(() => document.body.textContent?.includes('warm-up'))).toBe(false);

  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  await expect(summary(page)).toBeVisible();
  await expect(page.locator('[data-tab-id]')).toHaveCount(1);
  await expect(page.locator('#report-ref')).toBeFocused();

  // The library holds the dropped archive alone (kept by the time its verification is).
  await verified(page);
  await page.reload();
  const recent = page.getByRole('region', { name: 'Recent images' });
  await expect(recent.getByRole('listitem')).toHaveCount(1);
  await expect(recent).not.toContainText('warm-up');
});

test('an archive dropped at once opens as usual, whatever the warm-up has done by then', async ({
  page,
}) => {
  await page.goto('/');
  await drop(page, fixture('gen-buildah-docker-archive-arm64-v8.tar'));
  await expect(summary(page)).toBeVisible();
  await expect(page.locator('#report-ref')).toBeFocused();
  // Well past the page's load and idle time: the warm-up, stopped or done, left no tab.
  await page.waitForTimeout(1500);
  await expect(page.locator('[data-tab-id]')).toHaveCount(1);
  await verified(page);
  await page.reload();
  const recent = page.getByRole('region', { name: 'Recent images' });
  await expect(recent.getByRole('listitem')).toHaveCount(1);
  await expect(recent).not.toContainText('warm-up');
});
