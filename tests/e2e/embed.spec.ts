import { test, expect } from '@playwright/test';
import path from 'node:path';
import type { Report, Verification } from '../../src/lib/report/model.ts';
import type { PlatformContents } from '../../src/embed/viewer.svelte.ts';
import { appPolicy, eventsOf, expected, serveHostPages, watchViolations } from './embed-helpers.ts';
import { fixture, repoRoot } from './helpers.ts';

// The host pages of these tests (tests/e2e/embed/) are served on the preview server's origin
// by routing /e2e/* (see embed-helpers.ts), with the app's own Content-Security-Policy (no
// 'unsafe-inline'): they are test material, not part of the built site. Everything else, the
// element's module and worker, the sample and the iframe mode, comes from the real `vite
// preview` of dist/.

const resultsDir = path.resolve(repoRoot, 'test-results');
const SAMPLE = 'gen-buildah-multiarch-oci-archive.tar';
const ZSTD = 'gen-skopeo-multiarch-zstd-oci-archive.tar';
const HELLO = 'ggcr-hello-world-v25.tar';

test('<stevedore-report> in a hostile page: by file and by src, both events, layout intact', async ({
  page,
  context,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const policy = await appPolicy();
  await serveHostPages(page, origin, policy);
  const violations = await watchViolations(page);
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));

  await page.goto('/e2e/host.html');
  // The host's CSS is live in the host's own page.
  const h1 = await page.locator('h1').evaluate((el) => {
    const style = getComputedStyle(el);
    return { color: style.color, fontSize: style.fontSize };
  });
  expect(h1).toEqual({ color: 'rgb(255, 0, 0)', fontSize: '40px' });
  await expect(page.locator('body > table')).toBeHidden();

  // By src: fetched from the server, reported, then verified in the element's workers.
  const sample = await expected(SAMPLE);
  const [srcReport, srcVerified, srcListed] = await eventsOf(page, 'by-src', [
    'report',
    'verified',
    'report',
  ]);
  expect(srcReport).toEqual(sample.report);
  // Again once verification has listed the layers: verified, with each platform's contents in
  // figures (per layer, per change kind; the OS packages), not every file.
  const { contents, ...verifiedReport } = srcListed as Report & { contents: PlatformContents[] };
  expect(verifiedReport).toEqual({ ...sample.report, verification: sample.verification });
  expect(contents.map((c) => c.platform)).toEqual(
    sample.report.images[0]!.manifests.map((m) => m.platformString),
  );
  for (const c of contents) {
    expect(c.layers.length).toBeGreaterThan(0);
    expect(c.layers[0]!.changes.added.count).toBeGreaterThan(0);
    expect(c.unpackedSize).toBe(c.layers.reduce((n, l) => n + l.unpackedSize, 0));
    expect(c.packages).toMatchObject({ count: expect.any(Number), problems: [] });
  }
  expect(srcVerified).toEqual(sample.verification);
  expect((srcVerified as Verification).status).toBe('ok');
  expect((srcVerified as Verification).checks).toHaveLength(45);

  // By file: the `file` property, given the File a user picked.
  await page.locator('#pick').setInputFiles(fixture(ZSTD));
  const zstd = await expected(ZSTD);
  const [fileReport, fileVerified] = await eventsOf(page, 'by-file', [
    'report',
    'verified',
    'report',
  ]);
  expect(fileReport).toEqual(zstd.report);
  expect((fileReport as Report).images[0]!.manifests.map((m) => m.digest)).toEqual([
    'sha256:64fbf6dccc1e64a9e87ad23837f6e56126365988bb8577fd855e746c222fa938',
    'sha256:97cea9c889926f90701dee6a0fd2546fdd22ffaae709be3e0c51984015994f74',
    'sha256:9998d2e896e587f8c49317fd8d81682ca5ba9c9c78b61b7def7e9174b767cbc5',
  ]);
  expect(fileVerified).toEqual(zstd.verification);
  expect((fileVerified as Verification).status).toBe('ok');

  // Both rendered, in their shadow roots (Playwright's locators pierce open ones).
  const byFile = page.locator('#by-file');
  const bySrc = page.locator('#by-src');
  await expect(byFile.locator('table.platforms th.platform')).toHaveCount(3);
  await expect(byFile.locator('table.platforms th.platform').nth(0)).toHaveText('linux/amd64');
  await expect(byFile.locator('table.platforms tr[data-row="digest"] td').nth(0)).toContainText(
    '64fbf6dccc1e',
  );
  await expect(byFile.getByRole('heading', { level: 2 })).toHaveText(
    'gen-skopeo-multiarch-zstd-oci-archive:gen-multi',
  );
  await expect(bySrc.locator('table tbody tr')).toHaveCount(3);
  await expect(bySrc.locator('table tbody tr').nth(2)).toContainText('linux/arm/v7');
  await expect(bySrc.locator('tbody td.verification')).toHaveText([
    'verified',
    'verified',
    'verified',
  ]);
  // Compact: no per-platform details.
  await expect(bySrc.locator('section.manifest')).toHaveCount(0);
  await expect(byFile.locator('section.manifest')).toHaveCount(1); // one platform in detail

  // Inside, the element's own styles hold; nothing of the host's got through.
  const inside = await page.evaluate(() => {
    const shadow = (id: string) => document.getElementById(id)!.shadowRoot!;
    const style = (id: string, selector: string) =>
      getComputedStyle(shadow(id).querySelector(selector)!);
    const root = style('by-file', '.root');
    return {
      root: {
        color: root.color,
        fontSize: root.fontSize,
        fontFamily: root.fontFamily,
        lineHeight: root.lineHeight,
        letterSpacing: root.letterSpacing,
        textTransform: root.textTransform,
        direction: root.direction,
        backgroundColor: root.backgroundColor,
      },
      table: style('by-file', 'table').display,
      compactTable: style('by-src', 'table').display,
      heading: style('by-file', 'h2').fontSize,
      cardPadding: style('by-file', '.card').padding,
      cardBackground: style('by-file', '.card').backgroundColor,
      cell: style('by-file', 'tbody td').borderTopStyle,
      button: style('by-file', 'button').display,
      themedChoice: style('by-file', 'fieldset label.checked').borderTopColor,
      unthemedButton: style('by-src', '.button.primary').backgroundColor,
      themedFont: style('by-src', '.root').fontFamily,
      adopted: shadow('by-file').adoptedStyleSheets.length,
      styleElements: document.querySelectorAll('style').length,
    };
  });
  expect(inside).toEqual({
    root: {
      color: 'rgb(27, 31, 36)',
      fontSize: '16px',
      fontFamily: expect.stringMatching(/^system-ui/),
      lineHeight: '24px',
      letterSpacing: 'normal',
      textTransform: 'none',
      direction: 'ltr',
      backgroundColor: 'rgb(246, 247, 249)',
    },
    table: 'table',
    compactTable: 'table',
    heading: '22.4px', // 1.4rem of the element's 16px, not of the host's 40px
    cardPadding: '16px 20px',
    cardBackground: 'rgb(255, 255, 255)',
    cell: 'solid',
    button: 'flex', // .button's inline-flex, blockified in its flex row; not the host's none
    themedChoice: 'rgb(0, 128, 0)', // --stevedore-accent
    unthemedButton: 'rgb(10, 95, 194)', // the default accent: the host's --accent stays out
    themedFont: 'serif', // --stevedore-font
    adopted: 1,
    styleElements: 0, // nothing added to the host page
  });
  // Laid out as in the app: one line per platform row, the table as wide as its card.
  const rows = await byFile
    .locator('table')
    .first()
    .evaluate((table) => ({
      width: table.getBoundingClientRect().width,
      card: table.closest('.card')!.getBoundingClientRect().width,
      rows: [...table.querySelectorAll('tbody tr')].map((r) => r.getBoundingClientRect().height),
    }));
  expect(rows.width).toBeGreaterThan(rows.card - 60);
  for (const height of rows.rows) expect(height).toBeLessThan(60);

  await page.screenshot({ path: path.join(resultsDir, 'embed-host.png'), fullPage: true });

  // The only requests: the host page's own files, the element's module and worker, the
  // worker's two decoders (WebAssembly, imported when a layer is decoded), and src.
  const allowed = [
    /^\/e2e\/(host\.html|host\.js|hostile\.css)$/,
    /^\/embed\/stevedore-report\.js$/,
    /^\/embed\/assets\/verify\.worker-[\w-]+\.js$/,
    /^\/embed\/assets\/(gunzip|unzstd)-wasm-[\w-]+\.js$/,
    new RegExp(`^/samples/${SAMPLE.replace(/\./g, '\\.')}$`),
  ];
  const seen = requests.map((url) => {
    const parsed = new URL(url);
    return parsed.origin === origin ? parsed.pathname : url;
  });
  expect(seen.filter((p) => !allowed.some((re) => re.test(p)))).toEqual([]);
  expect(seen.filter((p) => p.startsWith('/samples/'))).toHaveLength(1);
  expect(seen.some((p) => p.startsWith('/embed/assets/verify.worker-'))).toBe(true);
  expect(await violations()).toEqual([]);
});

