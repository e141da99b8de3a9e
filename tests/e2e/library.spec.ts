/** The library survives what IndexedDB hands back: entries of this version with a broken shape
 * are skipped with a notice, and the others are still listed and open. */
import { test, expect, type Page } from '@playwright/test';
import { drop, fixture, summaryField } from './helpers.ts';

const HELLO = 'ggcr-hello-world-v25';
const recent = (page: Page) => page.getByRole('region', { name: 'Recent images' });

test('damaged entries of this version are skipped with a notice; the rest lists and opens', async ({
  page,
}) => {
  await page.goto('/');
  await drop(page, fixture('ggcr-hello-world-v25.tar'));
  await expect(page.getByRole('heading', { level: 2, name: HELLO })).toBeVisible();
  await expect(page.locator('progress.verify-progress')).toHaveAttribute('data-state', 'done');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('stevedore');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('reports', 'readwrite');
          const store = tx.objectStore('reports');
          const getAll = store.getAll();
          getAll.onsuccess = () => {
            const kept = getAll.result[0] as { report: { images: unknown[] } };
            // The right version, a wrong shape: every kind of damage the page must not trip on.
            store.put({ ...kept, id: 'no-report', report: undefined }, 'no-report');
            store.put({ ...kept, id: 'huge', fileName: 'x'.repeat(50_000_000) }, 'huge');
            store.put(
              { ...kept, id: 'typed', report: { ...kept.report, images: 'none' } },
              'typed',
            );
            store.put(
              JSON.parse(
                JSON.stringify({ ...kept, id: 'proto' }).replace(
                  '{',
                  '{"__proto__":{"polluted":1},',
                ),
              ),
              'proto',
            );
          };
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  const notice = page.getByRole('status').filter({ hasText: 'damaged' });
  await expect(notice).toContainText('4 reports kept in this browser are damaged and not listed');
  await expect(recent(page).getByRole('listitem')).toHaveCount(1);
  await expect(recent(page)).toContainText(HELLO);
  expect(await page.evaluate(() => 'polluted' in {})).toBe(false);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await recent(page)
    .getByRole('button', { name: `Open ${HELLO}`, exact: true })
    .click();
  await expect(summaryField(page, 'platform')).toHaveText('linux/arm64');
  // Listed again (opening refreshes nothing new): the dismissed notice stays away.
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await expect(recent(page).getByRole('listitem')).toHaveCount(1);
  await expect(notice).toHaveCount(0);
});
