/** Why a platform's contents are not there, in each case the views show: and the collector
 * that files the workers' listings by the diff_id their bytes have. */
import { describe, expect, it } from 'vitest';
import { TabContents, type ContentsSource } from '../../../src/app/contents.svelte.ts';
import { ListingCollector } from '../../../src/app/verify/pool.ts';
import type { RunState } from '../../../src/app/verification.svelte.ts';
import { LayerListingBuilder } from '../../../src/lib/layers/listing.ts';
import { listingEntry } from '../../support/tar.ts';
import type { ManifestReport } from '../../../src/lib/report/model.ts';
import type { BlobProgress } from '../../../src/lib/verify/model.ts';
import type { VerifyPlan } from '../../../src/lib/verify/plan.ts';
import { manifestReport } from '../../support/report.ts';
import { FIXTURES, openBlobArchive } from '../verify/helpers.ts';

const D = (n: number) => `sha256:${String(n).padStart(64, '0')}`;

function listing() {
  const b = new LayerListingBuilder();
  b.add(listingEntry('a.txt', { size: 3 }));
  return b.finish().toTransfer();
}

/** Returns a report manifest of `layers` diff_ids (null: none). */
function manifest(layers: (string | null)[], patch: Partial<ManifestReport> = {}): ManifestReport {
  return manifestReport({
    digest: D(99),
    imageId: D(98),
    layers: layers.map((diffId, i) => ({
      digest: D(50 + i),
      size: 10,
      mediaType: null,
      diffId,
      compression: 'none',
    })),
    ...patch,
  });
}

function source(state: RunState, canVerify = true, jobs: BlobProgress[] = []): ContentsSource {
  return { canVerify, verifier: { state, jobs } };
}

const job = (diffId: string, state: BlobProgress['state']): BlobProgress => ({
  id: 0,
  name: 'x',
  targets: [diffId],
  size: 1,
  bytesDone: 1,
  state,
  detail: null,
});

describe('TabContents states', () => {
  it('an attestation, a platform not included, a layer without diff_id', () => {
    const c = new TabContents(source('done'));
    expect(c.of(manifest([D(1)], { kind: 'attestation' }))).toMatchObject({
      reason: 'not-an-image',
    });
    expect(c.of(manifest([D(1)], { included: false }))).toMatchObject({ reason: 'not-included' });
    expect(c.of(manifest([D(1), null]))).toMatchObject({
      status: 'unavailable',
      reason: 'no-diff-id',
      layer: 1,
      message: expect.stringContaining('layer 2 has no diff_id'),
    });
  });

  it('listing N of M while verification runs, then ready with the merged layers', async () => {
    const running = new TabContents(
      source('running', true, [job(D(1), 'ok'), job(D(2), 'running')]),
    );
    const m = manifest([D(1), D(2)]);
    expect(running.of(m)).toEqual({ status: 'listing', listed: 1, total: 2 });
    await running.add({
      layers: new Map([
        [D(1), { listing: listing(), kept: null }],
        [D(2), { listing: listing(), kept: null }],
      ]),
      unlisted: new Map(),
    });
    const ready = running.of(m);
    expect(ready.status === 'ready' && ready.layers.layers.map((l) => l.files)).toEqual([1, 1]);
    expect(running.summaryOf(m)).toMatchObject({ unpackedSize: 6 });
    expect(running.unpackedSizes([m, m])).toEqual([6, 6]);
    expect(running.packagesOf(m)).toMatchObject({ status: 'ready', packages: { records: [] } });
  });

  it('a layer that could not be decoded, waiting, cancelled, and a library report without listings', async () => {
    const m = manifest([D(1), D(2)]);
    const failed = new TabContents(source('done'));
    await failed.add({
      layers: new Map([[D(1), { listing: listing(), kept: null }]]),
      unlisted: new Map([[D(2), 'invalid gzip header']]),
    });
    expect(failed.of(m)).toMatchObject({
      reason: 'undecodable',
      layer: 1,
      message: 'layer 2 could not be listed: invalid gzip header',
    });
    expect(new TabContents(source('idle')).of(m)).toMatchObject({ status: 'waiting' });
    expect(new TabContents(source('cancelled')).of(m)).toMatchObject({
      status: 'waiting',
      message: expect.stringContaining('cancelled'),
    });
    expect(new TabContents(source('idle', false)).of(m)).toMatchObject({
      reason: 'not-kept',
      layer: 0,
    });
  });
});

describe('ListingCollector', () => {
  async function plan(): Promise<VerifyPlan> {
    const { archive, report } = await openBlobArchive(`${FIXTURES}packages/apk-alpine318.tar`);
    const { planVerification } = await import('../../../src/lib/verify/plan.ts');
    return planVerification(archive, report);
  }

  it('asks the decodable layers not listed already to list and keep', async () => {
    const p = await plan();
    const layers = p.blobs.filter((b) => b.job.decode !== null);
    const diffId = layers[0]!.expectations.find((e) => e.kind === 'diff-id')!.expected;
    new ListingCollector().ask(p, new Set());
    expect(layers.every((b) => b.job.list && b.job.keep)).toBe(true);
    expect(p.blobs.filter((b) => b.job.decode === null).some((b) => b.job.list)).toBe(false);
    const again = await plan();
    new ListingCollector().ask(again, new Set([diffId]));
    expect(again.blobs.filter((b) => b.job.list)).toHaveLength(layers.length - 1);
  });

  it('files a listing under the diff_id its bytes have; failures under the expected one', async () => {
    const p = await plan();
    const c = new ListingCollector();
    c.ask(p, new Set());
    const [layer] = p.blobs.filter((b) => b.job.decode !== null);
    const expected = layer!.expectations.find((e) => e.kind === 'diff-id')!.expected;
    const data = listing();
    c.take({
      id: layer!.job.id,
      sha256: D(7),
      length: 1,
      content: { format: 'gzip', sha256: D(8), length: 3 },
      listing: data,
    });
    expect([...c.listed.layers.keys()]).toEqual([D(8)]);
    expect(c.listed.layers.get(D(8))!.listing).toBe(data); // the very data received, no copy
    expect(c.listed.unlisted.get(expected)).toMatch(/its content is sha256:0+8, not this diff_id/);
    const d = new ListingCollector();
    d.ask(p, new Set());
    d.take({ id: layer!.job.id, error: 'the worker crashed' });
    expect(d.listed.unlisted.get(expected)).toBe('the worker crashed');
    d.take({
      id: layer!.job.id,
      sha256: D(7),
      length: 1,
      content: { format: 'gzip', error: 'invalid gzip header' },
    });
    expect(d.listed.unlisted.get(expected)).toBe('invalid gzip header');
  });

  it('neither files nor keeps a listing whose tar could not be read to its end', async () => {
    const p = await plan();
    const c = new ListingCollector();
    c.ask(p, new Set());
    const [layer] = p.blobs.filter((b) => b.job.decode !== null);
    const expected = layer!.expectations.find((e) => e.kind === 'diff-id')!.expected;
    c.take({
      id: layer!.job.id,
      sha256: D(7),
      length: 1,
      content: { format: 'gzip', sha256: expected, length: 3 },
      listing: listing(),
      listingIncomplete: 'malformed pax record at offset 512',
    });
    expect(c.listed.layers.size).toBe(0);
    expect(c.listed.unlisted.get(expected)).toBe(
      'its tar could not be read to its end: malformed pax record at offset 512',
    );
  });
});
