import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { drop, fixture, gridRow, platformColumns, summaryField } from './helpers.ts';

/** The page's Content-Security-Policy, exactly (src/index.html). */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

const MULTIARCH = 'gen-buildah-multiarch-oci-archive:gen-multi';
const HELLO = 'ggcr-hello-world-v25';

interface Violation {
  directive: string;
  blocked: string;
}

/** Records every request of the context (pages, workers, the service worker), how failed ones
 * failed, and every CSP violation, from before the first script runs. */
async function watch(context: BrowserContext, page: Page) {
  const requests = new Set<string>();
  context.on('request', (request) => requests.add(request.url()));
  page.on('request', (request) => requests.add(request.url()));
  const failures = new Map<string, string | undefined>();
  context.on('requestfailed', (request) =>
    failures.set(request.url(), request.failure()?.errorText),
  );
  const cspMessages: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspMessages.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: { directive: string; blocked: string }[] = [];
    (window as unknown as { cspViolations: typeof seen }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push({ directive: event.effectiveDirective, blocked: event.blockedURI }),
    );
  });
  return {
    requests,
    failures,
    cspMessages,
    violations: () =>
      page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations),
  };
}

/** Waits until the service worker is installed and controls the page. */
async function serviceWorkerControls(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

const recent = (page: Page) => page.getByRole('region', { name: 'Recent images' });
const openFromRecent = (page: Page, ref: string) =>
  recent(page).getByRole('button', { name: `Open ${ref}`, exact: true });
const cachedNote = (page: Page) => page.getByRole('complementary', { name: 'From cache' });
const verifyPanel = (page: Page) => page.getByRole('region', { name: 'Verification' });

/** Waits until the verification of the archive shown (started on the drop) has finished. */
async function verified(page: Page, checks: number): Promise<void> {
  await expect(page.locator('progress.verify-progress')).toHaveAttribute('data-state', 'done');
  await expect(verifyPanel(page).getByRole('status')).toHaveText(
    `Verified: all ${checks} checks passed.`,
  );
}

test('opening archives makes no request off the app’s origin and breaks no CSP rule', async ({
  page,
  context,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const watched = await watch(context, page);
  const response = await page.goto('/');
  expect(response?.headers()['content-security-policy']).toBe(CSP); // `vite preview` header
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    CSP,
  );
  await serviceWorkerControls(page); // its precaching is recorded too

  // Every kind of input: OCI gzip and zstd layers, a gzip-compressed archive, a legacy save;
  // each verified as it opens (the context records its workers' requests as well), and one
  // verified again by a click.
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  await expect(platformColumns(page)).toHaveCount(3);
  await verified(page, 45);
  await drop(page, fixture('gen-skopeo-multiarch-zstd-oci-archive.tar'));
  await expect(gridRow(page, 'digest').locator('td').first()).toContainText('64fbf6dccc1e');
  await verified(page, 45);
  await drop(page, fixture('trivy-alpine-310.tar.gz'));
  await expect(page.getByRole('heading', { level: 2, name: 'alpine:3.10' })).toBeVisible();
  await verified(page, 4);
  await verifyPanel(page).getByRole('button', { name: 'Verify again' }).click();
  await expect(page.locator('progress.verify-progress')).toHaveAttribute('data-state', 'running');
  await verified(page, 4);
  await drop(page, fixture('containers-image-almostempty.tar'));
  await expect(page.getByRole('heading', { level: 2, name: 'emptyimage:latest' })).toBeVisible();
  await verified(page, 4);
  await page.getByRole('button', { name: 'Try a sample image' }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'Open archives' })
      .getByRole('button', { name: / · gen-buildah-multiarch-oci-archive\.tar \(/ }),
  ).toHaveCount(2);
  // A report from the library, and a download.
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await openFromRecent(page, 'alpine:3.10').click();
  await expect(cachedNote(page)).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download Markdown' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('trivy-alpine-310.md');

  const urls = [...watched.requests];
  expect(urls).toContain(`${origin}/`);
  expect(urls).toContain(`${origin}/sw.js`);
  expect(urls).toContain(`${origin}/samples/gen-buildah-multiarch-oci-archive.tar`);
  // blob: URLs (downloads) carry the page's origin; data: URLs never reach the network.
  const elsewhere = urls.filter(
    (url) => !url.startsWith('data:') && new URL(url).origin !== origin,
  );
  expect(elsewhere).toEqual([]);
  expect(await watched.violations()).toEqual([]);
  expect(watched.cspMessages).toEqual([]);
});

