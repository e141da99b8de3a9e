import { describe, expect, it } from 'vitest';
import type { ImageReport, ManifestReport } from '../../../src/lib/report/model.ts';
import {
  humanDate,
  intlDate,
  manifestPlatform,
  ofManifest,
  peopleSize,
  platformText,
} from '../../../src/app/summary-view.ts';

const platform = (os: string | null, architecture: string | null, variant: string | null) => ({
  os,
  architecture,
  variant,
  osVersion: null,
  osFeatures: null,
});

describe('summary notation', () => {
  it('writes platforms as people do', () => {
    expect(platformText(platform('linux', 'arm64', 'v8'))).toBe('linux/arm64/v8');
    expect(platformText(platform('linux', 'amd64', null))).toBe('linux/amd64');
    expect(platformText(platform(null, null, null))).toBe('unknown');
  });

  it('names a manifest without a stated platform by what it is, never "unknown"', () => {
    const digest = (c: string) => `sha256:${c.repeat(64)}`;
    const m = (over: Partial<ManifestReport>) =>
      ({
        platform: platform(null, null, null),
        kind: 'image',
        subject: null,
        digest: null,
        ...over,
      }) as ManifestReport;
    const amd64 = m({ platform: platform('linux', 'amd64', null), digest: digest('a') });
    const attestation = m({
      kind: 'attestation',
      platform: platform('unknown', 'unknown', null),
      subject: digest('a'),
    });
    const image = { manifests: [amd64, attestation] } as ImageReport;
    expect(manifestPlatform(amd64, image)).toBe('linux/amd64');
    expect(manifestPlatform(attestation, image)).toBe('attestation for linux/amd64');
    expect(ofManifest(attestation, image)).toBe('of the attestation for linux/amd64');
    // Its subject not in the archive: named by its digest.
    expect(manifestPlatform(attestation)).toBe('attestation for sha256:aaaaaaaaaaaa');
    expect(manifestPlatform(m({ kind: 'artifact' }))).toBe('artifact');
    expect(manifestPlatform(m({ platform: platform('unknown', 'unknown', null) }))).toBe(
      'platform not stated',
    );
    expect(ofManifest(amd64)).toBe('of linux/amd64');
  });

  it('writes sizes without the export decimals below 1 KB', () => {
    expect(peopleSize(413)).toBe('413 B');
    expect(peopleSize(1_470_464)).toBe('1.5 MB');
  });

  it('writes dates in UTC, the raw text when unreadable', () => {
    expect(humanDate('2018-12-28T20:44:23.123456789Z')).toBe('28 Dec 2018, 20:44 UTC');
    expect(humanDate('2019-04-09T23:20:18+02:00')).toBe('9 Apr 2019, 21:20 UTC');
    expect(humanDate('yesterday')).toBe('yesterday');
  });
});

describe('humanDate, written out by hand', () => {
  it("says the same as en-GB's Intl.DateTimeFormat, every month, day, hour and minute", () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      // From year 1 to 9999, millisecond resolution.
      const time =
        Date.UTC(1, 0, 1) + (next() / 2 ** 31) * (Date.UTC(9999, 11, 31) - Date.UTC(1, 0, 1));
      const iso = new Date(Math.floor(time)).toISOString();
      expect(humanDate(iso)).toBe(`${intlDate().format(Date.parse(iso))} UTC`);
    }
    for (let month = 0; month < 12; month++) {
      const iso = new Date(Date.UTC(2026, month, 9, 7, 5)).toISOString();
      expect(humanDate(iso)).toBe(`${intlDate().format(Date.parse(iso))} UTC`);
    }
  });
});
