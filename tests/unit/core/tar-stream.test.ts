/**
 * readTarStream (one sequential pass, any chunking) against indexTar; the header and path
 * helpers; and archives written by GNU tar itself (gnu, pax, ustar formats).
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  linkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArchiveEntry } from '../../../src/lib/archive/archive.ts';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { baseName, normalizeEntryName, resolveRelative } from '../../../src/lib/archive/paths.ts';
import {
  checksumOk,
  entryType,
  isZeroBlock,
  paddedSize,
  parseNumber,
  parsePax,
} from '../../../src/lib/archive/tar-header.ts';
import { TarArchive, indexTar } from '../../../src/lib/archive/tar-index.ts';
import { readTarStream } from '../../../src/lib/archive/tar-stream.ts';
import { TarParser, type TarHeader } from '../../../src/lib/archive/tar-parser.ts';
import { file, gnuLong, hardlink, header, pax, symlink, tar } from '../../support/tar-builder.ts';

const dec = new TextDecoder();
const LONG = `${'p'.repeat(90)}/${'q'.repeat(90)}/${'r'.repeat(90)}.json`;

/** Returns a stream of the bytes in chunks of `size`. */
function chunked(data: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= data.length) return c.close();
      c.enqueue(data.slice(at, at + size));
      at += size;
    },
  });
}

/** Streams an archive; returns its entries, each file's data and the problems. */
async function stream(data: Uint8Array, size: number) {
  const contents = new Map<string, string>();
  const parts: Uint8Array[] = [];
  const result = await readTarStream(chunked(data, size), {
    data: (_e, chunk) => void parts.push(chunk.slice()),
    end: (e) => {
      contents.set(e.rawName, parts.map((p) => dec.decode(p)).join(''));
      parts.length = 0;
    },
  });
  return { ...result, contents };
}

const shape = (e: ArchiveEntry) => [e.rawName, e.name, e.type, e.size, e.dataOffset, e.linkName];

const SAMPLE = tar(
  file('./oci-layout', '{"imageLayoutVersion":"1.0.0"}'),
  file('c.json', '{"prefix":true}', { prefix: 'a/b' }),
  pax({ path: LONG }),
  file('ignored', 'x'.repeat(700)),
  gnuLong(`${LONG}.gnu`),
  file('ignored-too', '{}', { format: 'gnu' }),
  symlink('link', 'c.json'),
  hardlink('hard', './oci-layout'),
  file('big', 'base-256 sized', { base256Size: true }),
);

describe('readTarStream', () => {
  for (const size of [1, 7, 511, 512, 513, 1 << 20]) {
    it(`gives the entries indexTar gives, with their data, in chunks of ${size}`, async () => {
      const expected = (await indexTar(bytesSource(SAMPLE, 's.tar'))).entries.map(shape);
      const { entries, problems, contents } = await stream(SAMPLE, size);
      expect(problems).toEqual([]);
      expect(entries.map(shape)).toEqual(expected);
      expect(contents.get('a/b/c.json')).toBe('{"prefix":true}');
      expect(contents.get(LONG)).toBe('x'.repeat(700));
      expect(contents.get(`${LONG}.gnu`)).toBe('{}');
      expect(contents.get('big')).toBe('base-256 sized');
    });
  }

  it('reports a header cut short', async () => {
    const { entries, problems } = await stream(SAMPLE.subarray(0, 1024 + 100), 64);
    expect(entries.map((e) => e.name)).toEqual(['oci-layout']);
    expect(problems.map((p) => p.code)).toEqual(['tar-truncated']);
    expect(problems[0]!.message).toMatch(/100 bytes into a tar header at offset 1024/);
  });

  it('reports data cut short, naming the entry and marking it truncated', async () => {
    const { entries, problems } = await stream(SAMPLE.subarray(0, 512 + 10), 64);
    expect(entries.map((e) => [e.name, e.truncated])).toEqual([['oci-layout', true]]);
    expect(problems.map((p) => [p.code, p.where])).toEqual([['tar-truncated', './oci-layout']]);
  });

  it('stops at a header with a bad checksum', async () => {
    const bad = SAMPLE.slice();
    bad[1024 + 3] = bad[1024 + 3]! ^ 1;
    const { entries, problems, fault } = await stream(bad, 4096);
    expect(entries.map((e) => e.name)).toEqual(['oci-layout']);
    expect(problems.map((p) => p.code)).toEqual(['tar-header-invalid']);
    expect(fault).toBe(problems[0]);
  });

  it('reads on past a note (a pax global header): no fault', async () => {
    const { entries, problems, fault } = await stream(
      tar(pax({ comment: 'git' }, 'g'), file('a', 'A')),
      100,
    );
    expect(entries.map((e) => e.name)).toEqual(['a']);
    expect(problems.map((p) => p.code)).toEqual(['tar-global-header']);
    expect(fault).toBeNull();
  });
});

