import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { blobSource } from '../../../../src/lib/archive/byte-source.ts';
import { inspectSource } from '../../../../src/lib/inspect.ts';
import {
  firstOf,
  historyText,
  summarize,
  verificationText,
} from '../../../../src/app/library/summary.ts';
import { keptVerification, withoutVerdict } from '../../../../src/app/library/history.ts';
import { CACHE_VERSION, type CachedReport } from '../../../../src/app/library/report-cache.ts';
import { FIXTURES } from '../../../support/paths.ts';

const fixtures = FIXTURES;

async function cachedFixture(name: string): Promise<CachedReport> {
  const file = new File([await readFile(fixtures + name)], name);
  const report = await inspectSource(blobSource(file));
  return {
    version: CACHE_VERSION,
    id: `id:${name}`,
    fileName: name,
    size: file.size,
    openedAt: 5,
    report,
    verifiedAt: null,
  };
}

describe('library summary', () => {
  it('lists the references and the image platforms of an archive', async () => {
    const item = summarize(await cachedFixture('gen-buildah-multiarch-oci-archive.tar'));
    expect(item).toEqual({
      id: 'id:gen-buildah-multiarch-oci-archive.tar',
      fileName: 'gen-buildah-multiarch-oci-archive.tar',
      size: 20992,
      openedAt: 5,
      refs: ['gen-buildah-multiarch-oci-archive:gen-multi'],
      platforms: ['linux; amd64', 'linux; arm64 variant v8', 'linux; arm variant v7'],
      history: null,
    });
  });

  it('leaves attestations out and names each platform once across many images', async () => {
    const item = summarize(await cachedFixture('regclient-testrepo-ocidir.tar'));
    expect(item.refs).toHaveLength(26);
    expect(item.refs[0]).toBe('regclient-testrepo-ocidir:b1');
    // Attestations ("unknown; unknown" too) are left out; an image with no platform is not.
    expect([...item.platforms].sort()).toEqual([
      'linux; amd64',
      'linux; arm variant v6',
      'linux; arm variant v7',
      'linux; arm64',
      'unknown; unknown',
    ]);
  });

  it('words the verification state and shortens long lists', () => {
    expect(verificationText('not-run')).toBe('not verified');
    expect(verificationText('ok')).toBe('verified');
    expect(verificationText('partial')).toBe('partly verified');
    expect(verificationText('failed')).toBe('verification failed');
    const at = Date.UTC(2026, 11, 3, 14, 2);
    const ok = { verification: { status: 'ok' as const, checks: [] }, verifiedAt: at };
    expect(historyText(ok)).toMatch(/^verified on .*2026/);
    expect(historyText({ ...ok, verification: { status: 'failed', checks: [] } })).toMatch(
      /^verification failed on /,
    );
    expect(firstOf(['a', 'b', 'c', 'd'], 3)).toEqual({ shown: ['a', 'b', 'c'], more: 1 });
    expect(firstOf(['a'], 3)).toEqual({ shown: ['a'], more: 0 });
  });
});

describe('kept verification', () => {
  it('is history of the entry, and taken off the report that is shown', async () => {
    const entry = await cachedFixture('ggcr-hello-world-v25.tar');
    expect(keptVerification(entry)).toBeNull();
    const verification = { status: 'ok' as const, checks: [] };
    const verified = { ...entry, report: { ...entry.report, verification }, verifiedAt: 9 };
    expect(keptVerification(verified)).toEqual({ verification, verifiedAt: 9 });
    // Kept before its time was: the time it was opened.
    expect(keptVerification({ ...verified, verifiedAt: null })?.verifiedAt).toBe(5);
    expect(summarize(verified).history).toEqual({ verification, verifiedAt: 9 });
    expect(withoutVerdict(verified.report).verification).toEqual({ status: 'not-run', checks: [] });
    expect(verified.report.verification).toBe(verification); // not changed in place
  });
});
