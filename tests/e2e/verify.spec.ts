import { test, expect, type Page, type Worker } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { readFile, writeFile } from 'node:fs/promises';
import { cliVerifyJson, drop, fixture, gridRow, platformColumns, summaryField } from './helpers.ts';
import { RendererMemory } from './memory.ts';
import { blob, ociArchive } from '../support/oci.ts';
import { sha256, writeTar } from '../support/tar.ts';
import { noise } from '../support/legacy.ts';

interface Check {
  kind: string;
  target: string;
  expected: string | null;
  actual: string | null;
  ok: boolean;
  message: string;
}
interface Verification {
  status: string;
  checks: Check[];
}

const panel = (page: Page) => page.getByRole('region', { name: 'Verification' });
const progressBar = (page: Page) => page.locator('progress.verify-progress');
const status = (page: Page) => panel(page).getByRole('status');
const layerItems = (page: Page) => page.locator('tr[data-verify]');

/** Waits until the verification that started on its own has finished. */
async function verificationDone(page: Page, timeout = 30_000): Promise<void> {
  await expect(progressBar(page)).toHaveAttribute('data-state', 'done', { timeout });
}

/** Expects every platform's verification in the platform grid to read `state` (one badge
 * "same on all N", or one per platform), where there is a grid. */
async function everyPlatform(page: Page, state: string): Promise<void> {
  for (const badge of await gridRow(page, 'verification').locator('[data-state]').all())
    await expect(badge).toHaveText(state);
}

/** Clicks a download button; returns the file's suggested name and text. */
async function download(page: Page, name: string) {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

/** The verify workers alive in the page, as Chromium itself lists them. */
function workers(page: Page): Worker[] {
  return page.workers().filter((w) => w.url().includes('verify'));
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Stevedore' })).toBeVisible();
});

for (const [name, checks] of [
  ['gen-buildah-multiarch-oci-archive.tar', 45],
  ['dive-test-oci-estargz-image.tar', 10], // multi-member gzip, read in one pass
  ['gen-skopeo-multiarch-zstd-oci-archive.tar', 45],
  ['trivy-alpine-310.tar.gz', 4], // one sequential pass over the compressed file
] as const) {
  test(`${name}: verified on drop, all green; the receipt is the CLI's verification`, async ({
    page,
  }) => {
    const file = fixture(name);
    await drop(page, file);
    await verificationDone(page);
    await expect(status(page)).toHaveText(`Verified: all ${checks} checks passed.`);
    await expect(progressBar(page)).toHaveAttribute('data-status', 'ok');
    await expect(summaryField(page, 'verdict')).toHaveText('verified');
    await everyPlatform(page, 'verified');
    expect(await layerItems(page).count()).toBeGreaterThan(0);
    for (const layer of await layerItems(page).all())
      await expect(layer).toHaveAttribute('data-verify', 'ok');
    await expect(panel(page).getByRole('list', { name: 'Failed checks' })).toHaveCount(0);

    const cli = cliVerifyJson(file);
    const stem = name.replace(/\.tar(\.gz)?$/, '');
    const receipt = await download(page, 'Download verification receipt');
    expect(receipt.name).toBe(`${stem}.verification.json`);
    const expected = (JSON.parse(cli) as { verification: Verification }).verification;
    expect(JSON.parse(receipt.text)).toEqual(expected);
    expect(expected.checks).toHaveLength(checks);
    // The JSON export carries the verification: byte for byte what the CLI prints.
    const json = await download(page, 'Download JSON');
    expect(json.text).toBe(cli);
  });
}