test('the policy refuses other origins: no fetch, image, inline script or style gets through', async ({
  page,
  context,
}) => {
  const watched = await watch(context, page);
  await page.goto('/');
  const outcome = await page.evaluate(async () => {
    const fetched = await fetch('https://example.invalid/report').then(
      () => 'fetched',
      () => 'refused',
    );
    const image = new Image();
    const loaded = new Promise<string>((resolve) => {
      image.onload = () => resolve('loaded');
      image.onerror = () => resolve('refused');
    });
    image.src = 'https://example.invalid/pixel.png';
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.head.append(script);
    const style = document.createElement('style');
    style.textContent = 'body { color: rgb(1, 2, 3) }';
    document.head.append(style);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return {
      fetched,
      image: await loaded,
      inlineRan: (window as unknown as { inlineRan?: boolean }).inlineRan ?? false,
      color: getComputedStyle(document.body).color,
    };
  });
  expect(outcome).toEqual({
    fetched: 'refused',
    image: 'refused',
    inlineRan: false,
    color: expect.not.stringContaining('rgb(1, 2, 3)'),
  });
  // Each is refused twice under `vite preview`: by the <meta> policy and by the same header.
  const directives = new Set((await watched.violations()).map((v) => v.directive));
  expect([...directives].sort()).toEqual([
    'connect-src',
    'img-src',
    'script-src-elem',
    'style-src-elem',
  ]);
  // Chromium may announce a refused request before refusing it: each one must end refused.
  const attempts = [...watched.requests].filter((url) => url.includes('example.invalid'));
  for (const url of attempts) expect(watched.failures.get(url)).toMatch(/csp/i);
});

test('after one visit the app works offline: a cached report and a new archive open', async ({
  page,
  context,
}) => {
  const watched = await watch(context, page);
  await page.goto('/');
  await serviceWorkerControls(page);
  await drop(page, fixture('ggcr-hello-world-v25.tar'));
  await expect(page.getByRole('heading', { level: 2, name: HELLO })).toBeVisible();
  await verified(page, 9);
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await expect(openFromRecent(page, HELLO)).toBeVisible(); // kept before going offline

  await context.setOffline(true);
  const reload = await page.reload();
  expect(reload?.fromServiceWorker()).toBe(true);
  // Really offline: what the service worker has not cached cannot be fetched.
  expect(
    await page.evaluate(() =>
      fetch('/not-cached').then(
        () => 'online',
        () => 'offline',
      ),
    ),
  ).toBe('offline');

  await openFromRecent(page, HELLO).click();
  await expect(cachedNote(page)).toContainText('From cache — drop the file again to re-verify.');
  await expect(summaryField(page, 'platform')).toHaveText('linux/arm64');

  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar')); // never seen before
  await expect(page.getByRole('heading', { level: 2, name: MULTIARCH })).toBeVisible();
  await expect(platformColumns(page)).toHaveCount(3);
  await expect(cachedNote(page)).toHaveCount(0);
  await expect(platformColumns(page).nth(1)).toHaveText('linux/arm64/v8');
  await verified(page, 45); // the workers and their WebAssembly come from the precache too
  expect(await watched.violations()).toEqual([]);
});

test('an archive dropped at once: the service worker installs after its report, and a reload offline works', async ({
  page,
  context,
}) => {
  await page.goto('/');
  // Dropped before the service worker is even registered (it waits for a quiet page).
  await drop(page, fixture('ggcr-hello-world-v25.tar'));
  await expect(page.getByRole('heading', { level: 2, name: HELLO })).toBeVisible();
  await verified(page, 9);
  await serviceWorkerControls(page);

  await context.setOffline(true);
  const reload = await page.reload();
  expect(reload?.fromServiceWorker()).toBe(true);
  await drop(page, fixture('gen-skopeo-multiarch-zstd-oci-archive.tar')); // zstd layers
  await expect(gridRow(page, 'digest').locator('td').first()).toContainText('64fbf6dccc1e');
  await verified(page, 45); // the zstd decoder from the precache, never fetched online
});

test('the service worker installs only once the verification is over, not while it hashes', async ({
  page,
}) => {
  // The verify worker's script held back: the run stays going as long as the test wants (the
  // page's route applies to it; the service worker, were it installing, fetches on its own).
  let letGo!: () => void;
  const held = new Promise<void>((resolve) => (letGo = resolve));
  await page.route('**/*verify.worker*', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  await drop(page, fixture('ggcr-hello-world-v25.tar'));
  await expect(page.getByRole('heading', { level: 2, name: HELLO })).toBeVisible();
  await expect(page.locator('progress.verify-progress')).toHaveAttribute('data-state', 'running');
  // Well past the quiet time after the report (2 s) and an idle moment: still not registered.
  await page.waitForTimeout(5000);
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations())).toHaveLength(0);
  letGo();
  await verified(page, 9);
  await serviceWorkerControls(page);
});

