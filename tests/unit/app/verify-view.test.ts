import { describe, expect, it } from 'vitest';
import type { Check, Report, Verification } from '../../../src/lib/report/model.ts';
import type { BlobProgress } from '../../../src/lib/verify/model.ts';
import { renderJson, renderVerificationJson } from '../../../src/lib/report/json.ts';
import {
  durationText,
  failedFirst,
  itemStatus,
  manifestStatus,
  progressText,
  receiptName,
  stateText,
  summaryText,
} from '../../../src/app/verify-view.ts';
import { BAD, FIXTURES, verifyFile } from '../verify/helpers.ts';

const FLIPPED = 'sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f';

/** Returns every manifest's state, as the page shows it during and after a run in this page
 * (`jobs`) and from a verification kept in the library (checks alone). */
function states(report: Report, verification: Verification, jobs: BlobProgress[]) {
  const manifests = report.images.flatMap((i) => i.manifests);
  return {
    live: manifests.map((m) => manifestStatus(m, { verification, jobs }).state),
    kept: manifests.map((m) => manifestStatus(m, { verification, jobs: null }).state),
  };
}

describe('verification states in the report view', () => {
  it.each([
    'gen-buildah-multiarch-oci-archive.tar',
    'gen-skopeo-multiarch-zstd-oci-archive.tar',
    'dive-test-oci-estargz-image.tar',
    'trivy-alpine-310.tar.gz',
    'regclient-testrepo-ocidir.tar',
    'containers-image-almostempty.tar',
    'dive-test-docker-image.tar',
    'dive-test-kaniko-image.tar',
    'ggcr-hello-world-v25.tar',
    'ggcr-test_link.tar',
  ])('%s: every platform and every layer verified', async (name) => {
    const { report, verification, jobs } = await verifyFile(FIXTURES + name);
    expect(verification.status).toBe('ok');
    const { live, kept } = states(report, verification, jobs);
    expect(live.every((s) => s === 'ok')).toBe(true);
    expect(kept.every((s) => s === 'ok')).toBe(true);
    for (const m of report.images.flatMap((i) => i.manifests))
      for (const l of m.layers) {
        expect(itemStatus([l.digest, l.diffId], { verification, jobs }).state).toBe('ok');
        expect(itemStatus([l.digest, l.diffId], { verification, jobs: null }).state).toBe('ok');
      }
  });

  it('a byte-flipped layer is a mismatch with expected and actual, its platform too', async () => {
    const { report, verification, jobs } = await verifyFile(BAD + 'oci-layer-byte-flipped.tar');
    const { live, kept } = states(report, verification, jobs);
    expect(live).toEqual(['mismatch', 'ok', 'ok']);
    expect(kept).toEqual(['mismatch', 'ok', 'ok']);
    const amd64 = report.images[0]!.manifests[0]!;
    const layer = amd64.layers[0]!;
    expect(layer.digest).toBe(FLIPPED);
    for (const shown of [
      { verification, jobs },
      { verification, jobs: null },
    ]) {
      const status = itemStatus([layer.digest, layer.diffId], shown);
      expect(status.state).toBe('mismatch');
      const digest = status.failed.find((c) => c.kind === 'blob-digest')!;
      expect(digest.expected).toBe(FLIPPED);
      expect(digest.actual).toBe(
        'sha256:857de105a79d307376a56e194de87c21e831eff10247cf03ef192a2183ed1f9b',
      );
      expect(status.failed.map((c) => c.kind)).toEqual(['blob-digest', 'diff-id']);
      expect(itemStatus([amd64.layers[1]!.digest, amd64.layers[1]!.diffId], shown).state).toBe(
        'ok',
      );
    }
  });

  it('a layer not in the archive is missing', async () => {
    const { report, verification, jobs } = await verifyFile(BAD + 'oci-missing-layer-blob.tar');
    const layer = report.images[0]!.manifests[0]!.layers[0]!;
    expect(itemStatus([layer.digest, layer.diffId], { verification, jobs }).state).toBe('missing');
    expect(itemStatus([layer.digest, layer.diffId], { verification, jobs: null }).state).toBe(
      'missing',
    );
    expect(states(report, verification, jobs).live).toEqual(['missing', 'ok', 'ok']);
  });

  it('a legacy save whose layer was changed: the layer and its platform are mismatches', async () => {
    const { report, verification, jobs } = await verifyFile(
      BAD + 'docker-archive-layer-byte-flipped.tar',
    );
    expect(verification.status).toBe('failed');
    const { live, kept } = states(report, verification, jobs);
    expect(live).toEqual(['mismatch']);
    expect(kept).toEqual(['mismatch']);
  });

  it('while a run goes on: queued and running, with how much is read', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const line = (state: BlobProgress['state'], bytesDone: number): BlobProgress => ({
      id: 0,
      name: 'blobs/sha256/aaa',
      targets: [digest],
      size: 200,
      bytesDone,
      state,
      detail: null,
    });
    const shown = (l: BlobProgress) => ({ verification: null, jobs: [l] });
    expect(itemStatus([digest], shown(line('queued', 0)))).toMatchObject({
      state: 'queued',
      percent: 0,
    });
    expect(itemStatus([digest], shown(line('running', 50)))).toMatchObject({
      state: 'running',
      percent: 25,
    });
    expect(itemStatus([digest], shown(line('ok', 200))).percent).toBeNull();
    // Nothing known about it: not verified, whatever is running elsewhere.
    expect(itemStatus([`sha256:${'b'.repeat(64)}`], shown(line('running', 5))).state).toBe(
      'not-run',
    );
    expect(stateText('running', 25.7)).toBe('verifying 25%');
    expect(stateText('ok')).toBe('verified');
    expect(stateText('not-run')).toBe('not verified');
    expect(stateText('partial')).toBe('partly verified');
    expect(stateText('mismatch')).toBe('mismatch');
  });

  it('from the library: not run, partial, and a reference alone proves nothing', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const check = (kind: Check['kind'], ok: boolean): Check => ({
      kind,
      target: digest,
      expected: digest,
      actual: ok ? digest : null,
      ok,
      message: '',
    });
    const kept = (status: Verification['status'], checks: Check[]) => ({
      verification: { status, checks },
      jobs: null,
    });
    expect(itemStatus([digest], kept('not-run', [])).state).toBe('not-run');
    expect(itemStatus([digest], kept('partial', [check('reference', true)])).state).toBe('not-run');
    expect(
      itemStatus([digest], kept('ok', [check('reference', true), check('blob-digest', true)]))
        .state,
    ).toBe('ok');
    expect(itemStatus([digest], kept('failed', [check('reference', false)])).state).toBe('missing');
  });
});

