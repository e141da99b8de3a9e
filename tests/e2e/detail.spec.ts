/**
 * The report as a tool: verdict banners in plain words, the JSON of every document with its
 * digests as links, labels that are links, annotations, the welcome drop button and where focus
 * goes. Screenshots at 1400 px and 390 px, light and dark, in test-results/detail/.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipFlippedFixture } from '../support/gzip-flipped.ts';
import { drop, fixture, repoRoot, summary } from './helpers.ts';

const resultsDir = path.resolve(repoRoot, 'test-results', 'detail');

/** Waits until the verification that starts with the report has finished. */
async function verified(page: Page): Promise<void> {
  await expect(page.locator('progress.verify-progress')).toHaveAttribute('data-state', 'done', {
    timeout: 30_000,
  });
}

/** Writes full-page screenshots at 1400 px and 390 px, light and dark: `<name>-<width>-<scheme>`;
 * nothing may be wider than the window. */
async function screenshots(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1400, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} at ${width} px`).toBe(0);
      const file = path.join(resultsDir, `${name}-${width}-${colorScheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      // The first screen alone, as it is seen on opening.
      await page.screenshot({ path: file.replace(/\.png$/, '-top.png') });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1400, height: 900 });
}

let dir = '';
test.beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stevedore-detail-'));
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Stevedore' })).toBeVisible();
});

const banner = (page: Page, kind: string) => page.locator(`[data-banner="${kind}"]`);

test('a layer whose gzip data is damaged: a "corrupt" banner naming it, no browser internals', async ({
  page,
}) => {
  const file = path.join(dir, 'gzip-flipped.tar');
  await writeFile(file, await gzipFlippedFixture());
  await drop(page, file);
  await expect(summary(page)).toBeVisible();
  await verified(page);
  const corrupt = banner(page, 'corrupt');
  await expect(corrupt.getByRole('heading')).toHaveText(
    /Corrupt: this archive is not the image its manifests describe/,
  );
  await expect(corrupt).toContainText(
    'Layer 1 (sha256:00bdeca78fe1) of linux/amd64: its bytes do not match its digest; it is not a valid gzip stream',
  );
  await expect(banner(page, 'unsafe')).toHaveCount(0);
  // Nowhere on the page: the verification's own lines say what is wrong with the archive too.
  await expect(page.locator('body')).not.toContainText('Failed to execute');
  await expect(page.locator('body')).not.toContainText('WritableStream');
  await expect(page.locator('body')).toContainText('is not a valid gzip stream');
  await screenshots(page, 'corrupt');
});

test('a layer with entries escaping its root: an "unsafe" banner naming both layers', async ({
  page,
}) => {
  await drop(page, fixture('bad/docker-archive-layer-path-traversal.tar'));
  await verified(page);
  const unsafe = banner(page, 'unsafe');
  await expect(unsafe.getByRole('heading')).toHaveText(
    /Unsafe: unpacking this image would write files outside its root/,
  );
  await expect(unsafe.getByRole('listitem')).toHaveCount(2);
  await expect(unsafe).toContainText(/Layer 1 \(sha256:[0-9a-f]{12}\) of linux\/amd64: entries/);
  await expect(unsafe).toContainText('"../../../tmp/evil-dotdot.txt"');
  await expect(unsafe).toContainText(/Layer 2 .*"etc\/link" -> /);
  await screenshots(page, 'unsafe');
});
