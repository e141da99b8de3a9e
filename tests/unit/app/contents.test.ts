import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Library } from '../../../src/app/library/library.svelte.ts';
import { ListingStore } from '../../../src/app/library/listing-store.ts';
import { ReportCache } from '../../../src/app/library/report-cache.ts';
import type { Tab } from '../../../src/app/tab.svelte.ts';
import { Workspace } from '../../../src/app/workspace.svelte.ts';
import { TabContents } from '../../../src/app/contents.svelte.ts';
import type { BlobProgress } from '../../../src/lib/verify/model.ts';
import { memoryListings } from '../../support/listing-backend.ts';
import { threadVerify } from '../../support/thread-pool.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { FIXTURES } from '../../support/paths.ts';
import { gzipLegacySave } from '../../support/legacy.ts';
import { sha256 } from '../../support/tar.ts';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

async function file(name: string) {
  return new File([await readFile(FIXTURES + name)], name.slice(name.lastIndexOf('/') + 1));
}

interface Truth {
  dpkg?: { packages: { name: string; version: string }[] };
  apk?: { packages: { name: string; version: string }[] };
}

function setup() {
  const backend = memoryListings();
  const { verify, seen } = threadVerify();
  const ws = new Workspace(
    new Library(new ReportCache(() => memoryStore())),
    verify,
    new ListingStore(() => backend),
  );
  return { ws, backend, seen };
}

const manifestOf = (tab: Tab) => tab.report!.images[0]!.manifests[0]!;

