/**
 * The listing verification produces, from the bytes it hashes for each diff_id (the job's list
 * flag), equals the test-side listing of the same layer decoded by Node's zlib or the zstd
 * command — entry for entry, xxhash64 of every file included — and GNU tar's `tar -tv`; on
 * every fixture, over every read path (ranges of a tar, one pass over a .tar.gz, a worker
 * request), and it survives a structured clone.
 */
import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../src/lib/archive/open.ts';
import {
  LayerListing,
  LayerListingBuilder,
  listingBuffers,
} from '../../../src/lib/layers/listing.ts';
import type { BlobResult } from '../../../src/lib/verify/model.ts';
import { isDigests } from '../../../src/lib/verify/model.ts';
import { runVerification, type BlobRunner } from '../../../src/lib/verify/orchestrate.ts';
import { planVerification } from '../../../src/lib/verify/plan.ts';
import { inThreadRunner } from '../../../src/lib/verify/run.ts';
import { nodeFileSource } from '../../../src/cli/node-source.ts';
import { handleRequest } from '../../../workers/verify-job.ts';
import type { VerifyReply } from '../../../workers/messages.ts';
import { fixture } from '../../support/paths.ts';
import { expectGnuListing, gnuTarList, imageLayers, listingOf, readTar } from './support.ts';

const FIXTURES = [
  'dive-test-docker-image.tar',
  'dive-test-kaniko-image.tar',
  'dive-test-oci-gzip-image.tar',
  'dive-test-oci-estargz-image.tar',
  'dive-test-oci-uncompressed-image.tar',
  'dive-test-oci-zstd-image.tar',
  'gen-umoci-rawlayers-opaque-whiteout-oci-archive.tar',
  'gen-buildah-multiarch-oci-archive.tar',
  'gen-buildah-docker-archive-arm64-v8.tar',
  'gen-skopeo-multiarch-zstd-oci-archive.tar',
  'ggcr-hello-world-v25.tar',
  'ggcr-test_bundle.tar',
  'ggcr-test_link.tar',
  'containers-image-almostempty.tar',
  'trivy-alpine-310.tar.gz',
];

const sha256 = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Returns every listing verification made, by the decoded layer's SHA-256. */
async function verifiedListings(path: string): Promise<Map<string, LayerListing>> {
  const source = await nodeFileSource(path);
  try {
    const archive = await openArchive(source);
    const plan = await planVerification(archive, null);
    for (const b of plan.blobs) if (b.job.decode !== null) b.job.list = true;
    const results: BlobResult[] = [];
    const base = inThreadRunner();
    const runner: BlobRunner = {
      concurrency: 2,
      digest: async (a, blob, hooks) => {
        const r = await base.digest(a, blob, hooks);
        results.push(r);
        return r;
      },
      pass: (a, jobs, hooks) =>
        base.pass(a, jobs, { ...hooks, onResult: (r) => (results.push(r), hooks.onResult(r)) }),
    };
    const outcome = await runVerification(archive, plan, runner);
    expect(outcome.verification.checks.filter((c) => !c.ok)).toEqual([]);
    const out = new Map<string, LayerListing>();
    for (const r of results) {
      if (!isDigests(r) || !r.listing || !r.content || !('sha256' in r.content)) continue;
      expect(r.listingIncomplete).toBeUndefined();
      // What a worker would post: a structured clone, its buffers transferred.
      const clone = structuredClone(r.listing, { transfer: listingBuffers(r.listing) });
      out.set(r.content.sha256, LayerListing.fromTransfer(clone));
    }
    return out;
  } finally {
    await source.close();
  }
}

/** Returns every entry of a listing as objects, for comparison. */
const fields = (l: LayerListing) => [...l.entries()];

describe.each(FIXTURES)('%s', (name) => {
  it('lists each layer while verifying it, as the test side and GNU tar do', async () => {
    const listed = await verifiedListings(fixture(name));
    const tars = new Map<string, Uint8Array>();
    for (const image of imageLayers(fixture(name)))
      for (const tar of image.layers) if (readTar(tar).length > 0) tars.set(sha256(tar), tar);
    expect(tars.size).toBeGreaterThan(0);
    for (const [diffId, tar] of tars) {
      const listing = listed.get(diffId);
      expect(listing, `no listing of ${diffId}`).toBeDefined();
      expect(fields(listing!)).toEqual(fields(await listingOf(tar)));
      expectGnuListing(listing!, gnuTarList(tar));
    }
  });
});

describe('listing flag', () => {
  it('is off unless asked: results carry no listing', async () => {
    const source = await nodeFileSource(fixture('dive-test-docker-image.tar'));
    try {
      const archive = await openArchive(source);
      const plan = await planVerification(archive, null);
      const results: BlobResult[] = [];
      const base = inThreadRunner();
      await runVerification(archive, plan, {
        ...base,
        digest: async (a, blob, hooks) => {
          const r = await base.digest(a, blob, hooks);
          results.push(r);
          return r;
        },
      });
      expect(results.length).toBeGreaterThan(10);
      expect(results.filter((r) => 'listing' in r)).toEqual([]);
    } finally {
      await source.close();
    }
  });

  it('passes through a worker request', async () => {
    const path = fixture('dive-test-oci-gzip-image.tar');
    const source = await nodeFileSource(path);
    const archive = await openArchive(source);
    const plan = await planVerification(archive, null);
    await source.close();
    const layer = plan.blobs.find((b) => b.job.decode !== null)!;
    const blob = await openAsBlob(path);
    const replies: VerifyReply[] = [];
    const start = layer.entry.dataOffset;
    await handleRequest(
      {
        type: 'digest',
        id: 1,
        job: { ...layer.job, list: true },
        blob,
        start,
        end: start + layer.job.size,
      },
      (r) => replies.push(r),
    );
    const result = replies.find((r) => r.type === 'result');
    expect(result?.type === 'result' && isDigests(result.result)).toBe(true);
    const r = (result as { result: { listing?: Parameters<typeof LayerListing.fromTransfer>[0] } })
      .result;
    const listing = LayerListing.fromTransfer(structuredClone(r.listing!));
    expect(listing.count).toBeGreaterThan(0);
  });

  it('refuses transfer data that does not fit its count', () => {
    const data = new LayerListingBuilder().finish().toTransfer();
    expect(LayerListing.fromTransfer(data).count).toBe(0);
    expect(() => LayerListing.fromTransfer({ ...data, count: 3 })).toThrow(/does not fit/);
  });
});
