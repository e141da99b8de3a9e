import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  cliVerifyJson,
  drop,
  fixture,
  gridRow,
  platformColumns,
  repoRoot,
  summaryField,
  verified,
} from './helpers.ts';

const resultsDir = path.resolve(repoRoot, 'test-results');

/** Returns what `stevedore report <file> --format <format>` prints. */
function cli(file: string, format: 'md' | 'json'): string {
  return execFileSync(
    process.execPath,
    [path.join(repoRoot, 'src/cli/stevedore.js'), 'report', file, '--format', format],
    // stderr (problems the CLI notes) is not part of the report.
    { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Opens every layer's details row (media type, digest, diff_id, compression). */
async function openLayerDetails(page: Page): Promise<void> {
  for (const button of await page.getByRole('button', { name: /^Details of layer \d+$/ }).all())
    await button.click();
}

/** Clicks a download button; returns the file's suggested name and text. */
async function download(page: Page, button: 'Download Markdown' | 'Download JSON') {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

/** Asserts that both downloads equal the CLI's output for the same archive, byte for byte: the
 * Markdown `report`'s, the JSON (once verified) `verify`'s. */
async function expectDownloadsMatchCli(page: Page, file: string): Promise<void> {
  const stem = path.basename(file).replace(/\.tar(\.gz)?$/, '');
  const markdown = await download(page, 'Download Markdown');
  expect(markdown.name).toBe(`${stem}.md`);
  expect(markdown.text).toBe(cli(file, 'md'));
  await verified(page);
  const json = await download(page, 'Download JSON');
  expect(json.name).toBe(`${stem}.json`);
  expect(json.text).toBe(cliVerifyJson(file));
  const parsed = JSON.parse(json.text) as { source: { name: string; size: number } };
  expect(parsed.source.name).toBe(path.basename(file));
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Stevedore' })).toBeVisible();
});

test('legacy docker save: dropped, shown, exported as the CLI does', async ({ page }) => {
  const file = fixture('containers-image-almostempty.tar');
  await drop(page, file);
  await expect(page.getByRole('heading', { level: 2, name: 'emptyimage:latest' })).toBeVisible();
  // One platform: the summary says it all, no platform table.
  await expect(platformColumns(page)).toHaveCount(0);
  await expect(summaryField(page, 'platform')).toHaveText('linux/amd64');
  await expect(summaryField(page, 'size')).toHaveText('1.5 KB stored uncompressed');
  await expect(summaryField(page, 'layers')).toHaveText('1');
  await verified(page);
  await expect(summaryField(page, 'verdict')).toHaveText('verified');
  await expect(page.getByText('docker save (legacy layout)')).toBeVisible();
  await expect(page.getByText('1.5 KB (1536 bytes)').first()).toBeVisible();
  // Sizes for people in the view: '413 B', never repo-info's '413.0 B' (kept for the Markdown).
  expect(await page.locator('main').innerText()).not.toMatch(/\b\d+\.0 B\b/);
  await expect(page.getByText('1.10.3')).toBeVisible();
  // The layer table shows the short digest; its details, opened, the full one and the diff_id
  // (the same for an uncompressed tar).
  await page.getByRole('button', { name: 'Details of layer 1' }).click();
  await expect(
    page.getByText('sha256:0b916d257bd406111a3fced53f81b47de9a30f7c7d514a89769b3483aaddca7e', {
      exact: true,
    }),
  ).toHaveCount(2);
  await expect(page.getByText(/uncompressed layer tar size/)).toBeVisible();
  await expect(page.getByText(/docker pull/)).toHaveCount(0); // no digest to pull by
  await expectDownloadsMatchCli(page, file);
});

test('Docker 25 save: OCI layout plus manifest.json', async ({ page }) => {
  const file = fixture('ggcr-hello-world-v25.tar');
  await drop(page, file);
  await expect(page.getByRole('heading', { level: 2, name: 'ggcr-hello-world-v25' })).toBeVisible();
  await expect(platformColumns(page)).toHaveCount(0);
  await expect(summaryField(page, 'platform')).toHaveText('linux/arm64');
  await expect(page.getByRole('region', { name: 'ggcr-hello-world-v25' })).toContainText(
    'sha256:411caf340c82',
  );
  await expect(page.getByText('10.8 KB (10752 bytes)').first()).toBeVisible();
  expect(await page.locator('main').innerText()).not.toMatch(/\b\d+\.0 B\b/);
  // The archive names no image: no repository is made up of the file name.
  await expect(page.getByText(/docker pull/)).toHaveCount(0);
  await expect(summaryField(page, 'name')).toHaveText('unnamed — ggcr-hello-world-v25.tar');
  await expect(page.getByText('docker save (Docker 25+, OCI layout)')).toBeVisible();
  await expect(page.getByText('["/hello"]', { exact: true })).toBeVisible(); // Default Command
  await expectDownloadsMatchCli(page, file);
});

test('multi-platform OCI archive with gzip layers', async ({ page }) => {
  const file = fixture('gen-buildah-multiarch-oci-archive.tar');
  await drop(page, file);
  await expect(
    page.getByRole('heading', { level: 2, name: 'gen-buildah-multiarch-oci-archive:gen-multi' }),
  ).toBeVisible();
  const rows = platformColumns(page);
  await expect(rows).toHaveText(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
  await expect(gridRow(page, 'digest').locator('td').nth(0)).toContainText('f38679ffd604');
  await expect(gridRow(page, 'size').locator('td')).toHaveText(['413 B', '418 B', '414 B']);
  // The full digest stays in the title of the short one.
  await expect(gridRow(page, 'digest').locator('td').nth(0).locator('code')).toHaveAttribute(
    'title',
    'sha256:f38679ffd604645c19a588b9fefcecaf3f08551fa73ef4613b56c0ed490d17ef',
  );
  await expect(page.getByText('application/vnd.oci.image.index.v1+json')).toBeVisible();
  await expect(page.getByText('archive: none · layers: gzip')).toBeVisible();
  await openLayerDetails(page);
  await expect(
    page.getByText('sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f', {
      exact: true,
    }),
  ).toBeVisible();
  await expect(
    page.getByText('RUN buildah copy platform.txt + remove-me.txt').first(),
  ).toBeVisible();
  await expectDownloadsMatchCli(page, file);
});

test('multi-platform OCI archive with zstd layers', async ({ page }) => {
  const file = fixture('gen-skopeo-multiarch-zstd-oci-archive.tar');
  await drop(page, file);
  await expect(platformColumns(page)).toHaveCount(3);
  await expect(platformColumns(page).nth(0)).toHaveText('linux/amd64');
  await expect(gridRow(page, 'digest').locator('td').nth(0)).toContainText('64fbf6dccc1e');
  await expect(gridRow(page, 'size').locator('td').nth(0)).toHaveText('395 B');
  await expect(page.getByText('archive: none · layers: zstd')).toBeVisible();
  await openLayerDetails(page);
  await expect(page.getByText('application/vnd.oci.image.layer.v1.tar+zstd').first()).toBeVisible();
  await expect(
    page.getByText('sha256:2a8b7fdd42b2342bb2d0a3c628fb8270f57fe9231f5a40d2020166e7c4ad3651', {
      exact: true,
    }),
  ).toBeVisible();
  await expectDownloadsMatchCli(page, file);
});

test('regclient test repo: 26 images, attestations named by their subject', async ({ page }) => {
  const file = fixture('regclient-testrepo-ocidir.tar');
  await drop(page, file);
  const refs = page.getByRole('region', { name: 'Refs in this archive' });
  await expect(refs.locator('tbody tr')).toHaveCount(26);
  await expect(
    page.getByRole('heading', { level: 2, name: 'regclient-testrepo-ocidir:b1' }),
  ).toBeVisible();
  await expect(platformColumns(page)).toHaveCount(4);

  await refs.getByRole('button', { name: 'v1', exact: true }).click();
  await expect(
    page.getByRole('heading', { level: 2, name: 'regclient-testrepo-ocidir:v1' }),
  ).toBeVisible();
  // Two platforms; their attestations are chips of theirs, not platforms.
  await expect(platformColumns(page)).toHaveText(['linux/amd64', 'linux/arm64']);
  const chips = gridRow(page, 'attached').getByRole('button');
  await expect(chips).toHaveCount(2);
  await expect(chips.nth(0)).toHaveAttribute(
    'title',
    /attestation sha256:[0-9a-f]{12}: application\/vnd.example.build-type\+json/,
  );
  await chips.nth(0).click();
  await expect(
    page.getByRole('heading', { level: 3, name: /attestation for linux\/amd64/ }),
  ).toBeVisible();

  await refs.getByRole('button', { name: 'a1', exact: true }).click();
  await expect(platformColumns(page)).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 3, name: /^artifact for/ })).toBeVisible();
  await expectDownloadsMatchCli(page, file);
});

test('a dropped OCI layout folder opens like its archive', async ({ page }) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'stevedore-e2e-'));
  const folder = path.join(dir, 'gen-buildah-multiarch-oci-archive');
  try {
    await mkdir(folder);
    execFileSync('tar', ['-xf', fixture('gen-buildah-multiarch-oci-archive.tar'), '-C', folder]);
    await drop(page, folder);
    await expect(platformColumns(page)).toHaveCount(3);
    await expect(platformColumns(page).nth(1)).toHaveText('linux/arm64/v8');
    const markdown = await download(page, 'Download Markdown');
    // The same report; the heading names the folder where it named the file.
    const fromArchive = cli(fixture('gen-buildah-multiarch-oci-archive.tar'), 'md');
    expect(markdown.text).toBe(
      fromArchive.replace(
        'gen-buildah-multiarch-oci-archive.tar',
        'gen-buildah-multiarch-oci-archive',
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a broken archive shows what and where; the app keeps working', async ({ page }) => {
  await drop(page, fixture('bad/oci-index-not-json.tar'));
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Cannot read oci-index-not-json.tar');
  await expect(alert).toContainText('index.json is not valid JSON');
  await expect(alert.getByText('index.json', { exact: true })).toBeVisible(); // where
  await expect(alert).toContainText('json-invalid');

  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  await expect(platformColumns(page)).toHaveCount(3);
  const tabs = page.getByRole('navigation', { name: 'Open archives' });
  const brokenTab = tabs.getByRole('button', {
    name: 'oci-index-not-json.tar (could not be read)',
  });
  await expect(brokenTab).toBeVisible();
  // Back to the broken one, then close it: the good one is shown again.
  await brokenTab.click();
  await expect(page.getByRole('alert')).toBeVisible();
  await tabs.getByRole('button', { name: 'Close oci-index-not-json.tar' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(platformColumns(page)).toHaveCount(3);
});

test('problems are listed, and everything that could be read is shown', async ({ page }) => {
  const file = fixture('bad/oci-missing-layer-blob.tar');
  await drop(page, file);
  const problems = page.getByRole('region', { name: /problem/ });
  await expect(problems).toContainText('1 problem in this archive');
  await expect(problems).toContainText(
    'layer sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f is not in the archive',
  );
  await expect(problems).toContainText('blob-missing');
  await expect(platformColumns(page)).toHaveCount(3);
  await expect(gridRow(page, 'size').locator('td').nth(0)).toHaveText('413 B');
  await expectDownloadsMatchCli(page, file);
});

test('"Open image…" is reachable from the keyboard and opens the file picker', async ({ page }) => {
  // Listening first lets Playwright intercept the picker before the key press opens it.
  const chooserOpened = page.waitForEvent('filechooser');
  await page.keyboard.press('Tab');
  const open = page.getByRole('button', { name: 'Open image…' });
  await expect(open).toBeFocused();
  await page.keyboard.press('Enter');
  const chooser = await chooserOpened;
  expect(chooser.isMultiple()).toBe(true);
  await chooser.setFiles(fixture('ggcr-hello-world-v25.tar'));
  await expect(summaryField(page, 'platform')).toHaveText('linux/arm64');
  // The report's own actions are reachable too: Tab moves on to the tab bar and the report.
  const downloadMd = page.getByRole('button', { name: 'Download Markdown' });
  for (
    let i = 0;
    i < 15 && !(await downloadMd.evaluate((el) => el === document.activeElement));
    i++
  )
    await page.keyboard.press('Tab');
  await expect(downloadMd).toBeFocused();
});

test('"Try a sample image" opens the bundled sample from the app itself', async ({
  page,
  context,
  baseURL,
}) => {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL! });
  await page.getByRole('button', { name: 'Try a sample image' }).click();
  await expect(platformColumns(page)).toHaveCount(3);
  expect(requests).toContain(`${baseURL}/samples/gen-buildah-multiarch-oci-archive.tar`);
  for (const url of requests) expect(new URL(url).origin).toBe(new URL(baseURL!).origin);

  // The sample names only a tag (ref.name "gen-multi"): no pull line, its digest to copy.
  await expect(page.getByText(/docker pull/)).toHaveCount(0);
  const digest = 'sha256:3ff4c8d247b2b27ca1f15364b668cadd7f1224d7af6a39e778c48ddb09b08e87';
  await page.getByRole('button', { name: 'Copy digest of the index', exact: true }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(digest);
});

test('/?sample shows the sample report; screenshots are written', async ({ page }) => {
  await page.goto('/?sample');
  await expect(
    page.getByRole('heading', { level: 2, name: 'gen-buildah-multiarch-oci-archive:gen-multi' }),
  ).toBeVisible();
  await expect(platformColumns(page)).toHaveCount(3);
  await expect(platformColumns(page).nth(2)).toHaveText('linux/arm/v7');
  await page.screenshot({ path: path.join(resultsDir, 'sample-report.png'), fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBe(0); // nothing wider than a phone
  await page.screenshot({ path: path.join(resultsDir, 'sample-report-390.png'), fullPage: true });

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(resultsDir, 'sample-report-dark.png'), fullPage: true });
});
