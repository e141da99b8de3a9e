/** The verify worker moves a listed layer's arrays and kept files to the page (a transfer
 * list), never copies them; and a million-entry listing stays well under 150 MB. */
import { describe, expect, it } from 'vitest';
import { layerReadBytes } from '../../../src/app/library/listing-store.ts';
import { LayerListingBuilder, type LayerListingData } from '../../../src/lib/layers/listing.ts';
import { planVerification } from '../../../src/lib/verify/plan.ts';
import { isDigests, type BlobResult } from '../../../src/lib/verify/model.ts';
import type { VerifyReply } from '../../../workers/messages.ts';
import { handleRequest, resultTransfer } from '../../../workers/verify-job.ts';
import { FIXTURES, openBlobArchive } from './helpers.ts';

const ARRAYS = [
  'dirOf',
  'nameEnd',
  'pool',
  'flags',
  'sizes',
  'mtimes',
  'modes',
  'uids',
  'gids',
  'hashes',
  'links',
] as const;

describe('the verify worker', () => {
  it('transfers every buffer of a listing and its kept files', async () => {
    const { archive, report } = await openBlobArchive(`${FIXTURES}packages/dpkg-debian12.tar`);
    const plan = await planVerification(archive, report);
    const layer = plan.blobs.find((b) => b.job.decode !== null)!;
    layer.job.list = true;
    layer.job.keep = true;
    const range = archive.blobRange(layer.entry)!;
    const replies: { reply: VerifyReply; transfer: ArrayBuffer[] }[] = [];
    await handleRequest({ type: 'digest', id: 1, job: layer.job, ...range }, (reply, transfer) =>
      replies.push({ reply, transfer: transfer ?? [] }),
    );
    const sent = replies.find((r) => r.reply.type === 'result')!;
    const result = (sent.reply as { result: BlobResult }).result;
    if (!isDigests(result) || !result.listing || !result.kept) throw new Error('not listed');
    expect(result.kept.files.length).toBeGreaterThan(0);
    const buffers = new Set(sent.transfer);
    for (const k of ARRAYS) expect(buffers.has(result.listing[k].buffer as ArrayBuffer)).toBe(true);
    for (const f of result.kept.files)
      expect(buffers.has(f.bytes.buffer as ArrayBuffer)).toBe(true);
    expect(sent.transfer).toEqual(resultTransfer(result));
    // What postMessage does with that list: the worker's arrays are moved, not copied.
    const moved = structuredClone(sent.reply, { transfer: sent.transfer });
    expect(result.listing.sizes.byteLength).toBe(0);
    expect(result.kept.files[0]!.bytes.byteLength).toBe(0);
    const got = (moved as { result: { listing: LayerListingData } }).result.listing;
    expect(got.count).toBeGreaterThan(0);
    expect(got.sizes.length).toBe(got.count);
  });

  it('a failed blob transfers nothing', () => {
    expect(resultTransfer({ id: 1, error: 'gone' })).toEqual([]);
  });
});

it('a listing of 1,000,000 entries is well under 150 MB as the page holds it', () => {
  const b = new LayerListingBuilder();
  for (let i = 0; i < 1_000_000; i++)
    b.add({
      name: `usr/share/d${i % 1000}/file-${i}.txt`,
      typeflag: '0',
      size: 100,
      mode: 0o644,
      uid: 0,
      gid: 0,
      mtime: 1_700_000_000,
      linkName: '',
      contentHash: '0123456789abcdef',
    });
  const listing = b.finish().toTransfer();
  const bytes = layerReadBytes({ listing, kept: null });
  expect(listing.count).toBe(1_000_000);
  expect(bytes).toBeLessThan(100 * 2 ** 20);
});
