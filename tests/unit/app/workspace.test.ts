import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { Workspace } from '../../../src/app/workspace.svelte.ts';
import { Tab } from '../../../src/app/tab.svelte.ts';
import { Library } from '../../../src/app/library/library.svelte.ts';
import { ReportCache } from '../../../src/app/library/report-cache.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { FIXTURES } from '../../support/paths.ts';

const fixtures = FIXTURES;

async function fixtureFile(name: string, as = name.slice(name.lastIndexOf('/') + 1)) {
  return new File([await readFile(fixtures + name)], as);
}

/** Returns a workspace whose library keeps reports in memory. */
function workspaceWithLibrary(): Workspace {
  return new Workspace(new Library(new ReportCache(() => memoryStore())));
}

/** Waits until the library has settled on `count` entries. */
async function kept(ws: Workspace, count: number): Promise<void> {
  for (let i = 0; i < 200 && ws.library.entries.length !== count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(ws.library.entries).toHaveLength(count);
}

async function settled(tab: Tab): Promise<void> {
  for (let i = 0; i < 200 && tab.status === 'opening'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Workspace', () => {
  it('opens files in tabs, keeps a broken one as an error, and closes tabs', async () => {
    const ws = new Workspace();
    const good = ws.openFile(await fixtureFile('gen-buildah-multiarch-oci-archive.tar'));
    expect(good.status).toBe('opening');
    expect(ws.active).toBe(good);
    const bad = ws.openFile(await fixtureFile('bad/oci-index-not-json.tar'));
    expect(ws.active).toBe(bad);
    expect(ws.opening).toBe(true);
    await settled(good);
    expect(ws.opening).toBe(bad.status === 'opening');
    await settled(bad);
    expect(ws.opening).toBe(false);

    expect(good.status).toBe('ready');
    expect(good.image?.manifests.map((m) => m.platformString)).toEqual([
      'linux; amd64',
      'linux; arm64 variant v8',
      'linux; arm variant v7',
    ]);
    expect(bad.status).toBe('error');
    expect(bad.error).toMatchObject({ code: 'json-invalid', where: 'index.json' });
    expect(bad.error?.message).toMatch(/^index\.json is not valid JSON/);

    ws.close(bad.id);
    expect(ws.tabs).toEqual([good]);
    expect(ws.active).toBe(good);
    ws.close(good.id);
    expect(ws.tabs).toEqual([]);
    expect(ws.active).toBeNull();
    expect(good.report).toBeNull();
  });

  it('selects among the images of an archive', async () => {
    const ws = new Workspace();
    const tab = ws.openFile(await fixtureFile('regclient-testrepo-ocidir.tar'));
    await settled(tab);
    expect(tab.report?.images).toHaveLength(26);
    expect(tab.image?.ref).toBe('regclient-testrepo-ocidir:b1');
    tab.imageIndex = 3;
    expect(tab.image?.ref).toBe('regclient-testrepo-ocidir:v1');
  });

  it('keeps each report read; a known archive is read again, the library giving history only', async () => {
    const ws = workspaceWithLibrary();
    const first = ws.openFile(await fixtureFile('gen-buildah-multiarch-oci-archive.tar'));
    await settled(first);
    expect(first.origin).toEqual({ from: 'archive' });
    expect(first.archive).not.toBeNull(); // kept for verifying it
    await kept(ws, 1);
    const [entry] = ws.library.entries;
    expect(entry?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(entry).toMatchObject({ fileName: 'gen-buildah-multiarch-oci-archive.tar', size: 20992 });
    expect(first.libraryId).toBe(entry?.id);

    // The same archive under another name: read from the file, named after it.
    const again = ws.openFile(
      await fixtureFile('gen-buildah-multiarch-oci-archive.tar', 'copy.tar'),
    );
    await settled(again);
    expect(again.origin).toEqual({ from: 'archive' });
    expect(again.libraryId).toBe(entry?.id);
    expect(again.report?.source.name).toBe('copy.tar');
    expect(again.image?.manifests).toHaveLength(3);
    expect(again.archive).not.toBeNull();
    for (let i = 0; i < 200 && ws.library.entries[0]?.fileName !== 'copy.tar'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(ws.library.entries.map((e) => e.fileName)).toEqual(['copy.tar']);

    // Without the file.
    const cached = ws.openCached(entry!.id);
    await settled(cached);
    expect(cached.status).toBe('ready');
    expect(cached.origin).toMatchObject({ from: 'library' });
    expect(cached.archive).toBeNull();
    expect(cached.image?.ref).toBe('copy:gen-multi'); // the last one read: named after its file
    expect(ws.showingLibrary).toBe(false);

    const gone = ws.openCached('sha256:gone');
    await settled(gone);
    expect(gone.status).toBe('error');
    expect(gone.error?.code).toBe('not-in-library');
  });

  it('the same file dropped again shows its tab; another file of the same name opens anew', async () => {
    const ws = new Workspace();
    const bytes = await readFile(fixtures + 'ggcr-hello-world-v25.tar');
    const file = (lastModified: number) => new File([bytes], 'hello.tar', { lastModified });
    const first = ws.openFile(file(1_700_000_000_000));
    const other = ws.openFile(await fixtureFile('gen-buildah-multiarch-oci-archive.tar'));
    expect(ws.activeId).toBe(other.id);
    expect(ws.openFile(file(1_700_000_000_000))).toBe(first);
    expect(ws.tabs).toHaveLength(2);
    expect(ws.activeId).toBe(first.id);
    // Changed since (another time of change): a new tab.
    const changed = ws.openFile(file(1_700_000_001_000));
    expect(changed).not.toBe(first);
    expect(ws.tabs).toHaveLength(3);
    await Promise.all([first, other, changed].map(settled));
  });

  it('keeps no report of an archive that cannot be read', async () => {
    const ws = workspaceWithLibrary();
    const bad = ws.openFile(await fixtureFile('bad/oci-index-not-json.tar'));
    await settled(bad);
    expect(bad.status).toBe('error');
    await ws.library.refresh();
    expect(ws.library.entries).toEqual([]);
  });

  it('shows "Recent images" until a tab is chosen or opened', async () => {
    const ws = workspaceWithLibrary();
    const tab = ws.openFile(await fixtureFile('ggcr-hello-world-v25.tar'));
    ws.showLibrary(true);
    expect(ws.showingLibrary).toBe(true);
    ws.select(tab.id);
    expect(ws.showingLibrary).toBe(false);
    ws.showLibrary(true);
    ws.openFile(await fixtureFile('ggcr-hello-world-v25.tar'));
    expect(ws.showingLibrary).toBe(false);
    await settled(tab);
  });

  it('shows how far opening a .tar.gz has read, ending at its size', async () => {
    const ws = new Workspace();
    const file = await fixtureFile('trivy-alpine-310.tar.gz');
    const tab = ws.openFile(file);
    await settled(tab);
    expect(tab.status).toBe('ready');
    expect(tab.opening).toEqual({ bytesRead: file.size, total: file.size });
  });

  it('opening can be cancelled: the tab says so, and nothing is kept or verified', async () => {
    const ws = workspaceWithLibrary();
    const tab = ws.openFile(await fixtureFile('trivy-alpine-310.tar.gz'));
    tab.cancelOpening();
    expect(tab.status).toBe('error');
    expect(tab.error).toEqual({
      code: 'cancelled',
      message: 'opening was cancelled: close this tab, or open the file again',
      where: null,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tab.status).toBe('error'); // the read that broke off changes nothing
    expect(tab.report).toBeNull();
    expect(tab.verifier.state).toBe('idle');
    await ws.library.refresh();
    expect(ws.library.entries).toEqual([]);
    // Once open, there is nothing to cancel.
    const open = ws.openFile(await fixtureFile('ggcr-hello-world-v25.tar'));
    await settled(open);
    open.cancelOpening();
    expect(open.status).toBe('ready');
  });

  it('news of opening is shown at most ten times a second, the last always', () => {
    const tab = new Tab('a.tar.gz', 100);
    tab.openProgress(10, 100);
    tab.openProgress(20, 100); // too soon after the first
    expect(tab.opening).toEqual({ bytesRead: 10, total: 100 });
    tab.openProgress(100, 100);
    expect(tab.opening).toEqual({ bytesRead: 100, total: 100 });
  });
});
