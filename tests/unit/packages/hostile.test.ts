/** Broken and hostile package databases: each gives a typed problem naming the file, keeps
 * the packages it still can, and ends quickly whatever it claims. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { readApkInstalled } from '../../../src/lib/packages/apk.ts';
import { copyrightValues, normaliseLicences } from '../../../src/lib/packages/copyright.ts';
import { readDpkgStatus } from '../../../src/lib/packages/dpkg.ts';
import { readOsRelease } from '../../../src/lib/packages/os-release.ts';
import { MAX_RPM_HEADER_BYTES } from '../../../src/lib/packages/limits.ts';
import type { PackageProblem } from '../../../src/lib/packages/model.ts';
import { readHeader } from '../../../src/lib/packages/rpm/header.ts';
import { readRpmDatabase } from '../../../src/lib/packages/rpm/index.ts';
import { sqliteHeaderBlobs } from '../../../src/lib/packages/rpm/sqlite.ts';
import { packageFixture, rootfsOf } from './extract.ts';

const SQLITE = 'var/lib/rpm/rpmdb.sqlite';
const BDB = 'var/lib/rpm/Packages';
const NDB = 'usr/lib/sysimage/rpm/Packages.db';
const dbOf = (fixture: string, path: string) =>
  new Uint8Array(rootfsOf(packageFixture(fixture)).read(path)!);
const sqlite = dbOf('rpm-sqlite-mariner2.tar', SQLITE);
const bdb = dbOf('rpm-bdb-transplant-mariner2.tar', BDB);
const ndb = dbOf('rpm-ndb-sle15.tar', NDB);
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const bytes = (s: string) => new TextEncoder().encode(s);
const codes = (ps: PackageProblem[]) => [...new Set(ps.map((p) => p.code))];

/** Runs a read and checks that every problem names `path`. (The reads are synchronous: one
 * that looped would never return and the run would fail on its time limit; no clock here.) */
function namingPath<T extends { problems: PackageProblem[] }>(path: string, read: () => T): T {
  const out = read();
  for (const p of out.problems) expect(p.where).toContain(path);
  return out;
}

describe('truncated databases', () => {
  test.each([
    ['sqlite', sqlite, SQLITE],
    ['bdb', bdb, BDB],
    ['ndb', ndb, NDB],
  ] as const)(
    '%s cut anywhere: no throw, a problem naming the file, what is left still read',
    (_, db, path) => {
      const full = readRpmDatabase(db, path).packages.length;
      for (const cut of [
        0,
        7,
        16,
        31,
        100,
        511,
        4096,
        4097,
        db.length >> 2,
        db.length >> 1,
        db.length - 1,
      ]) {
        const out = namingPath(path, () => readRpmDatabase(db.subarray(0, cut), path));
        // Cutting only trailing padding loses nothing, and then nothing is wrong.
        if (out.packages.length < full) expect(out.problems.length).toBeGreaterThan(0);
        else expect(out.problems).toEqual([]);
      }
      const half = readRpmDatabase(db.subarray(0, db.length >> 1), path);
      expect(half.packages.length).toBeGreaterThan(0);
    },
  );
});

