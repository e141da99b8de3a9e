import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatSize,
  jsonCompact,
  platformString,
} from '../../../src/lib/report/format.ts';
import type { Platform } from '../../../src/lib/report/model.ts';
import { REPO_INFO } from '../../support/paths.ts';

const REFERENCE_DIR = REPO_INFO;
const referenceFiles = readdirSync(REFERENCE_DIR).filter((f) => f.endsWith('.md'));

function platform(fields: Partial<Platform>): Platform {
  return {
    os: null,
    architecture: null,
    variant: null,
    osVersion: null,
    osFeatures: null,
    ...fields,
  };
}

describe('formatSize', () => {
  it('reproduces every size line of the repo-info references', () => {
    let checked = 0;
    for (const file of referenceFiles) {
      const text = readFileSync(REFERENCE_DIR + file, 'utf8');
      for (const m of text.matchAll(/Size: \*\*(.+ \((\d+) bytes\))\*\*/g)) {
        expect(formatSize(Number(m[2])), file).toBe(m[1]);
        checked++;
      }
      for (const m of text.matchAll(/\tSize: (.+ \((\d+) bytes\))  $/gm)) {
        expect(formatSize(Number(m[2])), file).toBe(m[1]);
        checked++;
      }
      for (const m of text.matchAll(/\tSize: ((\d+)\.0 B)  $/gm)) {
        expect(formatSize(Number(m[2])), file).toBe(m[1]);
        checked++;
      }
    }
    expect(checked).toBe(138);
  });

  it('steps the unit up only while the whole part is > 1000', () => {
    expect(formatSize(0)).toBe('0.0 B');
    expect(formatSize(230)).toBe('230.0 B');
    expect(formatSize(1000)).toBe('1000.0 B');
    expect(formatSize(1001)).toBe('1.0 KB (1001 bytes)');
    expect(formatSize(301875)).toBe('301.9 KB (301875 bytes)');
    expect(formatSize(1000500)).toBe('1000.5 KB (1000500 bytes)');
    expect(formatSize(1000999)).toBe('1001.0 KB (1000999 bytes)');
    expect(formatSize(1001000)).toBe('1.0 MB (1001000 bytes)');
    expect(formatSize(31255200)).toBe('31.3 MB (31255200 bytes)');
    expect(formatSize(2201416223)).toBe('2.2 GB (2201416223 bytes)');
    expect(formatSize(5e15)).toBe('5000.0 TB (5000000000000000 bytes)');
  });

  it('rounds exact ties to even as Perl sprintf does', () => {
    // Values checked against repo-info's own human_size under perl 5.
    expect(formatSize(1250)).toBe('1.2 KB (1250 bytes)');
    expect(formatSize(1750)).toBe('1.8 KB (1750 bytes)');
    expect(formatSize(3250000)).toBe('3.2 MB (3250000 bytes)');
    expect(formatSize(1350)).toBe('1.4 KB (1350 bytes)');
  });
});

