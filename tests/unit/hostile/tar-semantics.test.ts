/**
 * Hostile tar archives that try to make us see a different archive than Go's archive/tar
 * (Docker, containerd, crane) sees, or to make reading it cost more than linear work. Each
 * attack is built with tests/support/tar-builder.ts; where GNU tar agrees with Go, its
 * listing (`tar -tf`) is the cross-check.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ArchiveEntry } from '../../../src/lib/archive/archive.ts';
import { EntryTable } from '../../../src/lib/archive/archive.ts';
import { bytesSource, countingSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { indexTar } from '../../../src/lib/archive/tar-index.ts';
import { readTarStream } from '../../../src/lib/archive/tar-stream.ts';
import { LayerPathScanner } from '../../../src/lib/verify/layer-paths.ts';
import { checksOf } from '../../../src/lib/verify/checks.ts';
import type { PlannedBlob } from '../../../src/lib/verify/plan.ts';
import type { BlobDigests } from '../../../src/lib/verify/model.ts';
import type { Problem } from '../../../src/lib/errors.ts';
import {
  concat,
  file,
  gnuLong,
  header,
  pax,
  repeat,
  symlink,
  tar,
  withData,
} from '../../support/tar-builder.ts';
import { FIXTURES } from '../../support/paths.ts';

const dec = new TextDecoder();
const work = mkdtempSync(join(tmpdir(), 'stevedore-tar-semantics-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Returns GNU tar's listing of the archive. */
function gnuList(archive: Uint8Array): string[] {
  const path = join(work, `list-${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(path, archive);
  return execFileSync('tar', ['-tf', path], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Returns the parts back to back (too many for a spread argument list). */
function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

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

/** Returns the raw names both tar readers give, and their problems' codes. */
async function bothReaders(archive: Uint8Array) {
  const indexed = await indexTar(bytesSource(archive, 'a.tar'));
  const streamed = await readTarStream(chunked(archive, 777), {});
  const names = (r: { entries: ArchiveEntry[] }) => r.entries.map((e) => e.rawName);
  expect(names(streamed)).toEqual(names(indexed));
  expect(streamed.problems.map((p) => p.code)).toEqual(indexed.problems.map((p) => p.code));
  return { names: names(indexed), problems: indexed.problems, entries: indexed.entries };
}

/** Returns the scanner after the layer was pushed in pieces of `piece` bytes. */
function scan(layer: Uint8Array, piece = 333): LayerPathScanner {
  const scanner = new LayerPathScanner();
  for (let at = 0; at < layer.length; at += piece) scanner.push(layer.subarray(at, at + piece));
  return scanner;
}

/** Returns the layer-path check (if any) of a layer whose decoded content was `layer`. */
function layerCheck(layer: Uint8Array) {
  const blob = {
    job: { id: 0, name: 'layer.tar', size: layer.length, dataOffset: 0, decode: 'none' },
    entry: null as unknown as ArchiveEntry,
    expectations: [{ kind: 'diff-id', target: 'sha256:x', expected: 'sha256:x', what: 'layer' }],
    targets: [],
    unsupported: [],
  } as PlannedBlob;
  const unsafe = scan(layer).unsafe;
  const result: BlobDigests = {
    id: 0,
    sha256: 'sha256:x',
    length: layer.length,
    content: {
      format: 'none',
      sha256: 'sha256:x',
      length: layer.length,
      ...(unsafe.length > 0 ? { unsafePaths: unsafe } : {}),
    },
  };
  return checksOf(blob, result).find((c) => c.kind === 'layer-path');
}

describe('rule 1: header-only types have no data, whatever their size field says', () => {
  const hidden = file('manifest.json', '[{"second":true}]');

  it('a symlink with a size field cannot hide a second manifest.json', async () => {
    const archive = tar(
      file('manifest.json', '[{"first":true}]'),
      withData('link', '2', hidden, 'manifest.json'),
    );
    const { names } = await bothReaders(archive);
    expect(names).toEqual(['manifest.json', 'link', 'manifest.json']);
    for (const bytes of [archive, new Uint8Array(gzipSync(archive))]) {
      const a = await openArchive(bytesSource(bytes, 'hostile.tar'));
      const entry = a.lookup('manifest.json')!;
      expect(dec.decode(await a.read(entry, 1 << 20))).toBe('[{"second":true}]');
      expect(a.problems.map((p) => [p.code, p.where])).toContainEqual([
        'entry-duplicate',
        'manifest.json',
      ]);
      // GNU tar skips a symlink's "data": another reader sees another archive, and we say so.
      expect(a.problems.map((p) => p.code)).toContain('tar-ambiguous');
    }
  });

  for (const [type, what] of [
    ['1', 'hard link'],
    ['3', 'char device'],
    ['4', 'block device'],
    ['5', 'directory'],
    ['6', 'FIFO'],
  ] as const) {
    it(`a ${what} with a size field hides nothing (outer archive and layer scanner)`, async () => {
      const archive = tar(
        withData('x', type, concat(file('../evil', 'E'), file('ok', 'O')), 'target'),
        file('last', 'L'),
      );
      const { names } = await bothReaders(archive);
      expect(names).toEqual(['x', '../evil', 'ok', 'last']);
      expect(scan(archive).unsafe.filter((u) => u.why === 'dot-dot')).toEqual([
        { name: '../evil', why: 'dot-dot', target: null },
      ]);
      // GNU tar agrees with Go for hard links and directories (not for the others).
      if (type === '1' || type === '5') {
        expect(gnuList(archive).map((n) => n.replace(/\/$/, ''))).toEqual(names);
      }
    });
  }

  it('an old-style (NUL typeflag) entry whose name ends in "/" is a directory', async () => {
    const archive = tar(withData('d/', '\0', file('hidden.json', '{}')), file('z', 'Z'));
    const { names, entries } = await bothReaders(archive);
    expect(names).toEqual(['d/', 'hidden.json', 'z']);
    expect(entries[0]!.type).toBe('directory');
    // Without the trailing slash it is a regular file, its data skipped.
    const plain = await bothReaders(tar(withData('f', '\0', file('hidden.json', '{}'))));
    expect(plain.names).toEqual(['f']);
    expect(plain.entries[0]!.size).toBe(1024);
  });
});

describe('rule 2: a pax global header applies to nothing, and is reported', () => {
  const archive = tar(
    pax({ path: 'evil/renamed', size: '0' }, 'g'),
    file('a', 'A'),
    file('b', 'B'),
  );

  it('does not rename or resize later entries; tar-global-header names its offset', async () => {
    const { names, problems, entries } = await bothReaders(archive);
    expect(names).toEqual(['a', 'b']);
    expect(entries.map((e) => e.size)).toEqual([1, 1]);
    expect(problems.map((p) => p.code)).toEqual(['tar-global-header']);
    expect(problems[0]!.message).toMatch(/offset 0\b/);
    // GNU tar applies it: it lists "evil/renamed" twice, another archive than Docker's.
    const renaming = tar(pax({ path: 'evil/renamed' }, 'g'), file('a', 'A'), file('b', 'B'));
    expect(gnuList(renaming)).toEqual(['evil/renamed', 'evil/renamed']);
    expect((await bothReaders(renaming)).names).toEqual(['a', 'b']);
  });

  it('the layer scanner notes it without calling the layer unsafe', () => {
    const layer = tar(pax({ path: '../escape' }, 'g'), file('a', 'A'));
    const found = scan(layer).unsafe;
    expect(found.map((u) => u.why)).toEqual(['global-header']);
    const check = layerCheck(layer)!;
    expect(check.ok).toBe(true);
    expect(check.message).toMatch(/global header/);
  });
});

describe('rule 3: pax and GNU records, as Go merges them', () => {
  it('a second pax record replaces the first; a GNU long name wins over pax path', async () => {
    const replaced = await bothReaders(
      tar(pax({ path: 'from-first-x' }), pax({ mtime: '1' }), file('own-name', '1')),
    );
    expect(replaced.names).toEqual(['own-name']);
    const both = await bothReaders(
      tar(gnuLong('gnu-name'), pax({ path: 'pax-name' }), file('own', '1', { format: 'gnu' })),
    );
    expect(both.names).toEqual(['gnu-name']);
    expect(
      gnuList(tar(pax({ path: 'from-first-x' }), pax({ mtime: '1' }), file('own-name', '1'))),
    ).toEqual(['own-name']);
  });

  it('refuses a malformed pax record (Go: ErrHeader) instead of skipping it', async () => {
    const bad = file('PaxHeaders/x', '5 p=\n9 path=../x', { type: 'x' });
    const { names, problems } = await bothReaders(tar(bad, file('a', 'A')));
    expect(names).toEqual([]);
    expect(problems.map((p) => p.code)).toEqual(['tar-header-invalid']);
  });

  it('refuses a record larger than MAX_META_RECORD with a clear problem', async () => {
    const big = header('PaxHeaders/x', { type: 'x', size: (1 << 20) + 1 });
    const { problems } = await bothReaders(concat(big, new Uint8Array(2 << 20)));
    expect(problems.map((p) => p.code)).toEqual(['tar-header-invalid']);
    expect(problems[0]!.message).toMatch(/1048577 bytes.*limit/);
  });

  it('reads a size field with leading NULs as Go does (trimmed octal)', async () => {
    // Nine NULs, "13", NUL: Go trims NULs and spaces, so 11 (octal 13) bytes of data follow.
    const h = header('data', { patch: [[124, `${'\x00'.repeat(9)}13\x00`]] });
    const archive = tar(h, file('', 'x'.repeat(11)).subarray(512), file('next', 'N'));
    const { names, entries } = await bothReaders(archive);
    expect(names).toEqual(['data', 'next']);
    expect(entries[0]!.size).toBe(11);
  });

  it('200,000 pax records are read through the header window, in linear time', async () => {
    const record = pax({ path: 'p'.repeat(40) });
    const archive = tar(repeat(record, 200_000), file('last', 'L'));
    const counter = { bytes: 0, reads: 0 };
    const src = countingSource(bytesSource(archive, 'paxes.tar'), counter);
    const started = performance.now();
    const { entries, problems } = await indexTar(src);
    const ms = performance.now() - started;
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.rawName)).toEqual(['p'.repeat(40)]);
    // One 16 KiB window per 16 KiB of headers: ~12,500 reads, not one per record.
    expect(counter.reads).toBeLessThan(archive.length / (16 * 1024) + 10);
    expect(counter.bytes).toBeLessThan(archive.length * 1.1);
    // The time is printed, not asserted (it failed at 4.9 s under a load average of 17): the
    // window reads above are what bounds the work.
    console.log(`200,000 pax records: ${counter.reads} reads, ${ms.toFixed(0)} ms`);
  }, 20_000);
});

describe('more framing attacks', () => {
  it('a zero block followed by a header is an error in Go, and is reported', async () => {
    const archive = concat(file('a', 'A'), new Uint8Array(512), file('b', 'B'));
    const { names, problems } = await bothReaders(archive);
    expect(names).toEqual(['a']);
    expect(problems.map((p) => p.code)).toEqual(['tar-header-invalid']);
  });

  it('old GNU sparse extension blocks are skipped as Go skips them', async () => {
    // An extension block is not a header (no checksum): this one, valid as a header too (its
    // name in the prefix field, so that Go finds no sparse entry in it), must not be one.
    const ext = header('', { prefix: 'evil' });
    const sparse = header('sparse', {
      type: 'S',
      format: 'gnu',
      size: 512,
      patch: [
        [482, new Uint8Array([1])], // isExtended
        [483, '00000001000\0'], // realsize
      ],
    });
    const archive = tar(sparse, ext, new Uint8Array(512), file('after', 'A'));
    const { names } = await bothReaders(archive);
    expect(names).toEqual(['sparse', 'after']);
  });
});

describe('rule 5: the layer-path scanner', () => {
  it('absolute names and absolute symlink targets stay inside the root: ok, with a note', () => {
    const layer = tar(file('/tmp/x', 'x'), symlink('etc-link', '/etc'), file('etc-link/y', 'y'));
    const found = scan(layer).unsafe;
    expect(found.filter((u) => u.why !== 'absolute')).toEqual([]);
    const check = layerCheck(layer)!;
    expect(check.ok).toBe(true);
    expect(check.message).toMatch(/"\/tmp\/x" \(absolute path\)/);
  });

  it('a layer cut short fails the check, saying why', () => {
    const whole = tar(file('a', 'A'), file('b', 'x'.repeat(2000)), file('c', 'C'));
    const cut = whole.subarray(0, 512 + 512 + 512 + 700);
    const scanner = scan(cut);
    expect(scanner.incomplete).toMatch(/ends inside the data of "b"/);
    const check = layerCheck(cut)!;
    expect(check.ok).toBe(false);
    expect(check.message).toMatch(/not checked.*ends inside the data of "b"/);
  });

  it('a bad header checksum mid-layer fails the check', () => {
    const bad = file('b', 'B');
    bad[0] = 0x58;
    const layer = tar(file('a', 'A'), bad, file('../evil', 'E'));
    expect(scan(layer).incomplete).toMatch(/checksum at offset 1024/);
    expect(layerCheck(layer)!.ok).toBe(false);
  });

  it('100,000 escaping symlinks and entries through them: linear', () => {
    const n = 100_000;
    const parts: Uint8Array[] = [];
    for (let i = 0; i < n; i++) parts.push(symlink(`d/l${i}`, '../../..'));
    for (let i = 0; i < 1000; i++) parts.push(header(`d/l${i * 97}/x/y/z`));
    const layer = tar(concatAll(parts));
    const scanner = scan(layer, 64 * 1024);
    expect(scanner.escapes).toBe(n + 1000);
    expect(scanner.unsafe.filter((u) => u.why === 'symlink-escapes')).toHaveLength(20);
    // The work is counted, not timed: each of the 1,000 entries follows one link of three
    // segments; nothing is walked again per symlink seen before.
    expect(scanner.linkSteps).toBeLessThanOrEqual(1000 * 3);
  }, 20_000);
});

describe('rule 6: link escapes are noted in constant time', () => {
  it('60,000 escaping links, each looked up twice', () => {
    const entries: ArchiveEntry[] = Array.from({ length: 60_000 }, (_, i) => ({
      rawName: `l${i}`,
      name: `l${i}`,
      type: 'symlink',
      size: 0,
      dataOffset: 0,
      linkName: '../../etc/passwd',
      truncated: false,
    }));
    // The work is counted, not timed: every read of the problems list goes through a proxy.
    // (It was 45 s when each call scanned every problem so far: 3.6 billion reads.)
    let reads = 0;
    const problems = new Proxy([] as Problem[], {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const table = new EntryTable(entries, problems);
    for (const e of entries) table.lookup(e.name!);
    for (const e of entries) table.lookup(e.name!);
    expect(problems).toHaveLength(60_000);
    expect(reads).toBeLessThan(10 * 60_000);
  });
});

describe('rule 7: an outer .tar.gz of several gzip members', () => {
  /** A DecompressionStream that, as Chromium's, stops after the first gzip member. */
  class FirstMemberOnly {
    readonly readable: ReadableStream<Uint8Array>;
    readonly writable: WritableStream<Uint8Array>;
    constructor() {
      const chunks: Uint8Array[] = [];
      const pair = new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk) => void chunks.push(chunk.slice()),
        flush: (controller) => {
          const all = concat(...chunks);
          const first = inflateRawSync(all.subarray(10), { info: true }) as unknown as {
            buffer: Uint8Array;
            engine: { bytesWritten: number };
          };
          controller.enqueue(new Uint8Array(first.buffer));
          if (10 + first.engine.bytesWritten + 8 < all.length)
            controller.error(new TypeError('Junk found after end of compressed data.'));
        },
      });
      this.readable = pair.readable;
      this.writable = pair.writable;
    }
  }
  afterEach(() => vi.unstubAllGlobals());

  it('opens fully where the platform decoder reads one member only, with progress', async () => {
    vi.stubGlobal('DecompressionStream', FirstMemberOnly);
    // Which decoder reads every member is probed once per module instance: a fresh one.
    vi.resetModules();
    const { openArchive } = await import('../../../src/lib/archive/open.ts');
    const first = tar(file('index.json', '{"a":1}')).subarray(0, 1024);
    const rest = tar(file('oci-layout', '{}'), file('blobs/b', 'B'.repeat(5000)));
    const bytes = concat(gzipSync(first), gzipSync(rest));
    const seen: [number, number][] = [];
    const a = await openArchive(bytesSource(bytes, 'multi.tar.gz'), undefined, {
      onProgress: (read, total) => void seen.push([read, total]),
    });
    expect(a.entries.map((e) => e.name)).toEqual(['index.json', 'oci-layout', 'blobs/b']);
    expect(a.problems).toEqual([]);
    expect(seen.at(-1)).toEqual([bytes.length, bytes.length]);
  });

  it('stops when aborted', async () => {
    const bytes = gzipSync(tar(file('a', 'A')));
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(openArchive(bytesSource(bytes, 'x.tar.gz'), controller.signal)).rejects.toThrow(
      'stop',
    );
  });
});

describe('every fixture reads as GNU tar lists it (where GNU tar and Go agree)', () => {
  const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.tar'));
  const bad = readdirSync(`${FIXTURES}bad/`)
    .filter((n) => n.endsWith('.tar') && !n.startsWith('truncated'))
    .map((n) => `bad/${n}`);
  for (const name of [...names, ...bad]) {
    it(name, async () => {
      const path = `${FIXTURES}${name}`;
      const listing = execFileSync('tar', ['-tf', path], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const { entries, problems } = await indexTar(
        bytesSource(new Uint8Array(readFileSync(path)), name),
      );
      expect(problems).toEqual([]);
      expect(entries.map((e) => e.rawName)).toEqual(listing.split('\n').filter(Boolean));
    });
  }
});