test('a byte-flipped layer turns red with expected and actual; only its platform fails', async ({
  page,
}) => {
  const file = fixture('bad/oci-layer-byte-flipped.tar');
  await drop(page, file);
  await verificationDone(page);
  await expect(status(page)).toHaveText('Verification failed: 2 of 45 checks failed.');
  await expect(platformColumns(page).nth(0)).toHaveText('linux/amd64');
  await expect(gridRow(page, 'verification').locator('[data-state]')).toHaveText([
    'mismatch',
    'verified',
    'verified',
  ]);

  const flipped = 'sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f';
  const actual = 'sha256:857de105a79d307376a56e194de87c21e831eff10247cf03ef192a2183ed1f9b';
  const amd64 = page.getByRole('region', { name: 'linux/amd64' });
  const layers = amd64.locator('tr[data-verify]');
  await expect(layers.nth(0)).toHaveAttribute('data-verify', 'mismatch');
  await expect(layers.nth(0).locator('code[title]')).toHaveAttribute('title', flipped);
  // The failed checks sit in the row under the layer's, shown without opening it.
  const failed = amd64.getByRole('list', { name: 'Failed checks of layer 1' });
  await expect(failed.getByRole('listitem')).toHaveCount(2); // its digest, and its diff_id
  const [digestCheck, diffIdCheck] = [0, 1].map((i) => failed.getByRole('listitem').nth(i));
  await expect(digestCheck!).toContainText('blob-digest');
  await expect(digestCheck!.locator('dt')).toHaveText(['Expected', 'Actual']);
  await expect(digestCheck!.locator('dd')).toHaveText([flipped, actual]);
  await expect(diffIdCheck!).toContainText('diff-id');
  await expect(diffIdCheck!).toContainText('is not a valid gzip stream');
  await expect(layers.nth(1)).toHaveAttribute('data-verify', 'ok');
  // The panel lists the failed checks first, each with both values.
  const listed = panel(page).getByRole('list', { name: 'Failed checks' });
  await expect(listed.getByRole('listitem')).toHaveCount(2);
  await expect(listed.getByRole('listitem').nth(0).locator('dd')).toHaveText([flipped, actual]);

  // The same checks as the CLI, word for word: page and CLI inflate with the same zlib.
  const receipt = await download(page, 'Download verification receipt');
  const cli = (JSON.parse(cliVerifyJson(file)) as { verification: Verification }).verification;
  const got = JSON.parse(receipt.text) as Verification;
  expect(got.status).toBe('failed');
  expect(got).toEqual(cli);
  expect(got.checks.find((c) => c.kind === 'blob-digest' && !c.ok)?.actual).toBe(actual);
  const diffId = JSON.stringify(got.checks.find((c) => c.kind === 'diff-id' && !c.ok));
  expect(diffId).toMatch(/not a valid gzip stream: [a-z]/);
  expect(diffId).not.toMatch(/Failed to execute|WritableStream|TypeError/);
});

test('a gzip layer whose second member is corrupt fails its diff_id in plain words, as the CLI says', async ({
  page,
}, testInfo) => {
  // Two gzip members (as eStargz layers have); the second's CRC-32 is wrong. The stored digest
  // is that of these very bytes, so only inflating every member can catch it.
  const tar = writeTar([
    { name: 'a.txt', data: new TextEncoder().encode('first member\n'.repeat(4000)) },
    { name: 'b.txt', data: new TextEncoder().encode('second member\n'.repeat(4000)) },
  ]);
  const half = 512 * 10;
  const second = gzipSync(tar.subarray(half));
  second[second.length - 8]! ^= 0xff;
  const layer = Buffer.concat([gzipSync(tar.subarray(0, half)), second]);
  const file = testInfo.outputPath('second-member-corrupt.tar');
  await writeFile(
    file,
    ociArchive({
      ref: 'second-member',
      layer: {
        layer: blob(layer),
        diffId: sha256(tar),
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      },
    }),
  );
  await drop(page, file);
  await verificationDone(page);
  await expect(summaryField(page, 'verdict')).not.toHaveText('verified');
  await expect(layerItems(page).nth(0)).toHaveAttribute('data-verify', 'mismatch');
  const failed = page.getByRole('list', { name: 'Failed checks of layer 1' });
  await expect(failed).toContainText(
    'not a valid gzip stream: its checksum does not match its data',
  );
  const receipt = JSON.parse((await download(page, 'Download verification receipt')).text);
  expect(receipt).toEqual(
    (JSON.parse(cliVerifyJson(file)) as { verification: Verification }).verification,
  );
});

test('a known archive is verified again on drop; what was kept is history, never its verdict', async ({
  page,
}) => {
  const file = fixture('gen-buildah-multiarch-oci-archive.tar');
  await drop(page, file);
  await verificationDone(page);
  // Known to the library, no longer open (a file dropped while open only shows its tab).
  await page
    .getByRole('navigation', { name: 'Open archives' })
    .getByRole('button', { name: 'Close gen-buildah-multiarch-oci-archive.tar' })
    .click();
  await drop(page, file);
  const note = page.getByRole('complementary', { name: 'Verification history' });
  await expect(note).toContainText(/History: Verified on .+ for an archive with the same manifest/);
  await verificationDone(page); // this file's own run
  await expect(status(page)).toHaveText('Verified: all 45 checks passed.');
  await everyPlatform(page, 'verified');
  // From the keyboard.
  const again = panel(page).getByRole('button', { name: 'Verify again' });
  await again.focus();
  await page.keyboard.press('Enter');
  await verificationDone(page);
  await expect(status(page)).toHaveText('Verified: all 45 checks passed.');
  await expect(again).toBeFocused(); // "Cancel" took its place a while, and gave focus back

  // Without the file: not verified, the kept verification named as history, no way to verify.
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await page
    .getByRole('region', { name: 'Recent images' })
    .getByRole('button', { name: 'Open gen-buildah-multiarch-oci-archive:gen-multi' })
    .click();
  const cached = page.getByRole('complementary', { name: 'From cache' });
  await expect(cached).toContainText('From cache — drop the file again to re-verify.');
  await expect(status(page)).toHaveText(
    /^Not verified \(history: verified on .+ for an archive with the same manifest\)\.$/,
  );
  await expect(panel(page)).toContainText('drop the file again to re-verify');
  await expect(panel(page).getByRole('button', { name: /^Verify/ })).toHaveCount(0);
  await everyPlatform(page, 'not verified');
});

