/** Helpers of embed.spec.ts: host pages, expected reports, CSP violations, element events. */
import { expect, type Page, type Route } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { nodeFileSource } from '../../src/cli/node-source.ts';
import { openArchive } from '../../src/lib/archive/open.ts';
import { inspectArchive } from '../../src/lib/inspect.ts';
import { renderJson } from '../../src/lib/report/json.ts';
import type { Report, Verification } from '../../src/lib/report/model.ts';
import { verifyInProcess } from '../../src/lib/verify/run.ts';
import { fixture, repoRoot } from './helpers.ts';

/** The policy of src/index.html, which `vite preview` sends with every response. */
export async function appPolicy(): Promise<string> {
  const html = await readFile(path.join(repoRoot, 'src/index.html'), 'utf8');
  return /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]!;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** Serves tests/e2e/embed/<name> at <origin>/e2e/<name> under `policy` (404 for anything else). */
export async function serveHostPages(page: Page, origin: string, policy: string): Promise<void> {
  await page.route(`${origin}/e2e/**`, async (route: Route) => {
    const name = new URL(route.request().url()).pathname.slice('/e2e/'.length);
    const body = await readFile(path.join(repoRoot, 'tests/e2e/embed', name)).catch(() => null);
    if (body === null) return route.fulfill({ status: 404, body: 'not found' });
    await route.fulfill({
      body,
      headers: {
        'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream',
        'content-security-policy': policy,
      },
    });
  });
}

/** Returns what the CLI gives for a fixture: the JSON report, and its verification. */
export async function expected(
  name: string,
): Promise<{ report: Report; verification: Verification }> {
  const source = await nodeFileSource(fixture(name));
  try {
    const archive = await openArchive(source);
    const report = await inspectArchive(archive);
    const { verification } = await verifyInProcess(archive, report);
    return { report: JSON.parse(renderJson(report)) as Report, verification };
  } finally {
    await source.close();
  }
}

/** Records the page's CSP violations from before its first script runs; returns their reader. */
export async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
    );
  });
  return () =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

export interface EmbedEvent {
  type: 'report' | 'verified' | 'error';
  id: string;
  detail: unknown;
}

const embedEvents = (page: Page) =>
  page.evaluate(() => (window as unknown as { embedEvents: EmbedEvent[] }).embedEvents);

/** Waits for the events of element `id` to be `types`, and returns their details. */
export async function eventsOf(
  page: Page,
  id: string,
  types: EmbedEvent['type'][],
): Promise<unknown[]> {
  await expect
    .poll(async () => (await embedEvents(page)).filter((e) => e.id === id).map((e) => e.type), {
      timeout: 30_000,
    })
    .toEqual(types);
  return (await embedEvents(page)).filter((e) => e.id === id).map((e) => e.detail);
}
