import type { Page } from '@playwright/test';
import { CACHE_VERSION } from '../../src/app/library/report-cache.ts';
import type { Report } from '../../src/lib/report/model.ts';

/** Puts `report` in the page's library as the app keeps it (IndexedDB `stevedore`, store
 * `reports`, key `id`): a file of the report's source name and size, opened at time 1, not
 * verified. Reload the page to see it listed. */
export async function keepReport(page: Page, id: string, report: Report): Promise<void> {
  const entry = {
    version: CACHE_VERSION,
    id,
    fileName: report.source.name,
    size: report.source.size,
    openedAt: 1,
    verifiedAt: null,
    report,
  };
  // As JSON text: Playwright's own serialisation of a large object takes a minute.
  await page.evaluate(
    (json) =>
      new Promise<void>((resolve, reject) => {
        const entry = JSON.parse(json);
        const open = indexedDB.open('stevedore');
        open.onupgradeneeded = () => open.result.createObjectStore('reports');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('reports', 'readwrite');
          tx.objectStore('reports').put(entry, entry.id);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    JSON.stringify(entry),
  );
}
