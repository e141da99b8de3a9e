/** Known answers for the small formatters and parsers behind the local report. */
import { describe, expect, test } from 'vitest';
import { copyrightValues, normaliseLicences } from '../../../src/lib/packages/copyright.ts';
import {
  isListed,
  readDpkgStatus,
  readDpkgStatusD,
  statusAbbrev,
} from '../../../src/lib/packages/dpkg.ts';
import {
  apkHumanSize,
  goJson,
  goTime,
  virtualSizeText,
} from '../../../src/lib/packages/go-format.ts';
import { readOsRelease } from '../../../src/lib/packages/os-release.ts';
import { compareC } from '../../../src/lib/packages/text.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('scan-local.sh and docker inspect formatting', () => {
  test('Virtual Size: base 1000, two decimals rounded as printf does (ties to even)', () => {
    expect(virtualSizeText(999)).toBe('999 bytes');
    expect(virtualSizeText(1000)).toBe('~ 1.00 Kb');
    expect(virtualSizeText(5_540_000)).toBe('~ 5.54 Mb');
    expect(virtualSizeText(5_125_000)).toBe('~ 5.12 Mb'); // 5.125 exactly: even wins
    expect(virtualSizeText(5_375_000)).toBe('~ 5.38 Mb');
    expect(virtualSizeText(5_126_000)).toBe('~ 5.13 Mb');
    expect(virtualSizeText(1_500_000_000)).toBe('~ 1.50 Gb');
  });

  test('apk installed size: apk-tools 2.12 apk_get_human_size', () => {
    expect(
      [0, 4096, 9999, 10000, 348160, 5217280, 10_239_999, 10_240_000].map(apkHumanSize),
    ).toEqual(['0 B', '4096 B', '9999 B', '9 KiB', '340 KiB', '5095 KiB', '9999 KiB', '9 MiB']);
  });

  test('Created: Go RFC3339Nano', () => {
    expect(goTime('2022-11-12T04:19:23.199716539Z')).toBe('2022-11-12T04:19:23.199716539Z');
    expect(goTime('2023-11-14T22:13:20.000Z')).toBe('2023-11-14T22:13:20Z');
    expect(goTime('2023-11-14T22:13:20.1200000001Z')).toBe('2023-11-14T22:13:20.12Z');
    expect(goTime('2023-11-14T22:13:20+00:00')).toBe('2023-11-14T22:13:20Z');
    expect(goTime('2023-11-14T23:13:20+01:00')).toBe('2023-11-14T23:13:20+01:00');
    expect(goTime(null)).toBe('0001-01-01T00:00:00Z');
  });

  test("docker's json: / and <>& literal, controls escaped", () => {
    expect(goJson(['/bin/sh', '-c', 'a<b>&c "q" \\ \n\t\u0001\u2028'])).toBe(
      '["/bin/sh","-c","a<b>&c \\"q\\" \\\\ \\n\\t\\u0001\\u2028"]',
    );
  });

  test('C-locale order is byte order', () => {
    expect(
      ['curl', 'GPL-2+', 'BSD-3-clause', 'BSD-3-Clause', 'é', '\u{1f600}', '\uffff'].sort(compareC),
    ).toEqual(['BSD-3-Clause', 'BSD-3-clause', 'GPL-2+', 'curl', 'é', '\uffff', '\u{1f600}']);
  });
});

describe('gather-dpkg.sh licences', () => {
  test('License: lines (no continuation), then common-licenses references', () => {
    const text = [
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      'License: GPL-2+',
      ' continuation: not read',
      'License:MIT',
      'License:\tBSD-3-clause ',
      'X-License: no',
      'See /usr/share/common-licenses/GPL-2 and /usr/share/common-licenses/LGPL-2.1.',
    ].join('\n');
    expect(copyrightValues(text)).toEqual(['GPL-2+', 'BSD-3-clause ', 'GPL-2', 'LGPL-2.1.']);
  });

  test('split on " and " / " or ", [.,] cut only at the end of an original value, sort -u', () => {
    expect(normaliseLicences(['GPL, and LGPL.', 'Artistic, or ZLIB', 'MIT', 'MIT', '.'])).toEqual([
      'Artistic,',
      'GPL,',
      'LGPL',
      'MIT',
      'ZLIB',
    ]);
  });
});

describe('dpkg status', () => {
  test('Status abbreviations, and which repo-info lists', () => {
    expect(
      [
        'install ok installed',
        'deinstall ok config-files',
        'hold ok installed',
        'install reinstreq half-installed',
      ].map(statusAbbrev),
    ).toEqual(['ii ', 'rc ', 'hi ', 'iHR']);
    const { packages } = readDpkgStatus(
      bytes(
        'Package: a\nStatus: install ok installed\n\nPackage: b\nStatus: deinstall ok config-files\n\n' +
          'Package: c\nStatus: hold ok installed\n\nPackage: d\nStatus: install reinstreq half-installed\n\n' +
          'Package: e\nStatus: install ok not-installed\n',
      ),
    );
    expect(packages.filter(isListed).map((p) => p.name)).toEqual(['a', 'c']);
  });

  test('Source with and without a version; field names in any case', () => {
    const { packages } = readDpkgStatus(
      bytes(
        'package: a\nsource: src (1:2-3)\nVersion: 1:2-3+b1\n\nPackage: b\nSource: other\nVersion: 4\n',
      ),
    );
    expect(packages.map((p) => [p.source, p.sourceVersion])).toEqual([
      ['src', '1:2-3'],
      ['other', '4'],
    ]);
  });

  test('status.d: md5sums and maintainer scripts are not packages', () => {
    const { packages } = readDpkgStatusD([
      { name: 'libbz2-1.0', bytes: bytes('Package: libbz2-1.0\nVersion: 1\n') },
      { name: 'libbz2-1.0.md5sums', bytes: bytes('0123  usr/lib/x\n') },
      { name: 'libbz2-1.0.preinst', bytes: bytes('#!/bin/sh\n') },
    ]);
    expect(packages.map((p) => [p.name, p.statusAbbrev])).toEqual([['libbz2-1.0', 'ii ']]);
  });
});

test('os-release: quotes and escapes as sh reads them', () => {
  const d = readOsRelease(
    bytes(
      'NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID=\'12\'\nPRETTY_NAME="A \\"q\\" \\$x"\n# c\nID_LIKE="rhel fedora"\n',
    ),
  );
  expect([d.name, d.id, d.versionId, d.prettyName, d.idLike]).toEqual([
    'Debian GNU/Linux',
    'debian',
    '12',
    'A "q" $x',
    ['rhel', 'fedora'],
  ]);
});
