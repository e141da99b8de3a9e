/** rpm header blobs built here tag by tag: public keys, repeated (dribble) tags, LONGSIZE,
 * broken offsets; and a minimal Berkeley DB holding a header inline (H_KEYDATA). */
import { describe, expect, test } from 'vitest';
import { rpmSection } from '../../../src/lib/packages/local-report-sections.ts';
import { readHeader } from '../../../src/lib/packages/rpm/header.ts';
import { readRpmDatabase } from '../../../src/lib/packages/rpm/index.ts';

type Field = [tag: number, value: string | number | bigint];

/** Returns a header blob: strings as STRING (6), numbers as INT32 (4), bigints as INT64 (5). */
function headerBlob(fields: Field[]): Uint8Array {
  const data: number[] = [];
  const index: number[][] = [];
  for (const [tag, value] of fields) {
    const align = typeof value === 'bigint' ? 8 : typeof value === 'number' ? 4 : 1;
    while (data.length % align) data.push(0);
    const type = typeof value === 'bigint' ? 5 : typeof value === 'number' ? 4 : 6;
    index.push([tag, type, data.length, 1]);
    if (typeof value === 'string') data.push(...new TextEncoder().encode(value), 0);
    else {
      const b = new DataView(new ArrayBuffer(align));
      if (typeof value === 'bigint') b.setBigUint64(0, value);
      else b.setUint32(0, value);
      data.push(...new Uint8Array(b.buffer));
    }
  }
  const out = new Uint8Array(8 + 16 * index.length + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, index.length);
  v.setUint32(4, data.length);
  index.forEach((e, i) => e.forEach((x, j) => v.setUint32(8 + 16 * i + 4 * j, x)));
  out.set(data, 8 + 16 * index.length);
  return out;
}

describe('header blobs', () => {
  test('an imported public key: no ARCH, SOURCERPM "(none)", licence pubkey', () => {
    const p = readHeader(
      headerBlob([
        [1000, 'gpg-pubkey'],
        [1001, 'ad986da3'],
        [1002, '5cabf60d'],
        [1014, 'pubkey'],
        [1044, '(none)'],
        [1009, 0],
      ]),
      'x',
    );
    expect(p).toMatchObject({
      name: 'gpg-pubkey',
      arch: null,
      sourceRpm: null,
      license: 'pubkey',
      size: 0,
    });
    expect(rpmSection([p], false)).toBe(
      '\n## `rpm` (`.rpm`-based packages)\n\n### `rpm` package: `gpg-pubkey-ad986da3-5cabf60d`\n\nLicenses (from `rpm --query`): pubkey\n',
    );
  });

  test('a tag listed again after the region (dribble) takes the later value; LONGSIZE when no SIZE', () => {
    const p = readHeader(
      headerBlob([
        [1000, 'a'],
        [1014, 'old'],
        [5009, 5_000_000_000n],
        [1014, 'new'],
      ]),
      'x',
    );
    expect([p.license, p.size]).toEqual(['new', 5_000_000_000]);
  });

  test('a missing licence gives repo-info warning; two headers with one label print both licences', () => {
    const a = readHeader(
      headerBlob([
        [1000, 'a'],
        [1001, '1'],
        [1002, '1'],
        [1022, 'noarch'],
      ]),
      'x',
    );
    const b = { ...a, license: 'MIT' };
    const c = { ...a, license: 'GPL' };
    expect(rpmSection([a], false)).toContain(
      '\n**WARNING:** unable to detect licenses (`rpm --query` failed or returned no results)!\n',
    );
    expect(rpmSection([b, c], false)).toBe(
      '\n## `rpm` (`.rpm`-based packages)\n' +
        '\n### `rpm` package: `a-1-1.noarch`\n\nLicenses (from `rpm --query`): MIT\nGPL\n'.repeat(
          2,
        ),
    );
  });

  test('offsets outside the data, strings without an end, no NAME: typed errors', () => {
    const good = headerBlob([[1000, 'name']]);
    const outside = good.slice();
    new DataView(outside.buffer).setInt32(8 + 8, 999);
    expect(() => readHeader(outside, 'x')).toThrow(/outside the data/);
    const unterminated = good.slice();
    unterminated[unterminated.length - 1] = 0x41;
    expect(() => readHeader(unterminated, 'x')).toThrow(/no string end/);
    expect(() => readHeader(headerBlob([[1001, '1']]), 'x')).toThrow(/without a NAME/);
    expect(() => readHeader(good.subarray(0, good.length - 1), 'x')).toThrow(/declares/);
  });
});

test('a Berkeley DB whose header is stored inline (H_KEYDATA), beside key 0', () => {
  const pageSize = 512;
  const db = new Uint8Array(2 * pageSize);
  const v = new DataView(db.buffer);
  v.setUint32(12, 0x061561, true);
  v.setUint32(20, pageSize, true);
  db[25] = 8; // hash metadata
  v.setUint32(32, 1, true); // last page
  const pg = pageSize;
  db[pg + 25] = 13; // hash page
  const blob = headerBlob([
    [1000, 'tiny'],
    [1001, '1'],
    [1002, '2'],
    [1022, 'x86_64'],
    [1014, 'MIT'],
  ]);
  const items = [new Uint8Array(4), Uint8Array.of(1, 0, 0, 0), Uint8Array.of(1, 0, 0, 0), blob];
  let at = pageSize;
  items.forEach((item, i) => {
    at -= item.length + 1;
    db[pg + at] = 1; // H_KEYDATA
    db.set(item, pg + at + 1);
    v.setUint16(pg + 26 + 2 * i, at, true);
  });
  v.setUint16(pg + 20, items.length, true);
  const out = readRpmDatabase(db, 'Packages');
  expect(out.problems).toEqual([]);
  expect(out.packages.map((p) => [p.name, p.version, p.release, p.arch, p.license])).toEqual([
    ['tiny', '1', '2', 'x86_64', 'MIT'],
  ]);
});