test('<stevedore-report>: view and verify change after the fact; a bad src says what is wrong', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  await serveHostPages(page, origin, await appPolicy());
  await page.goto('/e2e/host.html');
  await eventsOf(page, 'by-src', ['report', 'verified', 'report']);

  const added = await page.evaluate(async () => {
    const element = document.createElement('stevedore-report');
    element.id = 'late';
    document.body.append(element);
    const reported = new Promise<unknown>((resolve) =>
      element.addEventListener('report', (e) => resolve((e as CustomEvent).detail), { once: true }),
    );
    const bytes = await (await fetch('/samples/gen-buildah-multiarch-oci-archive.tar')).blob();
    element.file = new File([bytes], 'picked.tar');
    const report = (await reported) as { source: { name: string } };
    return { name: report.source.name, view: element.view, verify: element.verify };
  });
  expect(added).toEqual({ name: 'picked.tar', view: 'full', verify: false });
  const late = page.locator('#late');
  await expect(late.locator('section.manifest')).toHaveCount(1); // one platform in detail
  await expect(late.getByText('Not verified.', { exact: true })).toBeVisible();

  // Compact, then verified once asked for with the attribute.
  await late.evaluate((el) => el.setAttribute('view', 'compact'));
  await expect(late.locator('section.manifest')).toHaveCount(0);
  await late.evaluate((el) => el.setAttribute('verify', ''));
  const [, verified] = await eventsOf(page, 'late', ['report', 'verified', 'report']);
  expect((verified as Verification).status).toBe('ok');

  // A src that is not there: an `error` event and the reason on the page.
  await late.evaluate((el) => el.setAttribute('src', '/e2e/missing.tar'));
  const [, , , error] = await eventsOf(page, 'late', ['report', 'verified', 'report', 'error']);
  expect(error).toEqual({
    code: 'fetch-failed',
    message: 'the archive could not be fetched (HTTP 404)',
    where: `${origin}/e2e/missing.tar`,
  });
  await expect(late.getByRole('alert')).toContainText('Cannot read missing.tar');

  // A `file` that is no Blob, from plain JavaScript: an `error` event, nothing thrown.
  const thrown = await late.evaluate((el) => {
    try {
      (el as unknown as { file: unknown }).file = 'image.tar';
      return null;
    } catch (error) {
      return String(error);
    }
  });
  expect(thrown).toBeNull();
  const [, , , , notBlob] = await eventsOf(page, 'late', [
    'report',
    'verified',
    'report',
    'error',
    'error',
  ]);
  expect(notBlob).toEqual({
    code: 'file-not-blob',
    message: 'the file property takes a Blob or File, not a string',
    where: 'file',
  });
});

