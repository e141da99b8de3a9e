/** Opening a big .tar.gz reads it whole: the tab shows how far it has got, and offers Cancel
 * (what Cancel does is in tests/unit/app/workspace.test.ts: here it would race the opening). */
import { test, expect } from '@playwright/test';
import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { ociArchive } from '../support/oci.ts';
import { drop } from './helpers.ts';

const NAME = 'big-image.tar.gz';

/** Writes a valid OCI archive with 90,000 empty files beside the image, gzip-compressed: a
 * small file whose headers take a while to read through (opening reads a .tar.gz whole). */
async function bigArchive(dir: string): Promise<string> {
  const extra = Array.from({ length: 90_000 }, (_, i) => ({ name: `padding/${i}` }));
  await mkdir(dir, { recursive: true });
  const file = `${dir}/${NAME}`;
  await writeFile(file, gzipSync(ociArchive({ ref: 'big', extra }), { level: 1 }));
  return file;
}

test('a big .tar.gz shows “Opening… N of M” with a progress bar and a Cancel button while it opens', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const file = await bigArchive(testInfo.outputDir);
  await page.goto('/');
  // Everything the opening view says, as it says it: it may be over before a poll would look.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => {
      const view = document.querySelector('main .opening');
      if (!view) return;
      const status = view.querySelector('[role="status"]')?.textContent?.trim() ?? '';
      const bar = view.querySelector<HTMLProgressElement>('progress.open-progress');
      const cancel = [...view.querySelectorAll('button')].some(
        (b) => b.textContent?.trim() === 'Cancel',
      );
      const line = `${status} | bar ${bar ? `${bar.value}/${bar.max}` : 'none'} | ${cancel ? 'cancel' : 'no cancel'}`;
      if (seen.at(-1) !== line) seen.push(line);
    }).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
  await drop(page, file);
  await expect(page.getByRole('heading', { level: 2, name: /big/ })).toBeVisible({
    timeout: 60_000,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  const size = statSync(file).size;
  // Part of the way, then all of it; Cancel offered throughout.
  const partway = seen.filter((line) =>
    /^Opening big-image\.tar\.gz… [\d.]+ [kKM]?B of [\d.]+ [kKM]?B \| bar \d+\/\d+ \| cancel$/.test(
      line,
    ),
  );
  expect(partway.length, seen.join('\n')).toBeGreaterThan(0);
  expect(seen.every((line) => line.endsWith('| cancel'))).toBe(true);
  expect(seen.at(-1)).toMatch(new RegExp(`bar ${size}/${size} \\| cancel$`));
  await expect(page.locator('main .opening')).toHaveCount(0);
});
