import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { drop, fixture, summary, verified } from './helpers.ts';

// The app's CSP allows no inline script, which is how axe-core is put into the page: this spec
// alone bypasses it (the CSP itself is proven by offline.spec.ts).
test.use({ bypassCSP: true });

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** Returns axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.addScriptTag({ content: await axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<unknown> } }).axe;
    const result = (await axe.run(document)) as { violations: unknown[] };
    return result.violations as Violation[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map(
        (n) => `${v.impact} ${v.id} (${v.help}): ${n.target.join(' ')} — ${n.failureSummary}`,
      ),
    );
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [1400, 390]) {
    test.describe(`${colorScheme}, ${width} px`, () => {
      test.use({ colorScheme, viewport: { width, height: 900 } });

      test('welcome screen', async ({ page }) => {
        await page.goto('/');
        await expect(page.getByRole('heading', { name: 'Stevedore' })).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('multi-platform report, a layer opened', async ({ page }) => {
        await page.goto('/');
        await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
        await expect(summary(page)).toBeVisible();
        await verified(page);
        await page
          .getByRole('region', { name: 'linux/amd64' })
          .getByRole('button', { name: 'Details of layer 1' })
          .click();
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('an archive of 26 refs: the refs table filtered, attestations as chips', async ({
        page,
      }) => {
        await page.goto('/');
        await drop(page, fixture('regclient-testrepo-ocidir.tar'));
        const refs = page.getByRole('region', { name: 'Refs in this archive' });
        await refs.getByRole('button', { name: 'v1', exact: true }).click();
        await page
          .locator('table.platforms tr[data-row="attached"]')
          .getByRole('button')
          .first()
          .click();
        await page.getByRole('searchbox', { name: 'Filter refs' }).fill('v');
        await verified(page);
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('failed verification', async ({ page }) => {
        await page.goto('/');
        await drop(page, fixture('bad/oci-layer-byte-flipped.tar'));
        await verified(page);
        await expect(summary(page).locator('[data-state]')).toHaveText('mismatch');
        await page.getByText(/^All \d+ checks, failed first$/).click();
        expect(await seriousViolations(page)).toEqual([]);
      });

      test('JSON view of a manifest, a container folded', async ({ page }) => {
        await page.goto('/');
        await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
        await expect(summary(page)).toBeVisible();
        await page.getByRole('button', { name: 'View index JSON of the index' }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('button', { name: /open manifest of linux\/amd64$/ }).click();
        await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(
          'JSON of the manifest of linux/amd64',
        );
        await dialog.getByRole('button', { name: /^Fold "config"/ }).click();
        expect(await seriousViolations(page)).toEqual([]);
      });
    });
  }
}