test('<stevedore-report> loaded from another origin verifies on the page thread instead', async ({
  page,
  baseURL,
}) => {
  const appOrigin = new URL(baseURL!).origin;
  const portal = 'http://portal.test';
  // The portal takes the module and the archive from the app's origin (which must allow it
  // with CORS) and lets WebAssembly compile in the page.
  await serveHostPages(
    page,
    portal,
    `default-src 'self'; script-src 'self' ${appOrigin} 'wasm-unsafe-eval'; connect-src 'self' ${appOrigin}`,
  );
  const requests: string[] = [];
  page.context().on('request', (request) => requests.push(request.url()));
  // Fetched by the test and handed over with CORS (Chromium's local network access checks
  // would keep a page that counts as public from loopback).
  await page.route(`${appOrigin}/**`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: { ...response.headers(), 'access-control-allow-origin': '*' },
    });
  });
  const violations = await watchViolations(page);
  await page.goto(`${portal}/e2e/cross-origin.html?app=${encodeURIComponent(appOrigin)}`);
  const [report, verified] = await eventsOf(page, 'remote', ['report', 'verified']);
  const sample = await expected(SAMPLE);
  expect(report).toEqual(sample.report);
  expect(verified).toEqual(sample.verification);
  await expect(page.locator('#remote table.platforms th.platform')).toHaveCount(3);
  // No worker was even tried: a page cannot start one from another origin.
  expect(requests.filter((url) => url.includes('verify.worker'))).toEqual([]);
  expect(await violations()).toEqual([]);
});

