import { describe, expect, it } from 'vitest';
import { humanDate, intlDate, peopleSize, platformText } from '../../../src/app/summary-view.ts';

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