test('cancel and close stop every worker; the 1 GiB bomb verifies in bounded memory', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const bomb = fixture('bad/oci-gzip-bomb-1GiB.tar');
  const closed: Worker[] = [];
  page.on('worker', (w) => w.on('close', () => closed.push(w)));
  // No worker can be busy once none is left: the pool shuts only idle workers down (after 5 s).
  const noWorkerLeft = () => expect.poll(() => workers(page).length, { timeout: 10_000 }).toBe(0);

  // Closing the tab cancels its verification.
  await drop(page, bomb);
  await expect(progressBar(page)).toHaveAttribute('data-state', 'running');
  await expect.poll(() => workers(page).length).toBeGreaterThan(0);
  await page
    .getByRole('navigation', { name: 'Open archives' })
    .getByRole('button', { name: 'Close oci-gzip-bomb-1GiB.tar' })
    .click();
  await expect.poll(() => closed.length, { timeout: 2000 }).toBeGreaterThan(0); // at once
  await noWorkerLeft();

  // Cancel, mid-way.
  await drop(page, bomb);
  await expect(progressBar(page)).toHaveAttribute('data-state', 'running');
  await expect(status(page)).toContainText('Verifying…');
  await expect
    .poll(() => progressBar(page).evaluate((p: HTMLProgressElement) => p.value))
    .toBeGreaterThan(0);
  const before = closed.length;
  await panel(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(status(page)).toHaveText('Cancelled: not verified.');
  await expect(panel(page).getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(panel(page).getByRole('button', { name: 'Verify', exact: true })).toBeEnabled();
  await expect(progressBar(page)).toHaveCount(0);
  await expect.poll(() => closed.length, { timeout: 2000 }).toBeGreaterThan(before);
  await noWorkerLeft();
  await expect(summaryField(page, 'verdict')).toHaveText('not verified');

  // All the way, in bounded memory.
  const memory = await RendererMemory.of(browser);
  try {
    const baseline = await memory.sampleMB();
    await panel(page).getByRole('button', { name: 'Verify', exact: true }).click();
    const { peakMB } = await memory.peakDuring(verificationDone(page, 90_000));
    await expect(status(page)).toHaveText('Verified: all 10 checks passed.');
    await expect(layerItems(page)).toHaveAttribute('data-verify', 'ok');
    await expect(progressBar(page)).toHaveAttribute('data-decoded-bytes', '1073743360');
    console.log(`bomb: renderer ${baseline.toFixed(0)} MB → peak ${peakMB.toFixed(0)} MB`);
    expect(peakMB - baseline).toBeLessThan(200);
  } finally {
    await memory.close();
  }
});

test('a zstd layer of many blocks, read in many pieces, is verified (the decoder keeps no view of a read buffer)', async ({
  page,
}, testInfo) => {
  // 12 MiB that zstd cannot shrink: its 128 KiB blocks straddle the reader's pieces, and the
  // browser's reader reuses (detaches) each piece once read; a decoder that held on to a piece
  // until its block was whole (fzstd, before libzstd) read bytes that were gone.
  const data = noise(12 << 20, 2463534242);
  const tar = writeTar([{ name: 'noise.bin', data }]);
  const zst = new Uint8Array(
    execFileSync('zstd', ['-3', '-c'], { input: tar, maxBuffer: 64 << 20 }),
  );
  const file = testInfo.outputPath('zstd-many-blocks.tar');
  await writeFile(
    file,
    ociArchive({
      ref: 'zstd-many-blocks',
      layer: {
        layer: blob(zst),
        diffId: sha256(tar),
        mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd',
      },
    }),
  );
  await page.goto('/');
  await drop(page, file);
  await expect(summaryField(page, 'verdict')).toHaveText('verified', { timeout: 60_000 });
});
