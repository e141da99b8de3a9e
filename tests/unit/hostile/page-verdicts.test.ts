/**
 * The page's verdicts on hostile archives, as the report view computes them from a run in this
 * page (its jobs) and from a verification kept in the library (its checks alone): a platform or
 * image reads "verified" only when nothing about it failed and nothing of it was left unread.
 * Each archive here once made the summary say "verified" beside a failed or partial run.
 */
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { verdictBanners } from '../../../src/app/verdict-banners.ts';
import {
  cutShort,
  imageStatus,
  manifestStatus,
  type VerifyShown,
} from '../../../src/app/verify-view.ts';
import {
  dockerSaveManyLayers,
  manifestReadTwoWays,
  manyLayers,
  platformMismatch,
} from '../../support/attacks.ts';

/** Returns the report, and what the page is shown during its run and from the library. */
async function shown(bytes: Uint8Array) {
  const archive = await openArchive(bytesSource(bytes, 'attack.tar'));
  const report = await inspectArchive(archive);
  const { verification, jobs } = await verifyInProcess(archive, report);
  const cut = cutShort(report);
  const live: VerifyShown = { verification, jobs, cut };
  const kept: VerifyShown = { verification, jobs: null, cut };
  return { report, verification, jobs, live, kept };
}

describe('a platform whose index and config disagree', () => {
  it('is a mismatch, live and kept, and a banner says what each side says', async () => {
    const { bytes, manifestDigest } = platformMismatch();
    const { report, verification, jobs, live, kept } = await shown(bytes);
    const image = report.images[0]!;
    const manifest = image.manifests[0]!;
    expect(verification.status).toBe('failed');
    for (const view of [live, kept]) {
      expect(manifestStatus(manifest, view).state).toBe('mismatch');
      expect(imageStatus(image.manifests, view).state).toBe('mismatch');
    }
    expect(verdictBanners(report, image, verification.checks, verification.status, jobs)).toEqual([
      {
        kind: 'ambiguous',
        title: 'Ambiguous: other tools could read a different image from this archive',
        lines: [
          `The manifest of linux/arm64: manifest ${manifestDigest} is listed as linux/arm64 but its config says linux/amd64.`,
        ],
      },
    ]);
  });

  it('a manifest read two ways: corrupt and ambiguous both said', async () => {
    const { report, verification, jobs } = await shown(manifestReadTwoWays());
    const kinds = verdictBanners(
      report,
      report.images[0]!,
      verification.checks,
      verification.status,
      jobs,
    ).map((b) => b.kind);
    expect(kinds).toEqual(['corrupt', 'ambiguous']);
  });
});

describe('a manifest read only in part', () => {
  it.each([
    [
      'an OCI manifest of 20,000 layers',
      () => {
        const { bytes, manifestDigest } = manyLayers(20_000);
        const line = `Manifest ${manifestDigest} lists 20000 layers; only the first 1000 are read.`;
        return { bytes, line };
      },
    ],
    [
      'a manifest.json of 100,000 layers',
      // A file name is not capitalised: it is the archive's spelling.
      () => ({
        bytes: dockerSaveManyLayers(100_000).bytes,
        line: 'manifest.json[0] lists 100000 layers; only the first 1000 are read.',
      }),
    ],
  ])('%s: every layer shown is verified, the platform and image only partly', async (_, make) => {
    const { bytes, line } = make();
    const { report, verification, jobs, live, kept } = await shown(bytes);
    const image = report.images[0]!;
    expect(verification.status).toBe('partial');
    for (const view of [live, kept]) {
      expect(manifestStatus(image.manifests[0]!, view).state).toBe('partial');
      expect(imageStatus(image.manifests, view).state).toBe('partial');
    }
    // Without the report's problems the page would have said "verified".
    expect(manifestStatus(image.manifests[0]!, { ...live, cut: new Set() }).state).toBe('ok');
    // The banner says what was left unread, in the reader's own words.
    const [banner, ...rest] = verdictBanners(
      report,
      image,
      verification.checks,
      verification.status,
      jobs,
    );
    expect(rest).toEqual([]);
    expect(banner!.kind).toBe('incomplete');
    expect(banner!.lines).toEqual([line]);
  });
});