describe('TarParser', () => {
  it('gives each header as Go returns it: pax uid/mtime/path applied, NUL typeflag promoted', () => {
    const headers: TarHeader[] = [];
    const parser = new TarParser({ entry: (_e, h) => void headers.push(h) });
    parser.push(
      tar(
        pax({ path: 'long/name', uid: '1000', mtime: '1700000000.25' }),
        file('x', 'data'),
        file('d/', '', { type: '\0' }),
      ),
      true,
    );
    expect(headers).toEqual([
      {
        name: 'long/name',
        linkName: '',
        typeflag: '0',
        size: 4,
        mode: 0o644,
        uid: 1000,
        gid: 0,
        mtime: 1700000000,
      },
      { name: 'd/', linkName: '', typeflag: '5', size: 0, mode: 0o644, uid: 0, gid: 0, mtime: 0 },
    ]);
    expect([parser.done, parser.fault, parser.count]).toEqual([true, null, 2]);
  });
});

describe('tar-header', () => {
  const field = (text: string, length = 12) => {
    const b = new Uint8Array(length);
    b.set(new TextEncoder().encode(text));
    return b;
  };
  it('parses octal numbers with leading spaces, NUL or space terminators', () => {
    expect(parseNumber(field('00000001750\0'), 0, 12)).toBe(1000);
    expect(parseNumber(field('  1750 '), 0, 12)).toBe(1000);
    expect(parseNumber(field(''), 0, 12)).toBe(0);
    expect(parseNumber(field('12x4'), 0, 12)).toBeNaN();
  });
  it('parses GNU base-256 numbers beyond the 8 GiB octal limit', () => {
    const b = new Uint8Array(12);
    b[0] = 0x80;
    b[7] = 0x02; // 2 * 2^32 = 8 GiB
    b[11] = 0x05;
    expect(parseNumber(b, 0, 12)).toBe(2 * 2 ** 32 + 5);
  });
  it('accepts checksums computed signed or unsigned, rejects wrong ones', () => {
    const h = header('é-name');
    expect(checksumOk(h)).toBe(true);
    // Rewrite the checksum as old tars did, summing bytes as signed chars.
    let signed = 0;
    for (let i = 0; i < 512; i++) signed += i >= 148 && i < 156 ? 32 : (h[i]! << 24) >> 24;
    h.set(new TextEncoder().encode(`${signed.toString(8).padStart(6, '0')}\0 `), 148);
    expect(checksumOk(h)).toBe(true);
    h[0] = h[0]! ^ 1;
    expect(checksumOk(h)).toBe(false);
  });
  it('parses pax records by byte length, values with = and UTF-8', () => {
    const rec = pax({ path: 'dé/ü.json', comment: 'a=b', size: '12' }).subarray(512);
    const end = rec.indexOf(0);
    expect(parsePax(rec.subarray(0, end))).toEqual([
      ['path', 'dé/ü.json'],
      ['comment', 'a=b'],
      ['size', '12'],
    ]);
  });
  it('knows types, zero blocks and padding', () => {
    expect(['0', '7', '1', '2', '5', 'x', '3'].map(entryType)).toEqual([
      'file',
      'file',
      'hardlink',
      'symlink',
      'directory',
      'other',
      'other',
    ]);
    expect(isZeroBlock(new Uint8Array(512))).toBe(true);
    expect(isZeroBlock(header('a'))).toBe(false);
    expect([0, 1, 512, 513].map(paddedSize)).toEqual([0, 512, 512, 1024]);
  });
});

