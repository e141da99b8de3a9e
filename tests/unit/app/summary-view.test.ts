import { describe, expect, it } from 'vitest';
import { fullSize } from '../../../src/app/report-view.ts';
import {
  humanDate,
  imageSummary,
  intlDate,
  manifestPlatform,
  NO_PLATFORM,
  peopleSize,
  platformText,
  reportManifests,
} from '../../../src/app/summary-view.ts';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { inspectSource } from '../../../src/lib/inspect.ts';
import type { Report } from '../../../src/lib/report/model.ts';
import { buildkitArchive } from '../../support/oci.ts';
import { fixtureReport } from '../../support/report.ts';
import { dockerSaveManyLayers, manyLayers } from '../../support/attacks.ts';

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

  it('writes sizes without the export decimals below 1 KB', () => {
    expect(peopleSize(413)).toBe('413 B');
    expect(peopleSize(0)).toBe('0 B');
    // repo-info keeps bytes up to 1000 (`1000.0 B`); the page never shows a decimal of bytes.
    expect(peopleSize(1000)).toBe('1000 B');
    expect(peopleSize(1001)).toBe('1.0 KB');
    expect(peopleSize(1_470_464)).toBe('1.5 MB');
    expect(fullSize(413)).toBe('413 B');
    expect(fullSize(1000)).toBe('1000 B');
    expect(fullSize(1536)).toBe('1.5 KB (1536 bytes)');
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

async function read(bytes: Uint8Array, name: string): Promise<Report> {
  return inspectSource(bytesSource(bytes, name));
}

describe('what a manifest is for, never "unknown"', () => {
  it('names an attestation by the platform of its subject', async () => {
    const r = await read(buildkitArchive(), 'buildkit.tar');
    const [image, attestation] = r.images[0]!.manifests;
    expect(manifestPlatform(image!, reportManifests(r))).toBe('linux/amd64');
    expect(manifestPlatform(attestation!, reportManifests(r))).toBe('attestation for linux/amd64');
    // Its subject not at hand: its short digest, still no "unknown".
    expect(manifestPlatform(attestation!)).toMatch(/^attestation for sha256:[0-9a-f]{12}$/);
    expect(imageSummary(r, r.images[0]!).platforms).toBe('linux/amd64');
  });

  it('regclient: a tag whose only manifest is an attestation says what it attests', async () => {
    const r = await fixtureReport('regclient-testrepo-ocidir.tar');
    const summaries = new Map(r.images.map((i) => [i.ref, imageSummary(r, i).platforms]));
    expect(summaries.get('regclient-testrepo-ocidir:a-docker')).toBe('attestation for linux/amd64');
    expect(summaries.get('regclient-testrepo-ocidir:a-docker-oci')).toBe(
      'attestation for linux/arm64',
    );
    for (const text of summaries.values()) {
      expect(text).not.toMatch(/unknown/);
      expect(text).not.toBe(NO_PLATFORM);
    }
  });
});

describe('the layer count says where it is cut', () => {
  it('an OCI manifest and a docker save listing more layers than are read', async () => {
    for (const [bytes, name] of [
      [manyLayers(1_200).bytes, 'many.tar'],
      [dockerSaveManyLayers(1_200).bytes, 'many-legacy.tar'],
    ] as const) {
      const r = await read(bytes, name);
      const summary = imageSummary(r, r.images[0]!);
      expect(summary.layers, name).toBe('1000');
      expect(summary.layersCut, name).toBe('only the first 1000 of more are read');
    }
  });

  it('says nothing beside a count that is whole', async () => {
    const r = await read(manyLayers(3).bytes, 'few.tar');
    expect(imageSummary(r, r.images[0]!)).toMatchObject({ layers: '3', layersCut: null });
  });
});