test('reports survive a reload, open from the cache, and can be deleted', async ({ page }) => {
  await page.goto('/');
  await drop(page, fixture('ggcr-hello-world-v25.tar'));
  await expect(page.getByRole('heading', { level: 2, name: HELLO })).toBeVisible();
  await verified(page, 9);
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  await expect(platformColumns(page)).toHaveCount(3);
  await expect(cachedNote(page)).toHaveCount(0);
  await verified(page, 45);

  // Known again (its tab closed: a file dropped while open only shows its tab): read and
  // verified again; what the library kept is only history.
  await page.getByRole('button', { name: 'Close ggcr-hello-world-v25.tar' }).click();
  await drop(page, fixture('ggcr-hello-world-v25.tar'));
  await expect(page.getByRole('complementary', { name: 'Verification history' })).toContainText(
    'for an archive with the same manifest — not this file',
  );
  await verified(page, 9);
  await expect(summaryField(page, 'verdict')).toHaveText('verified');
  await expect(verifyPanel(page).getByRole('button', { name: 'Verify again' })).toBeEnabled();
  await expect(
    page.getByRole('navigation', { name: 'Open archives' }).getByRole('button', {
      name: 'ggcr-hello-world-v25.tar (verified)',
    }),
  ).toHaveCount(1);

  await page.reload();
  const list = recent(page);
  await expect(list.getByRole('listitem')).toHaveCount(2);
  // Newest first: hello-world was opened last.
  await expect(list.getByRole('listitem').nth(0)).toContainText(HELLO);
  await expect(list.getByRole('listitem').nth(0)).toContainText('linux; arm64');
  await expect(list.getByRole('listitem').nth(0)).toContainText('ggcr-hello-world-v25.tar');
  await expect(list.getByRole('listitem').nth(0)).toContainText('history: verified on');
  await expect(list.getByRole('listitem').nth(0)).not.toContainText('not verified');
  await expect(list.getByRole('listitem').nth(1)).toContainText(MULTIARCH);
  await expect(list.getByRole('listitem').nth(1)).toContainText(
    'linux; amd64 · linux; arm64 variant v8 · linux; arm variant v7',
  );
  await expect(list.getByRole('listitem').nth(1)).toContainText('21.0 KB');

  // From the keyboard.
  await openFromRecent(page, MULTIARCH).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: MULTIARCH })).toBeVisible();
  await expect(cachedNote(page)).toContainText('From cache — drop the file again to re-verify.');
  await expect(platformColumns(page)).toHaveCount(3);
  await expect(platformColumns(page).nth(2)).toHaveText('linux/arm/v7');

  // Delete one; it stays deleted.
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await recent(page)
    .getByRole('button', { name: `Delete ${HELLO}`, exact: true })
    .click();
  await expect(recent(page).getByRole('listitem')).toHaveCount(1);
  await page.reload();
  await expect(recent(page).getByRole('listitem')).toHaveCount(1);
  await expect(openFromRecent(page, HELLO)).toHaveCount(0);

  // Delete all, after a confirmation.
  await recent(page).getByRole('button', { name: 'Delete all…' }).click();
  await recent(page).getByRole('button', { name: 'Yes, delete all' }).click();
  await expect(recent(page)).toHaveCount(0); // the welcome screen lists none
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Open a container image' })).toBeVisible();
  await expect(recent(page)).toHaveCount(0);
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await expect(recent(page)).toContainText('No reports yet');
});

test('without IndexedDB: a one-line notice, and opening files still works', async ({ page }) => {
  await page.addInitScript(() => {
    // What a browser that refuses storage does (private windows in some browsers).
    IDBFactory.prototype.open = () => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
  });
  await page.goto('/');
  const notice = page.getByRole('status').filter({ hasText: 'Browser storage' });
  await expect(notice).toHaveText(
    /^Browser storage is not available here \(a private window\?\): reports are not saved for later\.\s*Dismiss$/,
  );
  await drop(page, fixture('gen-buildah-multiarch-oci-archive.tar'));
  await expect(platformColumns(page)).toHaveCount(3);
  await expect(cachedNote(page)).toHaveCount(0);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
  await page.getByRole('button', { name: 'Recent images', exact: true }).click();
  await expect(recent(page)).toContainText('No reports yet');
});

test('a full disk: the report still shows, with a notice that it is not kept', async ({ page }) => {
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.goto('/');
  await drop(page, fixture('ggcr-hello-world-v25.tar'));
  await expect(page.getByRole('heading', { level: 2, name: HELLO })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Browser storage' })).toContainText(
    'Browser storage is full: this report is not saved for later.',
  );
  await expect(summaryField(page, 'platform')).toHaveText('linux/arm64');
});

test('entries written by another version are ignored, not crashed on', async ({ page }) => {
  await page.goto('/');
  await drop(page, fixture('ggcr-hello-world-v25.tar'));
  await expect(page.getByRole('heading', { level: 2, name: HELLO })).toBeVisible();
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('stevedore');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('reports', 'readwrite');
          const store = tx.objectStore('reports');
          store.put({ version: 99, id: 'future', report: { schema: 'v99' } }, 'future');
          store.put('not even an object', 'junk');
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(recent(page).getByRole('listitem')).toHaveCount(1);
  await expect(recent(page)).toContainText(HELLO);
  await expect(page.getByRole('status').filter({ hasText: 'Browser storage' })).toHaveCount(0);
});
