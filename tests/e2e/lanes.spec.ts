// Issue 15: the layers of a legacy save hashed four to a worker, in the lanes of its
// multi-buffer SHA-256 (WebAssembly SIMD), in real Chromium workers: every digest what the CLI
// (node:crypto) finds, one mismatching layer failing alone, two equal layers both verified.
import { test, expect, type Page } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import { cliVerifyJson, drop } from './helpers.ts';
import { legacySave, noise } from '../support/legacy.ts';
import { sha256, writeTar } from '../support/tar.ts';

const panel = (page: Page) => page.getByRole('region', { name: 'Verification' });
const progressBar = (page: Page) => page.locator('progress.verify-progress');

test('eight layers hashed four to a worker: one mismatch fails alone, equal layers both pass', async ({
  page,
}, testInfo) => {
  // Layers of ~1.2 MB (above the size read whole), all different but for 2 and 3, the same
  // bytes; the config's diff_id of layer 6 (the last lane of a worker, dealt 0 2 4 6 / 1 3 5 7)
  // is not its layer's.
  const files = Array.from({ length: 8 }, (_, i) =>
    noise(1_200_000 + 1000 * i, i === 3 ? 3 : i + 1),
  );
  files[3] = files[2]!;
  const wrong = sha256('not layer 6');
  const file = testInfo.outputPath('legacy-eight-layers.tar');
  await writeFile(file, legacySave(files, [, , , , , , wrong]));

  // Which digest requests the page sends its workers with `lanes` (hashed in a lane).
  // Two cores, as here, whatever the machine: two workers (the pool has one per core).
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 });
    const counts = { digest: 0, lanes: 0 };
    (window as unknown as { laneCounts: typeof counts }).laneCounts = counts;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: never[]) {
      const m = message as { type?: string; lanes?: boolean } | null;
      if (m?.type === 'digest') counts.digest++;
      if (m?.type === 'digest' && m.lanes) counts.lanes++;
      return post.call(this, message, ...rest);
    } as typeof Worker.prototype.postMessage;
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Stevedore' })).toBeVisible();
  await drop(page, file);
  await expect(progressBar(page)).toHaveAttribute('data-state', 'done', { timeout: 60_000 });

  const counts = await page.evaluate(
    () => (window as unknown as { laneCounts: { digest: number; lanes: number } }).laneCounts,
  );
  // The 8 layers in lanes (two workers of four), the config alone.
  expect(counts).toEqual({ digest: 9, lanes: 8 });

  await expect(panel(page).getByRole('status')).toHaveText(
    /^Verification failed: 1 of \d+ checks failed\.$/,
  );
  const failed = panel(page).getByRole('list', { name: 'Failed checks' }).getByRole('listitem');
  await expect(failed).toHaveCount(1);
  const layer6 = writeTar([{ name: 'f6', data: files[6]! }]);
  await expect(failed.locator('dd')).toHaveText([wrong, sha256(layer6)]);
  const rows = page.locator('tr[data-verify]');
  await expect(rows).toHaveCount(8);
  for (let i = 0; i < 8; i++)
    await expect(rows.nth(i)).toHaveAttribute('data-verify', i === 6 ? 'mismatch' : 'ok');

  // Every check as the CLI (node:crypto, one blob after the other) makes it.
  const receipt = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download verification receipt', exact: true }).click(),
  ]).then(([d]) => d.path());
  expect(JSON.parse(await readFile(receipt, 'utf8'))).toEqual(
    (JSON.parse(cliVerifyJson(file)) as { verification: unknown }).verification,
  );
});
