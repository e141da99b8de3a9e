/** The SQLite reader on databases SQLite itself wrote with other page sizes, deeper trees,
 * pointer-map and free pages (tests/fixtures/packages/sqlite/README.md). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { readRpmDatabase } from '../../../src/lib/packages/rpm/index.ts';
import { packageFixture, rootfsOf } from './extract.ts';

interface Case {
  file: string;
  page_size: number;
  rows: ([string, number] | [string, string, string, string, string, number])[];
}
const cases: Case[] = JSON.parse(readFileSync(packageFixture('sqlite/expected.json'), 'utf8'));
const mariner = readRpmDatabase(
  rootfsOf(packageFixture('rpm-sqlite-mariner2.tar')).read('var/lib/rpm/rpmdb.sqlite')!,
  'var/lib/rpm/rpmdb.sqlite',
).packages; // in hnum order: the walk follows the key order

describe.each(cases)('$file', ({ file, page_size, rows }) => {
  const db = new Uint8Array(gunzipSync(readFileSync(packageFixture(`sqlite/${file}`))));

  test(`every row, in hnum order (page size ${page_size})`, () => {
    const out = readRpmDatabase(db, file);
    expect(out.backend).toBe('sqlite');
    expect(out.problems).toEqual([]);
    expect(out.packages).toEqual(
      rows.map((r) =>
        r.length === 2
          ? mariner[r[1] - 1]
          : {
              name: r[0],
              version: r[1],
              release: r[2],
              arch: r[3],
              license: r[4],
              size: r[5],
              epoch: null,
              sourceRpm: null,
              vendor: null,
              summary: null,
            },
      ),
    );
  });
});
