import { test, expect } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { legacySave, pax } from '../support/attacks.ts';
import { ociArchive } from '../support/oci.ts';
import { writeTar } from '../support/tar.ts';
import { drop, fixture, verified } from './helpers.ts';

// Text from an image is data: it is shown as text and never runs, whatever it holds.
test('labels, history and names holding HTML and script are shown as text and never run', async ({
  page,
}) => {
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const bytes = ociArchive({
    ref: `evil:${'<b>bold</b>'}`,
    config: {
      config: {
        Labels: { 'org.example.note': payload },
        Env: [`EVIL=${payload}`],
        Cmd: ['sh', '-c', payload],
      },
      history: [{ created: '2026-01-01T00:00:00Z', created_by: `/bin/sh -c echo '${payload}'` }],
    },
  });
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'stevedore-')), 'evil.tar');
  await writeFile(file, bytes);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  await drop(page, file);
  await expect(page.getByRole('heading', { level: 2, name: 'evil:<b>bold</b>' })).toBeVisible();
  // The payload is on the page as literal text, in the labels and the Dockerfile.
  await expect(page.getByText(payload, { exact: true }).first()).toBeVisible();
  await expect(page.getByText(`RUN echo '${payload}'`)).toBeVisible();
  // No element was made from it, and nothing ran.
  expect(await page.locator('main img[src="x"], main b, main script').count()).toBe(0);
  expect(
    await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
  ).toBeUndefined();
  expect(dialogs).toEqual([]);
});

// One row per file in tests/fixtures/bad/: the page says what is wrong and where.
const BAD: [file: string, shows: RegExp][] = [
  ['dive-test-gzip-image-rootfs-only.tar', /not a container image/],
  ['docker-archive-manifest-not-json.tar', /manifest\.json is not valid JSON/],
  [
    'docker-archive-outer-path-traversal.tar',
    /"\.\.\/outer-evil\.txt" has an absolute or "\.\.\/" path/,
  ],
  ['ggcr-no_manifest.tar', /manifest\.json is missing/],
  ['ggcr-null_manifest.tar', /manifest\.json holds null, not a list of images/],
  ['oci-index-not-json.tar', /index\.json is not valid JSON/],
  [
    'oci-missing-layer-blob.tar',
    /sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f is not in the archive/,
  ],
  ['oci-descriptor-size-mismatch.tar', /the descriptor says 722 bytes, the blob has 721/],
  [
    'truncated-docker-archive.tar.gz',
    /gzip stream of "truncated-docker-archive\.tar\.gz" breaks off/,
  ],
  [
    'truncated-oci-archive-in-data.tar',
    /archive ends inside the data of "blobs\/sha256\/23d8204886fc/,
  ],
  ['truncated-oci-archive-in-header.tar', /296 bytes into a tar header at offset 8704/],
];

for (const [name, shows] of BAD) {
  test(`bad input ${name}: the page names what is wrong and where`, async ({ page }) => {
    await page.goto('/');
    await drop(page, fixture(`bad/${name}`));
    await expect(page.getByText(shows).first()).toBeVisible();
    // The app stays usable: another archive opens beside it.
    await drop(page, fixture('dive-test-oci-zstd-image.tar'));
    await expect(
      page.getByRole('heading', { level: 2, name: 'dive-test-oci-zstd-image' }),
    ).toBeVisible();
  });
}

// The rest of tests/fixtures/bad/: what only verification finds, shown once it has run.
const FOUND_BY_VERIFYING: [file: string, shows: RegExp][] = [
  [
    'docker-archive-layer-byte-flipped.tar',
    /its name says sha256:f96d367e8328ed0e02d15a95cf9955fc5e0bacd8ce8ef61cc7a6b3258e674abb/,
  ],
  [
    'oci-layer-byte-flipped.tar',
    /expected sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f/,
  ],
  ['oci-diffid-mismatch.tar', /expected diff_id sha256:[0-9a-f]{64}/],
  [
    'docker-archive-layer-path-traversal.tar',
    /"\.\.\/\.\.\/\.\.\/tmp\/evil-dotdot\.txt" \(climbs out with \.\.\/\)/,
  ],
  [
    'ggcr-source_image_with_empty_layer_history.tar',
    /its name says sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e/,
  ],
  // A 1 GiB layer in 33 KB of zstd: decoded in bounded pieces, and it is what it claims to be.
  // (The gzip bomb is verified, its memory measured, in verify.spec.ts.)
  ['oci-zstd-bomb-1GiB.tar', /Verified: all \d+ checks passed\./],
];

