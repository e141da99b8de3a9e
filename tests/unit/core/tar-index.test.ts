/**
 * indexTar (headers only, random access) and TarArchive.lookup over archives built in memory
 * with tar-builder.ts: ustar prefixes, pax path/size, GNU long names, `./` prefixes, links,
 * base-256 sizes, truncation.
 */
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { TarArchive, indexTar } from '../../../src/lib/archive/tar-index.ts';
import {
  concat,
  dir,
  file,
  gnuLong,
  hardlink,
  header,
  pax,
  symlink,
  tar,
} from '../../support/tar-builder.ts';

const LONG = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(70)}.json`; // 193 bytes

async function index(archive: Uint8Array, name = 'test.tar') {
  return indexTar(bytesSource(archive, name));
}

async function open(archive: Uint8Array) {
  const src = bytesSource(archive, 'test.tar');
  const { entries, problems } = await indexTar(src);
  return new TarArchive(src, entries, problems);
}

async function text(archive: TarArchive, name: string): Promise<string | undefined> {
  const entry = archive.lookup(name);
  return entry && new TextDecoder().decode(await archive.read(entry, 1 << 20));
}

describe('indexTar', () => {
  it('lists plain ustar entries with sizes and data offsets', async () => {
    const { entries, problems } = await index(
      tar(dir('blobs/'), file('blobs/a', 'hello'), file('index.json', '{}')),
    );
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.name, e.type, e.size, e.dataOffset, e.truncated])).toEqual([
      ['blobs', 'directory', 0, 512, false],
      ['blobs/a', 'file', 5, 1024, false],
      ['index.json', 'file', 2, 2048, false],
    ]);
  });

  it('joins the ustar prefix field to the name', async () => {
    const { entries } = await index(tar(file('c.json', 'x', { prefix: 'a/b' })));
    expect(entries[0]!.rawName).toBe('a/b/c.json');
  });

  it('does not take GNU atime/ctime bytes at offset 345 for a prefix', async () => {
    const junk = new TextEncoder().encode('12345670123\0');
    const { entries } = await index(tar(file('x.json', 'x', { format: 'gnu', at345: junk })));
    expect(entries[0]!.rawName).toBe('x.json');
  });

  it('applies pax path and size records to the next entry only', async () => {
    const data = 'seven b';
    const archive = tar(
      pax({ path: LONG, size: String(data.length) }),
      // The header's own size field says 0: pax wins, and the next header is found after 7 bytes.
      concat(header('short-name', { size: 0 }), file('', data).subarray(512)),
      file('after.txt', 'ok'),
    );
    const a = await open(archive);
    expect(a.entries.map((e) => [e.rawName, e.size])).toEqual([
      [LONG, 7],
      ['after.txt', 2],
    ]);
    expect(await text(a, LONG)).toBe(data);
    expect(await text(a, 'after.txt')).toBe('ok');
  });

  it('reads GNU L long names and K long link names', async () => {
    const target = `${'t'.repeat(120)}/layer.tar`;
    const a = await open(
      tar(
        gnuLong(LONG),
        file(LONG.slice(0, 99), '{"a":1}', { format: 'gnu' }),
        gnuLong(target),
        file(target.slice(0, 99), 'layer', { format: 'gnu' }),
        gnuLong(target, 'K'),
        header('link', { type: '2', linkName: target.slice(0, 99), format: 'gnu' }),
      ),
    );
    expect(a.entries.map((e) => e.rawName)).toEqual([LONG, target, 'link']);
    expect(a.entries[2]!.linkName).toBe(target);
    expect(await text(a, LONG)).toBe('{"a":1}');
    expect(await text(a, 'link')).toBe('layer');
  });

  it('normalizes ./ prefixes, . segments and doubled slashes', async () => {
    const a = await open(tar(file('./index.json', '{}'), file('./blobs//sha256/./ab', 'b')));
    expect(a.entries.map((e) => e.name)).toEqual(['index.json', 'blobs/sha256/ab']);
    expect(await text(a, 'index.json')).toBe('{}');
    expect(await text(a, './blobs/sha256/ab')).toBe('b');
  });

  it('reads GNU base-256 sizes', async () => {
    const a = await open(tar(file('big', 'base256!', { base256Size: true }), file('next', 'n')));
    expect(a.entries.map((e) => [e.name, e.size])).toEqual([
      ['big', 8],
      ['next', 1],
    ]);
    expect(await text(a, 'next')).toBe('n');
  });

  it('reports a header cut short as tar-truncated and keeps the entries before it', async () => {
    const whole = tar(file('a', 'aaa'), file('b', 'bbb'));
    const { entries, problems } = await index(whole.subarray(0, 1024 + 296));
    expect(entries.map((e) => e.name)).toEqual(['a']);
    expect(problems.map((p) => p.code)).toEqual(['tar-truncated']);
    expect(problems[0]!.message).toMatch(/296 bytes into a tar header at offset 1024/);
  });

  it('reports data cut short as tar-truncated naming the entry', async () => {
    const whole = tar(file('a', 'aaa'), file('blob', 'x'.repeat(800)));
    const { entries, problems } = await index(whole.subarray(0, 1024 + 512 + 399));
    expect(entries.map((e) => [e.name, e.truncated])).toEqual([
      ['a', false],
      ['blob', true],
    ]);
    expect(problems.map((p) => [p.code, p.where])).toEqual([['tar-truncated', 'blob']]);
    expect(problems[0]!.message).toMatch(/399 of 800 bytes/);
  });

  it('stops at a header with a bad checksum', async () => {
    const bad = file('b', 'b');
    bad[0] = 'X'.charCodeAt(0);
    const { entries, problems } = await index(tar(file('a', 'a'), bad, file('c', 'c')));
    expect(entries.map((e) => e.name)).toEqual(['a']);
    expect(problems.map((p) => p.code)).toEqual(['tar-header-invalid']);
  });

  it('says "not a tar archive" when the very first header is invalid', async () => {
    const { entries, problems } = await index(new TextEncoder().encode('x'.repeat(2048)));
    expect(entries).toEqual([]);
    expect(problems[0]!.message).toMatch(/not a tar archive/);
  });

  it('reports a pax record cut short, and progress up to the archive size', async () => {
    const whole = tar(file('a', 'A'), pax({ path: LONG }), file('b', 'B'));
    const seen: number[] = [];
    const src = bytesSource(whole.subarray(0, 1024 + 512 + 20), 'cut.tar');
    const { entries, problems } = await indexTar(src, { onProgress: (n) => void seen.push(n) });
    expect(entries.map((e) => e.name)).toEqual(['a']);
    expect(problems.map((p) => p.code)).toEqual(['tar-truncated']);
    expect(problems[0]!.message).toMatch(
      /pax\/GNU record at offset 1024 \(20 of \d+ bytes present\)/,
    );
    expect(seen.at(-1)).toBe(src.size);
  });

  it('stops after maxEntries', async () => {
    const src = bytesSource(tar(file('a'), file('b'), file('c')), 't.tar');
    const { problems } = await indexTar(src, { maxEntries: 2 });
    expect(problems.map((p) => p.code)).toEqual(['too-many-entries']);
  });
});

describe('TarArchive.lookup', () => {
  it('follows a relative symlink into another directory (docker save layer.tar links)', async () => {
    const a = await open(
      tar(file('aaa/layer.tar', 'layer bytes'), symlink('bbb/layer.tar', '../aaa/layer.tar')),
    );
    expect(a.lookup('bbb/layer.tar')?.name).toBe('aaa/layer.tar');
    expect(await text(a, 'bbb/layer.tar')).toBe('layer bytes');
  });

  it('follows hard links (named from the archive root) and chains of links', async () => {
    const a = await open(
      tar(file('x/data', 'D'), hardlink('y/hard', './x/data'), symlink('y/soft', 'hard')),
    );
    expect(a.lookup('y/hard')?.name).toBe('x/data');
    expect(a.lookup('y/soft')?.name).toBe('x/data');
    expect(a.problems).toEqual([]);
  });

  it('gives up on link loops without hanging', async () => {
    const a = await open(tar(symlink('a', 'b'), symlink('b', 'a')));
    expect(a.lookup('a')).toBeUndefined();
  });

  it('does not follow a symlink out of the archive, and reports link-escapes', async () => {
    const a = await open(
      tar(symlink('evil', '../../../etc/passwd'), symlink('abs', '/etc/passwd'), file('ok', '1')),
    );
    expect(a.lookup('evil')).toBeUndefined();
    expect(a.lookup('abs')).toBeUndefined();
    expect(a.lookup('evil')).toBeUndefined();
    expect(a.problems.map((p) => [p.code, p.where])).toEqual([
      ['link-escapes', 'evil'],
      ['link-escapes', 'abs'],
    ]);
  });

  it('ignores unsafe entry names (../, absolute) and reports entry-path-unsafe', async () => {
    const a = await open(
      tar(file('../outer-evil.txt', 'x'), file('/abs.txt', 'y'), file('ok', 'z')),
    );
    expect(a.entries.map((e) => e.name)).toEqual([null, null, 'ok']);
    expect(a.lookup('outer-evil.txt')).toBeUndefined();
    expect(a.lookup('abs.txt')).toBeUndefined();
    expect(a.problems.map((p) => [p.code, p.where])).toEqual([
      ['entry-path-unsafe', '../outer-evil.txt'],
      ['entry-path-unsafe', '/abs.txt'],
    ]);
  });

  it('uses the last copy of a duplicate entry and reports entry-duplicate', async () => {
    const a = await open(tar(file('index.json', '1'), file('./index.json', '2')));
    expect(await text(a, 'index.json')).toBe('2');
    expect(a.problems.map((p) => [p.code, p.where])).toEqual([['entry-duplicate', 'index.json']]);
  });

  it('refuses to read a truncated entry', async () => {
    const whole = tar(file('blob', 'x'.repeat(800)));
    const a = await open(whole.subarray(0, 512 + 100));
    await expect(a.read(a.lookup('blob')!, 1 << 20)).rejects.toMatchObject({
      code: 'entry-truncated',
      where: 'blob',
    });
  });
});