describe('verification texts and the receipt', () => {
  it('lists failed checks first, and sums a verification up in one sentence', async () => {
    const { verification } = await verifyFile(BAD + 'oci-layer-byte-flipped.tar');
    const sorted = failedFirst(verification.checks);
    expect(sorted.slice(0, 2).every((c) => !c.ok)).toBe(true);
    expect(sorted.slice(2).every((c) => c.ok)).toBe(true);
    expect(sorted).toHaveLength(verification.checks.length);
    expect(summaryText(verification)).toBe('Verification failed: 2 of 45 checks failed.');
    expect(summaryText({ status: 'ok', checks: sorted.slice(2) })).toBe(
      'Verified: all 43 checks passed.',
    );
    expect(summaryText({ status: 'partial', checks: sorted.slice(2, 3) })).toBe(
      'Partly verified: 1 check passed, but not everything could be checked.',
    );
    expect(summaryText({ status: 'not-run', checks: [] })).toBe('Not verified.');
  });

  it('the receipt is the JSON export’s verification, on its own', async () => {
    const { report, verification } = await verifyFile(FIXTURES + 'ggcr-hello-world-v25.tar');
    const receipt = renderVerificationJson(verification);
    expect(JSON.parse(receipt)).toEqual(
      JSON.parse(renderJson({ ...report, verification })).verification,
    );
    expect(receipt.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(receipt).checks[0])).toEqual([
      'kind',
      'target',
      'expected',
      'actual',
      'ok',
      'message',
    ]);
    expect(receiptName('trivy-alpine-310.tar.gz')).toBe('trivy-alpine-310.verification.json');
    expect(receiptName('image.tar')).toBe('image.verification.json');
  });

  it('writes progress as bytes, speed and time left', () => {
    const progress = {
      bytesDone: 12_300_000,
      bytesTotal: 45_600_000,
      mbPerSecond: 120.4,
      etaSeconds: 2.2,
      jobs: [],
      figures: { elapsedMs: 0, storedBytes: 0, decodedBytes: 0, decodeMs: 0 },
    };
    expect(progressText(progress)).toBe('12.3 MB of 45.6 MB · 120 MB/s · about 3 s left');
    expect(progressText({ ...progress, mbPerSecond: 0, etaSeconds: null })).toBe(
      '12.3 MB of 45.6 MB',
    );
    expect(progressText({ ...progress, bytesDone: 45_600_000 })).toBe(
      '45.6 MB of 45.6 MB · 120 MB/s',
    );
    expect(progressText({ ...progress, mbPerSecond: 0.17 })).toBe(
      '12.3 MB of 45.6 MB · 0.2 MB/s · about 3 s left',
    );
    expect(durationText(125)).toBe('2 min 5 s');
    expect(durationText(0.2)).toBe('1 s');
  });
});
