/**
 * The report as a tool: verdict banners in plain words, the JSON of every document with its
 * digests as links, labels that are links, annotations, the welcome drop button and where focus
 * goes. Screenshots at 1400 px and 390 px, light and dark, in test-results/detail/.
 */
import { test, expect, type FileChooser, type Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  GZIP_LAYER,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_MANIFEST,
  descriptor,
  entry,
  layout,
  partialSave,
} from '../support/attacks.ts';
import { gzipFlippedFixture } from '../support/gzip-flipped.ts';
import { blob, gzipLayer } from '../support/oci.ts';
import { writeTar } from '../support/tar.ts';
import { drop, fixture, screenshots, summary, verified } from './helpers.ts';

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
  await verified(page, 30_000);
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
  await screenshots(page, 'detail', 'corrupt');
});

test('a layer with entries escaping its root: an "unsafe" banner naming both layers', async ({
  page,
}) => {
  await drop(page, fixture('bad/docker-archive-layer-path-traversal.tar'));
  await verified(page, 30_000);
  const unsafe = banner(page, 'unsafe');
  await expect(unsafe.getByRole('heading')).toHaveText(
    /Unsafe: unpacking this image would write files outside its root/,
  );
  await expect(unsafe.getByRole('listitem')).toHaveCount(2);
  await expect(unsafe).toContainText(/Layer 1 \(sha256:[0-9a-f]{12}\) of linux\/amd64: entries/);
  await expect(unsafe).toContainText('"../../../tmp/evil-dotdot.txt"');
  await expect(unsafe).toContainText(/Layer 2 .*"etc\/link" -> /);
  await screenshots(page, 'detail', 'unsafe');
});

const jsonDialog = (page: Page) => page.getByRole('dialog');

test('View JSON: the index, its manifests, a config and a layer, every digest a link', async ({
  page,
}) => {
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  await expect(summary(page)).toBeVisible();
  const open = page.getByRole('button', { name: 'View index JSON of the index' });
  await open.click();
  const dialog = jsonDialog(page);
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(
    'JSON of the index of gen-buildah-multiarch-oci-archive:gen-multi',
  );
  // Highlighted tokens, built as elements: keys, strings, numbers.
  await expect(dialog.locator('.key').first()).toHaveText('"schemaVersion"');
  await expect(dialog.locator('.tok.number').first()).toHaveText('2');
  // The three manifests' digests lead to them.
  const links = dialog.locator('button.link[data-digest]');
  await expect(links).toHaveCount(3);
  await expect(dialog.locator('.size')).toHaveText(/^\d+ bytes · 3 digests, 3 in this archive$/);
  await expect(links.nth(1)).toHaveAccessibleName(/open manifest of linux\/arm64\/v8$/);
  await links.nth(1).click();
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(
    'JSON of the manifest of linux/arm64/v8',
  );
  await screenshots(page, 'detail', 'json-manifest');
  // Back, by keyboard, then onwards to the config.
  await dialog.getByRole('button', { name: 'Back' }).press('Enter');
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(/^JSON of the index/);
  await links.nth(1).focus();
  await page.keyboard.press('Enter');
  await dialog.getByRole('button', { name: /open config of linux\/arm64\/v8$/ }).click();
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(
    'JSON of the config of linux/arm64/v8',
  );
  // Folded and unfolded by keyboard: the config's rootfs is small and open; fold it.
  const rootfs = dialog.getByRole('button', { name: /^Fold "rootfs"/ });
  await rootfs.focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('button', { name: /^Unfold "rootfs" \(2 keys\)$/ })).toBeFocused();
  await page.keyboard.press('Space');
  // A diff_id leads to its layer: the dialog closes and the layer's row has the focus.
  await dialog
    .getByRole('button', { name: /open layer 1 \(sha256:[0-9a-f]{12}\) of linux\/arm64\/v8$/ })
    .click();
  await expect(dialog).toBeHidden();
  const arm = page.getByRole('region', { name: /arm64/ }).last();
  await expect(arm.getByRole('button', { name: 'Details of layer 1' })).toBeFocused();

  // Escape closes, and focus returns to the button that opened it.
  await open.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
});

/** An image whose labels and annotations hold addresses, scripts and data URLs. */
function labelled(): Uint8Array {
  const { layer, diffId } = gzipLayer('hello.txt', 'hello\n');
  const config = blob({
    architecture: 'amd64',
    os: 'linux',
    config: {
      Labels: {
        'org.opencontainers.image.url': 'https://example.com/app',
        'evil.script': 'javascript:alert(document.domain)',
        'evil.data': 'data:text/html,<script>alert(1)</script>',
        'evil.bidi': 'https://exa\u202emple.com',
        'plain.text': 'not a link',
      },
    },
    rootfs: { type: 'layers', diff_ids: [diffId] },
  });
  const manifest = blob({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: descriptor(OCI_CONFIG, config),
    layers: [descriptor(GZIP_LAYER, layer)],
    annotations: {
      'org.opencontainers.image.source': 'https://github.com/example/app',
      'org.opencontainers.image.description': 'JAVASCRIPT:alert(1)',
    },
  });
  const index = blob({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      descriptor(OCI_MANIFEST, manifest, {
        platform: { os: 'linux', architecture: 'amd64' },
        annotations: { 'org.example.platform-note': 'from the index' },
      }),
    ],
    annotations: { 'org.opencontainers.image.documentation': 'https://example.com/docs' },
  });
  return writeTar([
    layout,
    ...[config, manifest, layer, index].map(entry),
    {
      name: 'index.json',
      data: JSON.stringify({
        schemaVersion: 2,
        manifests: [
          descriptor(OCI_INDEX, index, {
            annotations: { 'org.opencontainers.image.ref.name': 'labelled' },
          }),
        ],
      }),
    },
  ]);
}