test('iframe mode: answers an archive posted from an allowed origin with report and verified', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  await serveHostPages(page, origin, await appPolicy());
  const violations = await watchViolations(page);
  const frameUrl = `/?embed&verify&origins=${encodeURIComponent(origin)}`;
  await page.goto(`/e2e/frame-host.html?frame=${encodeURIComponent(frameUrl)}`);
  const messages = () =>
    page.evaluate(
      () =>
        (window as unknown as { frameMessages: { origin: string; data: { type: string } }[] })
          .frameMessages,
    );
  await expect.poll(async () => (await messages()).map((m) => m.data.type)).toEqual(['ready']);
  const frame = page.frameLocator('#frame');
  await expect(frame.getByText('Waiting for an archive from the page…')).toBeVisible();
  // The frame is the bare report: no toolbar, no tabs.
  await expect(frame.getByRole('button', { name: 'Open image…' })).toHaveCount(0);

  await page.locator('#pick').setInputFiles(fixture(HELLO));
  await expect
    .poll(async () => (await messages()).map((m) => m.data.type), { timeout: 30_000 })
    .toEqual(['ready', 'report', 'verified', 'report']);
  const hello = await expected(HELLO);
  const [, report, verified] = await messages();
  expect(report).toEqual({ origin, data: { type: 'report', id: 'pick-1', report: hello.report } });
  expect(verified).toEqual({
    origin,
    data: { type: 'verified', id: 'pick-1', verification: hello.verification },
  });
  expect(hello.verification.status).toBe('ok');
  await expect(
    frame.getByRole('heading', { level: 2, name: 'ggcr-hello-world-v25' }),
  ).toBeVisible();

  // A broken archive: an error message naming what and where.
  await page.evaluate(() =>
    (window as unknown as { post: (m: unknown) => void }).post({
      type: 'open',
      file: new File([new Uint8Array(0)], 'empty.tar'),
      id: 2,
    }),
  );
  await expect
    .poll(async () => (await messages()).at(-1)?.data)
    .toEqual({
      type: 'error',
      id: 2,
      code: 'empty',
      message: '"empty.tar" is empty',
      where: null,
    });
  expect(await violations()).toEqual([]);
});

test('iframe mode: a page on an origin not in ?origins is ignored, and never hears a thing', async ({
  page,
  baseURL,
}) => {
  const appOrigin = new URL(baseURL!).origin; // http://localhost:4173
  const otherOrigin = appOrigin.replace('localhost', '127.0.0.1');
  expect(otherOrigin).not.toBe(appOrigin);
  // The host on 127.0.0.1 may frame the app on localhost (its policy says so).
  await serveHostPages(page, otherOrigin, `${await appPolicy()}; frame-src ${appOrigin}`);
  // Chromium counts a routed page as public, and its local network access checks would then
  // refuse its frame on loopback: the test fetches the frame and its files and hands them over.
  await page.route(`${appOrigin}/**`, async (route) =>
    route.fulfill({ response: await route.fetch() }),
  );
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('stevedore:')) warnings.push(message.text());
  });
  const frameUrl = `${appOrigin}/?embed&verify&origins=${encodeURIComponent(appOrigin)}`;
  await page.goto(`${otherOrigin}/e2e/frame-host.html?frame=${encodeURIComponent(frameUrl)}`);
  const frame = page.frameLocator('#frame');
  await expect(frame.getByText('Waiting for an archive from the page…')).toBeVisible();

  await page.locator('#pick').setInputFiles(fixture(HELLO));
  await expect
    .poll(() => warnings)
    .toEqual([`stevedore: ignored a message from ${otherOrigin}, which ?origins does not list`]);
  // Not even `ready`; the archive was not opened.
  await page.waitForTimeout(500);
  expect(
    await page.evaluate(() => (window as unknown as { frameMessages: unknown[] }).frameMessages),
  ).toEqual([]);
  await expect(frame.getByText('Waiting for an archive from the page…')).toBeVisible();
  await expect(frame.getByRole('heading', { level: 2 })).toHaveCount(0);
});

