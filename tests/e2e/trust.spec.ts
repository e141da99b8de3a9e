/**
 * The library keys reports by the archive's content identity (its root documents and size), so a
 * same-size archive with other layer bytes has the same key. A verification kept for one file
 * must never read as the verdict on another: the page verifies every file it is given and says
 * "verified" only once this run has.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { TAMPER_FIXTURE, tamperedFixture } from '../support/tampered.ts';
import { drop, fixture, summaryField } from './helpers.ts';

const ORIGINAL = TAMPER_FIXTURE;
const TAMPERED = 'tampered-arm64-v8.tar';

const panel = (page: Page) => page.getByRole('region', { name: 'Verification' });
const status = (page: Page) => panel(page).getByRole('status');
const tabBar = (page: Page) => page.getByRole('navigation', { name: 'Open archives' });
const recent = (page: Page) => page.getByRole('region', { name: 'Recent images' });

/** Writes the tampered copy (same size and manifest.json, one layer byte changed) to `dir`. */
async function tamperedCopy(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const out = `${dir}/${TAMPERED}`;
  await writeFile(out, await tamperedFixture());
  return out;
}

/** Clicks a download button; returns the downloaded text. */
async function download(page: Page, name: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  return readFile((await file.path())!, 'utf8');
}

/** Records, from now on, everything the page says that vouches for a tab while it is the one
 * shown: a "Verified" summary, a platform or the tab marked verified, a finished progress bar
 * marked ok, a note that a kept verification is shown. Returns them by the tab's file name. */
async function watchClaims(page: Page): Promise<() => Promise<Record<string, string[]>>> {
  await page.evaluate(() => {
    const claims: Record<string, string[]> = {};
    (window as unknown as { claims: typeof claims }).claims = claims;
    const look = () => {
      const shown = document.querySelector<HTMLElement>(
        'nav[aria-label="Open archives"] [aria-current="page"]',
      );
      if (!shown) return;
      const said = (claims[shown.dataset.file ?? ''] ??= []);
      const say = (what: string) => {
        if (!said.includes(what)) said.push(what);
      };
      const summary = document.querySelector('section.verify [role="status"]')?.textContent ?? '';
      if (/^\s*Verified/i.test(summary)) say(`summary: ${summary.trim()}`);
      // A platform row, or the summary's verdict (one platform has no table). A layer of a
      // failed image may well be verified: its own bytes were hashed here.
      for (const badge of document.querySelectorAll('table.platforms tbody tr [data-state="ok"]'))
        say(`platform: ${badge.textContent}`);
      for (const badge of document.querySelectorAll('[data-field="verdict"] [data-state="ok"]'))
        say(`image: ${badge.textContent}`);
      if (document.querySelector('progress.verify-progress[data-status="ok"]')) say('progress: ok');
      const tabText = shown.textContent ?? '';
      if (/\((verified|report from cache)/.test(tabText)) say(`tab: ${tabText.trim()}`);
      const note = document.querySelector('aside.cached')?.textContent ?? '';
      if (/kept then are shown/.test(note)) say(`note: ${note.trim()}`);
    };
    new MutationObserver(look).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
  return () =>
    page.evaluate(() => (window as unknown as { claims: Record<string, string[]> }).claims);
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Stevedore' })).toBeVisible();
});

test('a same-size archive with one layer byte changed is verified, never vouched for by the library', async ({
  page,
}, testInfo) => {
  const claims = await watchClaims(page);
  await drop(page, fixture(ORIGINAL));
  await expect(page.locator('progress.verify-progress')).toHaveAttribute('data-state', 'done');
  await expect(status(page)).toHaveText(/^Verified: all \d+ checks passed\.$/);
  // The watch sees what is said: this file was verified here.
  expect((await claims())[ORIGINAL]).toEqual(
    expect.arrayContaining([expect.stringMatching(/^summary: Verified: all/), 'progress: ok']),
  );

  const tampered = await tamperedCopy(testInfo.outputDir);
  await drop(page, tampered);
  await expect(
    tabBar(page).getByRole('button', { name: new RegExp(`${TAMPERED} \\(`) }),
  ).toHaveCount(1);
  // Downloaded at once: before its run has finished it is not verified, after it it failed.
  await expect(page.getByRole('heading', { level: 2, name: 'gen/arm64:v8' })).toBeVisible();
  const early = JSON.parse(await download(page, 'Download JSON')) as {
    verification: { status: string };
  };
  expect(['not-run', 'failed']).toContain(early.verification.status);

  await expect(page.locator('progress.verify-progress')).toHaveAttribute('data-state', 'done');
  await expect(status(page)).toHaveText(/^Verification failed: \d+ of \d+ checks failed\.$/);
  await expect(summaryField(page, 'verdict')).toHaveText('mismatch');
  await expect(
    tabBar(page).getByRole('button', { name: `${TAMPERED} (verification failed)` }),
  ).toHaveCount(1);
  const late = JSON.parse(await download(page, 'Download JSON')) as {
    verification: { status: string };
  };
  expect(late.verification.status).toBe('failed');
  expect((await claims())[TAMPERED]).toEqual([]);

  // The library now keeps this file's outcome, as history.
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await expect(recent(page).getByRole('listitem')).toHaveCount(1);
  await expect(recent(page).getByRole('listitem')).toContainText('history: verification failed on');
});

test('a report opened from the library alone is not verified: history only, and not-run in its JSON', async ({
  page,
}) => {
  await drop(page, fixture(ORIGINAL));
  await expect(page.locator('progress.verify-progress')).toHaveAttribute('data-state', 'done');
  await expect(status(page)).toHaveText(/^Verified: all \d+ checks passed\.$/);
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await recent(page).getByRole('button', { name: 'Open gen/arm64:v8' }).click();

  await expect(status(page)).toHaveText(
    /^Not verified \(history: verified on .+ for an archive with the same manifest\)\.$/,
  );
  const note = page.getByRole('complementary', { name: 'From cache' });
  await expect(note).toContainText('for an archive with the same manifest — not this file');
  await expect(summaryField(page, 'verdict')).toHaveText('not verified');
  await expect(
    tabBar(page).getByRole('button', {
      name: `${ORIGINAL} (report from the library, not verified)`,
    }),
  ).toHaveCount(1);
  const json = JSON.parse(await download(page, 'Download JSON')) as {
    verification: { status: string; checks: unknown[] };
  };
  expect(json.verification).toEqual({ status: 'not-run', checks: [] });
  await expect(
    panel(page).getByRole('button', { name: 'Download verification receipt' }),
  ).toBeDisabled();

  // The list says what was done, and when, as history.
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await expect(recent(page).getByRole('listitem')).toContainText('history: verified on');
});