test('labels that are web addresses are links; scripts and data never; annotations shown', async ({
  page,
}) => {
  const file = path.join(dir, 'labelled.tar');
  await writeFile(file, labelled());
  await drop(page, file);
  await expect(summary(page)).toBeVisible();
  const labels = page.locator('dl.labels');
  const link = labels.getByRole('link', { name: 'https://example.com/app' });
  await expect(link).toHaveAttribute('href', 'https://example.com/app');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(labels.getByRole('link')).toHaveCount(1);
  await expect(labels).toContainText('javascript:alert(document.domain)');
  await expect(labels).toContainText('https://exa\\u202emple.com');
  // No link anywhere on the page goes to a script or data.
  await expect(page.locator('a[href^="javascript:" i], a[href^="data:" i]')).toHaveCount(0);

  // The index's annotations in the header, the manifest's (and its descriptor's) with it.
  const header = page.locator('section.header');
  await expect(header.getByRole('heading', { name: 'Annotations' })).toBeVisible();
  await expect(header.getByRole('link', { name: 'https://example.com/docs' })).toHaveAttribute(
    'rel',
    'noopener noreferrer',
  );
  const manifest = page.locator('section.manifest');
  const annotations = manifest.locator('.annotations');
  await expect(annotations.locator('dt')).toHaveText([
    'org.opencontainers.image.source',
    'org.opencontainers.image.description',
    'org.example.platform-note',
  ]);
  await expect(annotations.getByRole('link')).toHaveCount(1);
  await expect(annotations).toContainText('JAVASCRIPT:alert(1)');
  await expect(annotations).toContainText('from the index (on the descriptor that lists it)');
  await screenshots(page, 'detail', 'labels');
});

test('welcome: the drop area is a button that opens the picker; focus goes to the report, back to the drop button', async ({
  page,
}) => {
  const dropButton = page.getByRole('button', { name: /^Drop an image archive here/ });
  await expect(dropButton).toBeVisible();
  await screenshots(page, 'detail', 'welcome');
  // Enter on the focused drop button opens the picker. Tried again a few times: a page the new
  // service worker has just taken over may still be settling (seen once in CI: no chooser).
  let chooser: FileChooser | null = null;
  await expect(async () => {
    await dropButton.focus();
    [chooser] = await Promise.all([
      page.waitForEvent('filechooser', { timeout: 3_000 }),
      page.keyboard.press('Enter'),
    ]);
  }).toPass({ timeout: 20_000 });
  await chooser!.setFiles(fixture('gen-buildah-multiarch-oci-archive.tar'));
  // Once read, the heading that names the image has the focus (a screen reader says it).
  const heading = page.getByRole('heading', {
    level: 2,
    name: 'gen-buildah-multiarch-oci-archive:gen-multi',
  });
  await expect(heading).toBeFocused();

  // Closing the last tab leaves focus on the drop button, not on nothing.
  await page.getByRole('button', { name: 'Close gen-buildah-multiarch-oci-archive.tar' }).click();
  await expect(dropButton).toBeFocused();
});

test('dropping an archive already open shows and focuses its tab instead of a second one', async ({
  page,
}) => {
  const tabs = page.locator('nav.tabs button.tab');
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  await expect(summary(page)).toBeVisible();
  await drop(page, fixture('dive-test-docker-image.tar'));
  await expect(tabs).toHaveCount(2);
  await expect(tabs.nth(1)).toHaveAttribute('aria-current', 'page');
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  await expect(tabs).toHaveCount(2);
  await expect(tabs.nth(0)).toHaveAttribute('aria-current', 'page');
  await expect(tabs.nth(0)).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'is open already' })).toHaveText(
    'gen-buildah-multiarch-oci-archive.tar is open already: its tab is shown.',
  );
  // Closing a tab that is not the last: focus on the tab shown next.
  await page.getByRole('button', { name: 'Close gen-buildah-multiarch-oci-archive.tar' }).click();
  await expect(tabs).toHaveCount(1);
  await expect(tabs.nth(0)).toBeFocused();
});