describe('a header blob claiming 2 GiB', () => {
  test('alone: a too-large problem, nothing allocated', () => {
    const blob = new Uint8Array(16 + 16);
    view(blob).setUint32(0, 1);
    view(blob).setUint32(4, 0x80000000);
    expect(() => readHeader(blob, 'x')).toThrow(/more than/);
  });

  test('in NDB: that package is a problem, the other 34 are read', () => {
    const db = ndb.slice();
    const slot = 32; // the first slot after the header
    const blobAt = view(db).getUint32(slot + 8, true) * 16;
    view(db).setUint32(blobAt + 12, 0x80000000, true);
    const out = namingPath(NDB, () => readRpmDatabase(db, NDB));
    expect(codes(out.problems)).toEqual(['package-db-too-large']);
    expect(out.packages).toHaveLength(34);
  });

  test('in Berkeley DB: an overflow item claiming 2 GiB is refused, the other 128 are read', () => {
    const db = bdb.slice();
    const pageSize = view(db).getUint32(20, true);
    let patched = false;
    for (let n = 1; !patched && (n + 1) * pageSize <= db.length; n++) {
      const pg = n * pageSize;
      if (db[pg + 25] !== 13) continue;
      const entries = view(db).getUint16(pg + 20, true);
      for (let i = 1; i < entries && !patched; i += 2) {
        const at = pg + view(db).getUint16(pg + 26 + 2 * i, true);
        if (db[at] === 3) {
          view(db).setUint32(at + 8, 0x80000000, true);
          patched = true;
        }
      }
    }
    const out = namingPath(BDB, () => readRpmDatabase(db, BDB));
    expect(codes(out.problems)).toEqual(['package-db-too-large']);
    expect(out.packages).toHaveLength(128);
  });

  test('in SQLite: a blob whose header claims 2 GiB is a problem, the other 128 are read', () => {
    const db = sqlite.slice();
    // The first blob's cell, as the reader names it: `<path> page N cell i`.
    const [, n, i] = /page (\d+) cell (\d+)$/
      .exec(sqliteHeaderBlobs(db, SQLITE).blobs[0]!.where)!
      .map(Number);
    const pg = (n! - 1) * view(db).getUint16(16);
    let at = pg + view(db).getUint16(pg + 8 + 2 * i!);
    for (let v = 0; v < 2; v++) while (db[at++]! & 0x80); // payload size, rowid
    const headerSize = db[at]!;
    expect(db[at + 1]).toBe(0); // hnum is stored as NULL: the blob comes right after the header
    view(db).setUint32(at + headerSize + 4, 0x7fffffff);
    const patched = true;
    expect(patched).toBe(true);
    const out = namingPath(SQLITE, () => readRpmDatabase(db, SQLITE));
    expect(codes(out.problems)).toEqual(['package-db-too-large']);
    expect(out.packages).toHaveLength(128);
  });

  test(`a header just under the cap is still read (cap ${MAX_RPM_HEADER_BYTES} bytes)`, () => {
    const ok = readRpmDatabase(ndb, NDB);
    expect(ok.problems).toEqual([]);
  });
});

describe('loops', () => {
  test('a SQLite B-tree page that points back to itself: read once, a loop problem', () => {
    const db = sqlite.slice();
    const pageSize = view(db).getUint16(16);
    let looped = 0;
    for (let n = 2; n * pageSize <= db.length; n++) {
      const pg = (n - 1) * pageSize;
      if (db[pg] === 5) {
        view(db).setUint32(pg + 8, n); // right-most child := itself
        looped = n;
        break;
      }
    }
    expect(looped).toBeGreaterThan(0);
    const out = namingPath(SQLITE, () => readRpmDatabase(db, SQLITE));
    expect(codes(out.problems)).toEqual(['package-db-loop']);
    expect(out.problems[0]!.where).toBe(`${SQLITE} page ${looped}`);
    expect(out.packages.length).toBeGreaterThan(0);
    expect(out.packages.length).toBeLessThan(129);
  });

  test('a Berkeley DB overflow chain that loops: that package is a problem, the rest read', () => {
    const db = bdb.slice();
    const pageSize = view(db).getUint32(20, true);
    for (let n = 1; (n + 1) * pageSize <= db.length; n++) {
      const pg = n * pageSize;
      if (db[pg + 25] === 7 && view(db).getUint32(pg + 16, true) !== 0) {
        view(db).setUint32(pg + 16, n, true); // next page := itself
        break;
      }
    }
    const out = namingPath(BDB, () => readRpmDatabase(db, BDB));
    expect(codes(out.problems)).toEqual(['package-db-loop']);
    expect(out.packages).toHaveLength(128);
  });
});

describe('huge text records', () => {
  const para = (name: string) => `Package: ${name}\nStatus: install ok installed\nVersion: 1\n`;

  test('a 10 MB dpkg status paragraph is skipped with a problem; the others are read', () => {
    const big = `Package: big\nDescription: x\n${' .'.repeat(5_000_000)}\n`;
    const status = new TextEncoder().encode(`${para('a')}\n${big}\n${para('b')}`);
    const out = namingPath('var/lib/dpkg/status', () => readDpkgStatus(status));
    expect(out.packages.map((p) => p.name)).toEqual(['a', 'b']);
    expect(out.problems).toEqual([
      expect.objectContaining({ code: 'package-db-too-large', where: 'var/lib/dpkg/status:5' }),
    ]);
  });

  test('a 10 MB single line in a dpkg paragraph, and in apk installed', () => {
    const line = `Description: ${'x'.repeat(10_000_000)}`;
    const status = new TextEncoder().encode(`${para('a')}${line}\n\n${para('b')}`);
    expect(
      namingPath('var/lib/dpkg/status', () => readDpkgStatus(status)).packages.map((p) => p.name),
    ).toEqual(['b']);
    const apk = new TextEncoder().encode(
      `P:a\nV:1\n\nP:big\nT:${'x'.repeat(10_000_000)}\n\nP:b\nV:2\n`,
    );
    const out = namingPath('lib/apk/db/installed', () => readApkInstalled(apk));
    expect(out.packages.map((p) => p.name)).toEqual(['a', 'b']);
    expect(codes(out.problems)).toEqual(['package-db-too-large']);
  });
});

