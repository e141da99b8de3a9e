/** The SBOM downloads of a platform's Packages section: both files are byte for byte what
 * `stevedore-image sbom` writes for the same archive (the CLI run from its sources) and valid
 * against the official schemas (the validators compiled into src/lib/sbom/generated); an image
 * without a package database says so plainly and offers downloads named for what they hold. */
import { test, expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateSbom } from '../../src/lib/sbom/validate.ts';
import { drop, fixture, repoRoot, verified } from './helpers.ts';

const SBOM_FORMATS = ['spdx-json', 'cyclonedx-json'] as const;

/** Runs the CLI from the sources (src/cli/stevedore.js); returns its exit code and stdout. */
function runCli(argv: string[]): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'src/cli/stevedore.js'), ...argv], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { code: run.status, out: run.stdout };
}

const packagesSection = (page: Page) => page.getByRole('region', { name: 'Packages' });

/** Clicks a download button and returns the saved file's name and text. */
async function download(page: Page, name: string): Promise<{ file: string; text: string }> {
  const saved = page.waitForEvent('download');
  await packagesSection(page).getByRole('button', { name, exact: true }).click();
  const d = await saved;
  return { file: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

const BUTTONS = {
  'spdx-json': 'Download SPDX 2.3 JSON',
  'cyclonedx-json': 'Download CycloneDX 1.6 JSON',
} as const;

for (const name of ['dpkg-debian12.tar', 'apk-alpine318.tar']) {
  test(`${name}: both SBOMs download, byte for byte the CLI's, valid`, async ({ page }) => {
    const archive = path.join(fixture('packages'), name);
    await page.goto('/');
    await drop(page, archive);
    await verified(page, 30_000);
    await expect(packagesSection(page)).toHaveAttribute('data-packages', 'ready');
    await expect(packagesSection(page).locator('[data-field="no-database"]')).toHaveCount(0);
    for (const format of SBOM_FORMATS) {
      const got = await download(page, BUTTONS[format]);
      const cli = runCli(['sbom', archive, '--format', format]);
      expect(cli.code).toBe(0);
      expect(got.text).toBe(cli.out);
      const doc = JSON.parse(got.text);
      expect(validateSbom(format, doc)).toEqual([]);
      // The document lists each package the table shows once, by its purl.
      const rows = await packagesSection(page).locator('tbody tr').count();
      expect(rows).toBeGreaterThan(0);
      const purls = JSON.stringify(doc).match(/"pkg:(apk|deb|rpm)\/[^"]+"/g) ?? [];
      expect(new Set(purls).size).toBe(rows);
      expect(got.file).toMatch(format === 'spdx-json' ? /\.spdx\.json$/ : /\.cdx\.json$/);
    }
  });
}

test('an image without a package database says so; its downloads say what they hold', async ({
  page,
}) => {
  const archive = fixture('ggcr-hello-world-v25.tar');
  await page.goto('/');
  await drop(page, archive);
  await verified(page, 30_000);
  const section = packagesSection(page);
  await expect(section).toHaveAttribute('data-packages', 'ready');
  await expect(section.locator('[data-field="no-database"]')).toContainText(
    'No package database found (looked for: apk lib/apk/db/installed, dpkg var/lib/dpkg/status',
  );
  await expect(section.locator('tbody tr')).toHaveCount(0);
  // No button offers packages that are not there.
  for (const label of [...Object.values(BUTTONS), 'Download the local report (Markdown)'])
    await expect(section.getByRole('button', { name: label, exact: true })).toHaveCount(0);
  const md = await download(page, 'Download the local report (Markdown, Docker Metadata only)');
  expect(md.text).toBe(runCli(['report', archive, '--local']).out);
  expect(md.text).toContain('## Docker Metadata');
  expect(md.text).not.toMatch(/## `(apk|dpkg|rpm)`/);
  for (const format of SBOM_FORMATS) {
    const got = await download(page, `${BUTTONS[format]} (the image only, no packages)`);
    expect(got.text).toBe(runCli(['sbom', archive, '--format', format]).out);
    expect(validateSbom(format, JSON.parse(got.text))).toEqual([]);
  }
});