test('layer bar: each layer reachable by keyboard and by a tap, its details shown, not only in a title', async ({
  page,
}) => {
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  const bar = page.getByRole('group', { name: 'Layer sizes' }).nth(1); // linux/arm64/v8: 2 layers
  const segments = bar.getByRole('button');
  await expect(segments).toHaveCount(2);
  // One tab stop per bar; arrows move along it.
  await expect(segments.nth(0)).toHaveAttribute('tabindex', '0');
  await expect(segments.nth(1)).toHaveAttribute('tabindex', '-1');
  const caption = page.locator('.layer-bar .caption').nth(1);
  await segments.nth(0).focus();
  await expect(segments.nth(0)).toHaveAccessibleName(/^layer 1: sha256:[0-9a-f]{12}, 219(\.0)? B$/);
  await expect(caption).toHaveText(/^layer 1: sha256:[0-9a-f]{12}, 219(\.0)? B$/);
  await page.keyboard.press('ArrowRight');
  await expect(segments.nth(1)).toBeFocused();
  await expect(caption).toHaveText(/^layer 2: sha256:[0-9a-f]{12}, 199(\.0)? B$/);
  // A tap near the right end of the track picks the last layer, however thin it is drawn.
  await page.keyboard.press('Escape');
  await expect(caption).toHaveText('');
  const box = (await bar.boundingBox())!;
  await page.mouse.click(box.x + 2, box.y + box.height / 2);
  await expect(caption).toHaveText(/^layer 1: /);
});

test('a partial save: an "incomplete" banner says what was not checked', async ({ page }) => {
  const file = path.join(dir, 'partial.tar');
  await writeFile(file, partialSave());
  await drop(page, file);
  await verified(page, 30_000);
  const incomplete = banner(page, 'incomplete');
  await expect(incomplete.getByRole('heading')).toHaveText(
    /Incomplete: not everything in this archive could be checked/,
  );
  await expect(incomplete.getByRole('listitem')).toHaveText([
    '1 of 2 platforms not included in this archive.',
  ]);
  await expect(banner(page, 'corrupt')).toHaveCount(0);
});

test('a report reopened from the library: its JSON is not at hand, and says so', async ({
  page,
}) => {
  await drop(page, fixture('ggcr-hello-world-v25.tar'));
  await verified(page, 30_000);
  await page.getByRole('button', { name: 'Close ggcr-hello-world-v25.tar' }).click();
  await page
    .getByRole('region', { name: 'Recent images' })
    .getByRole('button', { name: 'Open ggcr-hello-world-v25', exact: true })
    .click();
  await page.getByRole('button', { name: /^View manifest JSON of the manifest/ }).click();
  await expect(page.getByRole('dialog')).toContainText(
    'The JSON is not at hand: this report was reopened from the library, without its archive.',
  );
});

/** An image whose config carries an array nested 100,000 deep, a 3,000-character string and
 * bidi overrides in a key and a value: the JSON view must stay responsive and show them as
 * they are. */
function hostileConfig(): Uint8Array {
  const { layer, diffId } = gzipLayer('hello.txt', 'hello\n');
  const depth = 100_000;
  const text =
    `{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["${diffId}"]},` +
    `"x-deep":${'['.repeat(depth)}1${']'.repeat(depth)},` +
    `"x-long":"${'a'.repeat(3000)}",` +
    `"x-\u202eevil":"gnp.\u202eexe"}`;
  const config = blob(new TextEncoder().encode(text));
  const manifest = blob({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: descriptor(OCI_CONFIG, config),
    layers: [descriptor(GZIP_LAYER, layer)],
  });
  return writeTar([
    layout,
    ...[config, manifest, layer].map(entry),
    {
      name: 'index.json',
      data: JSON.stringify({
        schemaVersion: 2,
        manifests: [
          descriptor(OCI_MANIFEST, manifest, {
            annotations: { 'org.opencontainers.image.ref.name': 'hostile' },
          }),
        ],
      }),
    },
  ]);
}

test('hostile JSON: 100,000 levels deep, a long string, bidi overrides: folded, cut, escaped', async ({
  page,
}) => {
  const file = path.join(dir, 'hostile-config.tar');
  await writeFile(file, hostileConfig());
  await drop(page, file);
  await page.getByRole('button', { name: /^View config JSON of the config/ }).click();
  const dialog = jsonDialog(page);
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(
    'JSON of the config of linux/amd64',
  );
  // The deep array is folded below the third level; unfolding goes one level at a time.
  const folded = dialog.getByRole('button', { name: 'Unfold item (1 item)' }).first();
  await expect(folded).toBeVisible();
  await folded.click();
  await expect(dialog.getByRole('button', { name: 'Unfold item (1 item)' })).toHaveCount(1);
  await expect(dialog).toContainText('… 1,000 more characters not shown');
  await expect(dialog.locator('.key').filter({ hasText: 'evil' })).toHaveText('"x-\\u202eevil"');
  await expect(dialog).toContainText('"gnp.\\u202eexe"');
  await expect(dialog).not.toContainText('\u202e');
  await screenshots(page, 'detail', 'json-hostile');
});
