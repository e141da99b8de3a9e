import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Workspace } from '../../../src/app/workspace.svelte.ts';
import type { Tab } from '../../../src/app/tab.svelte.ts';

const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));

async function fixtureFile(name: string): Promise<File> {
  return new File([await readFile(fixtures + name)], name.slice(name.lastIndexOf('/') + 1));
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
    await settled(good);
    await settled(bad);

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
});