describe('Tab contents', () => {
  it('lists the layers in the verify workers, transferred, and reads the packages', async () => {
    const { ws, backend, seen } = setup();
    const tab = ws.openFile(await file('packages/dpkg-debian12.tar'));
    await until(() => tab.verifier.state === 'done');
    const m = manifestOf(tab);
    await until(() => tab.contents.of(m).status === 'ready');
    expect(seen.listed).toHaveLength(m.layers.length);
    expect(seen.transferred).toBeGreaterThan(0);
    const state = tab.contents.packagesOf(m);
    if (state.status !== 'ready') throw new Error(state.status);
    const truth = JSON.parse(
      await readFile(FIXTURES + 'packages/dpkg-debian12.truth.json', 'utf8'),
    ) as Truth;
    const names = state.packages.records.map((r) => `${r.name} ${r.version}`).sort();
    expect(names).toEqual(truth.dpkg!.packages.map((p) => `${p.name} ${p.version}`).sort());
    // Kept by diff_id in the store.
    await until(() => [...backend.map.keys()].filter((k) => k.startsWith('meta:')).length > 0);
    const keys = [...backend.map.keys()];
    expect(keys.filter((k) => !k.startsWith('part:')).sort()).toEqual(
      m.layers.flatMap((l) => [`data:${l.diffId}`, `meta:${l.diffId}`]).sort(),
    );
    // Its pieces, under the same diff_ids.
    const diffIds = new Set(m.layers.map((l) => l.diffId));
    const parts = keys.filter((k) => k.startsWith('part:'));
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((k) => diffIds.has(k.slice(5, k.lastIndexOf(':')) as never))).toBe(true);
  });

  it('a report reopened from the library has its packages from the store, listing nothing', async () => {
    const { ws, seen } = setup();
    const first = ws.openFile(await file('packages/apk-alpine318.tar'));
    await until(() => first.verifier.state === 'done');
    await until(() => ws.library.entries.length === 1);
    const listedBefore = seen.listed.length;
    const cached = ws.openCached(ws.library.entries[0]!.id);
    await until(() => cached.status === 'ready');
    await until(() => cached.contents.packagesOf(manifestOf(cached)).status === 'ready');
    const state = cached.contents.packagesOf(manifestOf(cached));
    expect(state.status === 'ready' && state.packages.records.length).toBe(15);
    // The same archive dropped again is hashed, not listed again.
    const again = ws.openFile(await file('packages/apk-alpine318.tar'));
    await until(() => again.verifier.state === 'done');
    expect(seen.listed.length).toBe(listedBefore);
    expect(again.contents.of(manifestOf(again)).status).toBe('ready');
  });

  it('marks listings from the store as unconfirmed until this run hashes the layer to its diff_id', async () => {
    const { ws, backend } = setup();
    const first = ws.openFile(await file('packages/apk-alpine318.tar'));
    await until(() => first.verifier.state === 'done');
    const m = manifestOf(first);
    // Listed by this run from these bytes: confirmed.
    expect(first.contents.unconfirmed(m)).toEqual([]);
    await until(() => [...backend.map.keys()].some((k) => k.startsWith('meta:')));
    // Another tab's contents, its listings from the store, its run not yet at the layer.
    const diffId = m.layers[0]!.diffId!;
    const source = {
      canVerify: true,
      verifier: { state: 'running' as const, jobs: [] as BlobProgress[] },
    };
    const contents = new TabContents(source, new ListingStore(() => backend));
    await contents.load([diffId]);
    expect(contents.of(m).status).toBe('ready');
    expect(contents.unconfirmed(m)).toEqual([0]);
    const job = (state: BlobProgress['state']): BlobProgress => ({
      id: 0,
      name: 'layer',
      targets: [m.layers[0]!.digest!, diffId],
      size: 1,
      bytesDone: 1,
      state,
      detail: null,
    });
    // Running or failed is not confirmation; only a layer hashed to its diff_id is.
    source.verifier.jobs = [job('running')];
    expect(contents.unconfirmed(m)).toEqual([0]);
    source.verifier.jobs = [job('mismatch')];
    expect(contents.unconfirmed(m)).toEqual([0]);
    source.verifier.jobs = [job('ok')];
    expect(contents.unconfirmed(m)).toEqual([]);
    // No file to check against (a report reopened from the library): nothing to mark.
    const kept = new TabContents(
      { canVerify: false, verifier: { state: 'idle', jobs: null } },
      new ListingStore(() => backend),
    );
    await kept.load([diffId]);
    expect(kept.unconfirmed(m)).toEqual([]);
  });

  it('says why contents are not there: a report from a library without listings', async () => {
    const ws = new Workspace(
      new Library(new ReportCache(() => memoryStore())),
      threadVerify().verify,
      null,
    );
    const first = ws.openFile(await file('packages/apk-alpine318.tar'));
    await until(() => first.verifier.state === 'done');
    await until(() => ws.library.entries.length === 1);
    const cached = ws.openCached(ws.library.entries[0]!.id);
    await until(() => cached.status === 'ready');
    expect(cached.contents.of(manifestOf(cached))).toMatchObject({
      status: 'unavailable',
      reason: 'not-kept',
      layer: 0,
    });
  });

  it("fills a legacy save's layer digests once verification has hashed them, and keeps them", async () => {
    const { archive, layer } = gzipLegacySave();
    // As read, before any verification, the report names no digest for the layer (checked on
    // the archive itself: the tab's verification may already have filled it once it is ready).
    const read = await inspectArchive(await openArchive(bytesSource(archive, 'legacy-gzip.tar')));
    expect(read.images[0]!.manifests[0]!.layers[0]!.digest).toBeNull();
    const { ws } = setup();
    const tab = ws.openFile(new File([new Uint8Array(archive)], 'legacy-gzip.tar'));
    await until(() => tab.status === 'ready');
    await until(() => tab.verifier.state === 'done');
    await until(() => manifestOf(tab).layers[0]!.digest !== null);
    expect(manifestOf(tab).layers[0]!.digest).toBe(sha256(layer));
    expect(tab.report!.verification.status).toBe('ok');
    await until(
      () =>
        ws.library.entries[0]?.report.images[0]?.manifests[0]?.layers[0]?.digest === sha256(layer),
    );
    expect(ws.library.entries[0]!.report.verification.status).toBe('ok');
    // The listing is there too: one file.
    const contents = tab.contents.of(manifestOf(tab));
    expect(contents.status === 'ready' && contents.layers.layers[0]!.files).toBe(1);
  });
});