for (const [name, shows] of FOUND_BY_VERIFYING) {
  test(`bad input ${name}: verification names what is wrong`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/');
    await drop(page, fixture(`bad/${name}`));
    await expect(page.getByText(shows).first()).toBeVisible({ timeout: 90_000 });
  });
}

test('every file in tests/fixtures/bad/ has a page test above', () => {
  const covered = [...BAD, ...FOUND_BY_VERIFYING].map(([file]) => file);
  const files = readdirSync(fixture('bad')).filter((f) => f !== 'README.md');
  // The gzip bomb's page test is in verify.spec.ts (with its memory bound).
  expect([...covered, 'oci-gzip-bomb-1GiB.tar'].sort()).toEqual(files.sort());
});

// Issue 12's hostile names that files.spec.ts does not drop: a NUL inside a GNU long name or a
// pax path, and whiteouts that would remove the root itself (`.wh.`, `.wh..`, `./.wh..`).
/** Writes a legacy save of the layers to a temp file; returns its path. */
async function saved(name: string, layers: Uint8Array[]): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'stevedore-')), name);
  await writeFile(file, legacySave(`hostile:${name.replace(/\.tar$/, '')}`, layers));
  return file;
}

test('a GNU long name holding NUL is cut there, as Go reads it; whiteouts of the root are noted', async ({
  page,
}) => {
  const lower = writeTar([
    { name: 'etc/', type: '5' },
    { name: 'etc/keep', data: 'kept\n' },
  ]);
  const upper = writeTar([
    { name: '././@LongLink', type: 'L', data: 'gnu\0hidden/evil\0' },
    { name: 'placeholder', data: 'b' },
    { name: '.wh.', data: '' },
    { name: '.wh..', data: '' },
    { name: './.wh..', data: '' },
    { name: 'fine.txt', data: 'fine\n' },
  ]);
  await page.goto('/');
  await drop(page, await saved('nul-gnu.tar', [lower, upper]));
  await verified(page, 60_000);
  const files = page.getByTestId('files');
  const notes = files.getByRole('note', { name: "Notes on the layers' names" });
  await expect(notes).toContainText('Layer 2: 3');
  await expect(notes).toContainText('whiteouts that name nothing valid, such as .wh.');
  // The root and what the lower layer put there are still there; the long name is cut.
  await files.getByRole('button', { name: 'Tree' }).click();
  const tree = files.getByRole('tree');
  await expect(tree.locator('[data-path="etc"]')).toBeVisible();
  await expect(tree.locator('[data-path="fine.txt"]')).toBeVisible();
  await expect(tree.locator('[data-path="gnu"]')).toBeVisible();
  await expect(tree).not.toContainText('hidden');
});

test('a pax path holding NUL stops the layer as Go does: read in part, never verified', async ({
  page,
}) => {
  const layer = writeTar([
    { name: 'before.txt', data: 'before\n' },
    pax('path', 'pax\0hidden/evil'),
    { name: 'placeholder', data: 'a' },
    { name: 'after.txt', data: 'after\n' },
  ]);
  await page.goto('/');
  await drop(page, await saved('nul-pax.tar', [layer]));
  await verified(page, 60_000);
  await expect(page.getByRole('region', { name: 'Verification' }).getByRole('status')).toHaveText(
    /^Verification failed/,
  );
  // The legacy layer is named by its file, as the archive spells it.
  await expect(page.locator('[data-banner="incomplete"]')).toContainText(
    'l0/layer.tar: read only in part.',
  );
  await expect(
    page.getByText(/malformed pax record at offset \d+ \(Go's archive\/tar refuses it\)/).first(),
  ).toBeVisible();
  await expect(page.getByText('hidden')).toHaveCount(0);
});