describe('paths', () => {
  it('normalizes names and refuses absolute or climbing ones', () => {
    expect(normalizeEntryName('./index.json')).toBe('index.json');
    expect(normalizeEntryName('blobs//sha256/./ab/')).toBe('blobs/sha256/ab');
    expect(normalizeEntryName('./')).toBe('');
    expect(normalizeEntryName('../x')).toBeNull();
    expect(normalizeEntryName('a/../../x')).toBeNull();
    expect(normalizeEntryName('/etc/passwd')).toBeNull();
  });
  it('resolves symlink targets against the link directory', () => {
    expect(resolveRelative('a/layer.tar', '../b/layer.tar')).toBe('b/layer.tar');
    expect(resolveRelative('a/b/link', './c')).toBe('a/b/c');
    expect(resolveRelative('link', 'x/../y')).toBe('y');
    expect(resolveRelative('link', '../x')).toBeNull();
    expect(resolveRelative('a/link', '/x')).toBeNull();
    expect(baseName('a/b/c.tar')).toBe('c.tar');
    expect(baseName('c.tar')).toBe('c.tar');
  });
});

describe('archives written by GNU tar', () => {
  const work = mkdtempSync(join(tmpdir(), 'stevedore-core-tar-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const root = join(work, 'root');
  // 189-byte names: GNU needs an L record, pax a path record, ustar the prefix field.
  const deep = `${'d'.repeat(90)}/${'e'.repeat(50)}`;
  mkdirSync(join(root, deep), { recursive: true });
  mkdirSync(join(root, 'blobs'));
  writeFileSync(join(root, deep, `${'f'.repeat(40)}.json`), '{"deep":true}');
  writeFileSync(join(root, 'blobs', 'layer.tar'), 'L'.repeat(1500));
  symlinkSync('../../blobs/layer.tar', join(root, deep, 'layer.tar'));
  linkSync(join(root, 'blobs', 'layer.tar'), join(root, 'hard.tar'));
  const deepFile = `${deep}/${'f'.repeat(40)}.json`;

  for (const format of ['gnu', 'pax', 'ustar']) {
    it(`--format=${format}: long names, ./ prefixes, symlink and hard link`, async () => {
      const path = join(work, `${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-cf', path, '-C', root, '.']);
      const bytes = new Uint8Array(readFileSync(path));
      const src = bytesSource(bytes, `${format}.tar`);
      const { entries, problems } = await indexTar(src);
      expect(problems).toEqual([]);
      const a = new TarArchive(src, entries, problems);
      const read = async (n: string) => dec.decode(await a.read(a.lookup(n)!, 1 << 20));
      expect(await read(deepFile)).toBe('{"deep":true}');
      expect(await read(`${deep}/layer.tar`)).toBe('L'.repeat(1500));
      expect(await read('hard.tar')).toBe('L'.repeat(1500));
      expect(a.problems).toEqual([]);
      const streamed = await stream(bytes, 1000);
      expect(streamed.entries.map(shape)).toEqual(entries.map(shape));
    });
  }

  it('tar-builder.ts writes archives GNU tar lists without complaint', () => {
    const path = join(work, 'builder.tar');
    writeFileSync(path, SAMPLE);
    const listing = execFileSync('tar', ['-tf', path], { encoding: 'utf8' });
    expect(listing.split('\n').filter(Boolean)).toEqual([
      './oci-layout',
      'a/b/c.json',
      LONG,
      `${LONG}.gnu`,
      'link',
      'hard',
      'big',
    ]);
  });
});