test('iframe mode without ?origins accepts no one, its own origin included', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  await serveHostPages(page, origin, await appPolicy());
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('stevedore:')) warnings.push(message.text());
  });
  await page.goto(`/e2e/frame-host.html?frame=${encodeURIComponent('/?embed')}`);
  const frame = page.frameLocator('#frame');
  await expect(frame.getByText(/No page may send archives here/)).toBeVisible();
  await page.locator('#pick').setInputFiles(fixture(HELLO));
  await expect.poll(() => warnings).toHaveLength(1);
  expect(warnings[0]).toBe(
    `stevedore: ignored a message from ${origin}, which ?origins does not list`,
  );
  expect(
    await page.evaluate(() => (window as unknown as { frameMessages: unknown[] }).frameMessages),
  ).toEqual([]);
});

test('the example page in dist/embed/ works as shipped: element and iframe', async ({
  page,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const violations = await watchViolations(page);
  const offOrigin: string[] = [];
  page.context().on('request', (request) => {
    if (new URL(request.url()).origin !== origin) offOrigin.push(request.url());
  });
  await page.goto('/embed/example.html');
  const log = page.locator('#log');
  await expect(log).toContainText(
    `#sample report: ${SAMPLE} — linux; amd64, linux; arm64 variant v8, linux; arm variant v7`,
  );
  await expect(log).toContainText('#sample verified: ok, 45 checks', { timeout: 30_000 });
  await expect(log).toContainText('frame: ready');

  await page.locator('#pick-element').setInputFiles(fixture(HELLO));
  await expect(log).toContainText(`#picked report: ${HELLO} — linux; arm64`);
  await expect(log).toContainText('#picked verified: ok, 9 checks', { timeout: 30_000 });

  await page.locator('#pick-frame').setInputFiles(fixture(ZSTD));
  await expect(log).toContainText('frame report: linux; amd64, linux; arm64 variant v8');
  await expect(log).toContainText('frame verified: ok', { timeout: 30_000 });
  await page.screenshot({ path: path.join(resultsDir, 'embed-example.png'), fullPage: true });
  expect(offOrigin).toEqual([]);
  expect(await violations()).toEqual([]);
});

test('<stevedore-report view="compact">: an archive of many refs is chosen in the refs table', async ({
  page,
  baseURL,
}) => {
  await serveHostPages(page, new URL(baseURL!).origin, await appPolicy());
  await page.goto('/e2e/host.html');
  await page.locator('#pick').setInputFiles(fixture('regclient-testrepo-ocidir.tar'));
  await page.evaluate(() => {
    const element = document.createElement('stevedore-report');
    element.id = 'compact-refs';
    element.setAttribute('view', 'compact');
    document.body.append(element);
    element.file = (document.querySelector('#pick') as HTMLInputElement).files![0]!;
  });
  const element = page.locator('#compact-refs');
  const refs = element.getByRole('region', { name: /^Refs in this archive \(\d+\)$/ });
  await expect(refs).toBeVisible();
  await expect(element.locator('select')).toHaveCount(0); // the old image picker is gone
  await refs.getByRole('button', { name: 'v1', exact: true }).click();
  await expect(element.locator('#compact-ref')).toHaveText('regclient-testrepo-ocidir:v1');
  // Its platforms and their attestations, named by what they are for.
  await expect(element.locator('section.compact tbody th')).toHaveText([
    'linux/amd64',
    'linux/arm64',
    'attestation for linux/amd64',
    'attestation for linux/arm64',
  ]);
  await refs.getByRole('searchbox').fill('a-docker');
  await refs.getByRole('button', { name: 'a-docker', exact: true }).click();
  await expect(element.locator('#compact-ref')).toHaveText('regclient-testrepo-ocidir:a-docker');
  await expect(element.locator('section.compact tbody th')).toHaveText([
    'attestation for linux/amd64',
  ]);
  await expect(element.getByText(/unknown; unknown/)).toHaveCount(0);
});
