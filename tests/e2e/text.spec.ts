import { test, expect } from '@playwright/test';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ociArchive } from '../support/oci.ts';
import { drop } from './helpers.ts';

const RLO = '\u202e';
const ZWSP = '\u200b';

// Invisible characters in image text are shown as escapes: a right-to-left override cannot
// make `evil‮gnp.exe` read as `evilexe.png`, nor a zero-width space hide in a label.
test('bidi overrides and zero-width characters in image text are shown as \\u escapes', async ({
  page,
}) => {
  const bytes = ociArchive({
    ref: `evil${RLO}gnp.exe`,
    config: {
      variant: `v8${ZWSP}`,
      config: {
        Labels: { [`org.example.${RLO}key`]: `value${RLO}gnp.exe`, plain: `zero${ZWSP}width` },
        Env: [`PATH=/bin${RLO}`],
        Cmd: ['sh', '-c', `echo ${RLO}`],
      },
      history: [{ created: '2026-01-01T00:00:00Z', created_by: `/bin/sh -c echo a${RLO}b` }],
    },
  });
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'stevedore-')), 'bidi.tar');
  await writeFile(file, bytes);
  await page.goto('/');
  await drop(page, file);

  await expect(page.getByRole('heading', { level: 2, name: 'evil\\u202egnp.exe' })).toBeVisible();
  await expect(page.getByText('org.example.\\u202ekey', { exact: true })).toBeVisible();
  await expect(page.getByText('value\\u202egnp.exe', { exact: true })).toBeVisible();
  await expect(page.getByText('zero\\u200bwidth', { exact: true })).toBeVisible();
  await expect(page.getByText('PATH=/bin\\u202e', { exact: true })).toBeVisible();
  await expect(page.getByText('RUN echo a\\u202eb')).toBeVisible();
  await expect(page.getByText('["sh","-c","echo \\u202e"]').first()).toBeVisible();
  // Nowhere in the report is an invisible character left raw.
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);

  // The Markdown export escapes them too; the JSON export keeps the raw values.
  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download Markdown' }).click(),
  ]);
  const md = await readFile((await markdown.path())!, 'utf8');
  expect(md).toMatch(/^## `(?:bidi:)?evil\\u202egnp\.exe`( in `bidi.tar`)?/m);
  expect(md).not.toMatch(/[\u200b\u202e]/);
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  const report = JSON.parse(await readFile((await json.path())!, 'utf8')) as {
    images: { ref: string; manifests: { labels: Record<string, string> }[] }[];
  };
  expect(report.images[0]!.ref).toContain(`evil${RLO}gnp.exe`);
  expect(report.images[0]!.manifests[0]!.labels.plain).toBe(`zero${ZWSP}width`);
});