describe('formatDate', () => {
  it('prints RFC 1123 dates in UTC with the fraction cut', () => {
    expect(formatDate('2019-04-09T23:20:18Z')).toBe('Tue, 09 Apr 2019 23:20:18 GMT');
    expect(formatDate('2019-04-09T23:20:18.999999999Z')).toBe('Tue, 09 Apr 2019 23:20:18 GMT');
    expect(formatDate('2023-09-23T00:42:06.123456789Z')).toBe('Sat, 23 Sep 2023 00:42:06 GMT');
  });

  it('converts offsets to UTC, across day and year boundaries', () => {
    expect(formatDate('2019-04-10T01:20:18+02:00')).toBe('Tue, 09 Apr 2019 23:20:18 GMT');
    expect(formatDate('2020-12-31T23:30:00.5-01:00')).toBe('Fri, 01 Jan 2021 00:30:00 GMT');
    expect(formatDate('2024-03-01T00:00:00+00:01')).toBe('Thu, 29 Feb 2024 23:59:00 GMT');
  });

  it('handles the zero time kaniko and ggcr write', () => {
    expect(formatDate('0001-01-01T00:00:00Z')).toBe('Mon, 01 Jan 0001 00:00:00 GMT');
    expect(formatDate('1970-01-01T00:00:00Z')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(formatDate('0999-12-31T23:59:59Z')).toBe('Tue, 31 Dec 0999 23:59:59 GMT');
  });

  it('agrees with Date#toUTCString over many years', () => {
    for (let t = -30610224000000; t < 253402300799000; t += 86400000 * 997 + 3_601_001) {
      const iso = new Date(t).toISOString();
      expect(formatDate(iso), iso).toBe(new Date(t).toUTCString());
    }
  });

  it('returns null for what is not an RFC 3339 timestamp', () => {
    expect(formatDate('')).toBeNull();
    expect(formatDate('yesterday')).toBeNull();
    expect(formatDate('2019-04-09')).toBeNull();
    expect(formatDate('2019-04-09T23:20:18')).toBeNull();
    expect(formatDate('2019-02-29T00:00:00Z')).toBeNull();
    expect(formatDate('2019-13-01T00:00:00Z')).toBeNull();
    expect(formatDate('2019-04-09T24:00:00Z')).toBeNull();
    expect(formatDate('2019-04-09T23:20:18.Z')).toBeNull();
  });
});

describe('platformString', () => {
  it('spells platforms as repo-info does', () => {
    expect(platformString(platform({ os: 'linux', architecture: 'amd64' }))).toBe('linux; amd64');
    expect(platformString(platform({ os: 'linux', architecture: 'arm', variant: 'v7' }))).toBe(
      'linux; arm variant v7',
    );
    expect(platformString(platform({ os: 'linux', architecture: 'arm64', variant: 'v8' }))).toBe(
      'linux; arm64 variant v8',
    );
    expect(
      platformString(
        platform({ os: 'windows', architecture: 'amd64', osVersion: '10.0.17763.1518' }),
      ),
    ).toBe('windows version 10.0.17763.1518; amd64');
    expect(
      platformString(platform({ os: 'windows', architecture: 'amd64', osFeatures: ['win32k'] })),
    ).toBe('windows ft. win32k; amd64');
  });

  it('prints os.features after os.version and features after the variant, as repo-info does', () => {
    const windows = platform({
      os: 'windows',
      architecture: 'amd64',
      osVersion: '10.0.17763.1518',
      osFeatures: ['win32k', 'x'],
    });
    expect(platformString(windows)).toBe('windows version 10.0.17763.1518 ft. win32k, x; amd64');
    const arm = {
      ...platform({ os: 'linux', architecture: 'arm', variant: 'v7' }),
      features: ['sse4'],
    };
    expect(platformString(arm)).toBe('linux; arm variant v7 ft. sse4');
    expect(platformString({ ...arm, features: [] })).toBe('linux; arm variant v7');
  });

  it('says unknown for a missing os or architecture (attestations)', () => {
    expect(platformString(platform({}))).toBe('unknown; unknown');
    expect(platformString(platform({ os: 'unknown', architecture: 'unknown' }))).toBe(
      'unknown; unknown',
    );
    expect(platformString(platform({ os: '', architecture: 'amd64', osFeatures: [] }))).toBe(
      'unknown; amd64',
    );
  });
});

describe('jsonCompact', () => {
  it('writes / as \\/ like the references', () => {
    expect(jsonCompact(['/hello'])).toBe('["\\/hello"]');
    expect(jsonCompact(['cmd', '/C', 'type C:\\hello.txt'])).toBe(
      '["cmd","\\/C","type C:\\\\hello.txt"]',
    );
    expect(jsonCompact(['/usr/local/bin/mvn-entrypoint.sh'])).toBe(
      '["\\/usr\\/local\\/bin\\/mvn-entrypoint.sh"]',
    );
    expect(jsonCompact(['powershell', '-Command', "$ErrorActionPreference = 'Stop';"])).toBe(
      '["powershell","-Command","$ErrorActionPreference = \'Stop\';"]',
    );
  });

  it('escapes control characters as Mojo::JSON does and keeps other text as is', () => {
    expect(jsonCompact(['a"b', 'tab\there', 'nl\n', '\u001b[0m', '\u007f', '\u2028', 'é€😀'])).toBe(
      '["a\\"b","tab\\there","nl\\n","\\u001B[0m","\\u007F","\\u2028","é€😀"]',
    );
  });

  it('writes other JSON values compactly', () => {
    expect(jsonCompact([])).toBe('[]');
    expect(jsonCompact(null)).toBe('null');
    expect(jsonCompact({ a: 1, b: [true, false, null] })).toBe('{"a":1,"b":[true,false,null]}');
  });
});