describe('random corruption never throws and never hangs', () => {
  let seed = 0x2545f491;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  test.each([
    ['sqlite', sqlite, SQLITE],
    ['bdb', bdb, BDB],
    ['ndb', ndb, NDB],
  ] as const)('%s: 60 copies with 40 bytes changed each', (_, db, path) => {
    for (let round = 0; round < 60; round++) {
      const bad = db.slice();
      for (let i = 0; i < 40; i++)
        bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
      namingPath(path, () => readRpmDatabase(bad, path));
    }
  });

  test('not a database at all', () => {
    const out = readRpmDatabase(new TextEncoder().encode('hello'), BDB);
    expect(codes(out.problems)).toEqual(['package-db-unknown-format']);
  });
});

describe('SQLite WAL', () => {
  const wal = new Uint8Array(readFileSync(packageFixture('wal/mariner2-rpmdb.sqlite-wal')));
  const names = (ps: { name: string }[]) => ps.map((p) => p.name).sort();

  test('committed frames are applied: rows 1 and 2 deleted, row 3 copied', () => {
    const before = readRpmDatabase(sqlite, SQLITE);
    const after = readRpmDatabase(sqlite, SQLITE, wal);
    expect(after.problems).toEqual([]);
    const p = before.packages;
    expect(names(after.packages)).toEqual(names([...p.slice(2), p[2]!]));
  });

  test('a WAL cut inside its second commit keeps the first', () => {
    const p = readRpmDatabase(sqlite, SQLITE).packages;
    const cut = readRpmDatabase(sqlite, SQLITE, wal.subarray(0, wal.length - 100));
    expect(names(cut.packages)).toEqual(names(p.slice(2)));
  });

  test('a WAL with a broken header is ignored with a problem naming it', () => {
    const bad = wal.slice();
    bad[0] = 0;
    const out = readRpmDatabase(sqlite, SQLITE, bad);
    expect(out.packages).toHaveLength(129);
    expect(out.problems).toEqual([
      expect.objectContaining({ code: 'package-db-corrupt', where: `${SQLITE}-wal` }),
    ]);
  });
});

test('an empty file is a truncated database; a flood of problems is capped per file', () => {
  expect(readRpmDatabase(new Uint8Array(0), BDB).problems).toEqual([
    expect.objectContaining({ code: 'package-db-truncated', where: BDB }),
  ]);
  const status = bytes(Array.from({ length: 500 }, () => 'Version: 1\n').join('\n'));
  const out = readDpkgStatus(status);
  expect(out.problems).toHaveLength(51);
  expect(out.problems[50]).toEqual({
    code: 'package-record-invalid',
    where: 'var/lib/dpkg/status',
    message: 'and 450 more problems like these',
  });
});

describe('text readers on arbitrary bytes', () => {
  test('apk, dpkg, os-release and copyright never throw', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.string({ maxLength: 500 }),
        (raw, text) => {
          for (const b of [raw, bytes(text)]) {
            readApkInstalled(b);
            readDpkgStatus(b);
            readOsRelease(b);
            normaliseLicences(copyrightValues(new TextDecoder().decode(b)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

test('a big-endian Berkeley DB (as s390x writes it) reads the same 129 packages', () => {
  // Byte-swap every field the reader uses; header blobs are big-endian already and stay.
  const db = bdb.slice();
  const v = view(db);
  const swap32 = (at: number) => v.setUint32(at, v.getUint32(at, true), false);
  const swap16 = (at: number) => v.setUint16(at, v.getUint16(at, true), false);
  const pageSize = v.getUint32(20, true);
  for (const at of [12, 20, 32]) swap32(at);
  for (let n = 1; (n + 1) * pageSize <= db.length; n++) {
    const pg = n * pageSize;
    const type = db[pg + 25];
    if (type === 13 || type === 2) {
      const entries = v.getUint16(pg + 20, true);
      for (let i = 0; i < entries; i++) {
        const at = pg + v.getUint16(pg + 26 + 2 * i, true);
        if (i % 2 === 1 && db[at] === 3) [at + 4, at + 8].forEach(swap32);
        swap16(pg + 26 + 2 * i);
      }
    }
    if (type === 7) swap32(pg + 16);
    [pg + 20, pg + 22].forEach(swap16);
  }
  const le = readRpmDatabase(bdb, BDB).packages;
  const be = readRpmDatabase(db, BDB);
  expect(be.problems).toEqual([]);
  expect(be.packages).toEqual(le);
  expect(be.packages).toHaveLength(129);
});
