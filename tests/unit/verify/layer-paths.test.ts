import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LayerPathScanner } from '../../../src/lib/verify/layer-paths.ts';
import { sha256, writeTar } from '../../support/tar.ts';
import { blob } from '../../support/oci.ts';
import {
  GZIP_LAYER,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_MANIFEST,
  descriptor,
  entry,
  layout,
} from '../../support/attacks.ts';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { FIXTURES } from '../../support/paths.ts';

const fixtures = FIXTURES;

/** Returns what the scanner finds, the layer fed in pieces of `piece` bytes. */
function scan(layer: Uint8Array, piece = 7): LayerPathScanner {
  const scanner = new LayerPathScanner();
  for (let at = 0; at < layer.length; at += piece) scanner.push(layer.subarray(at, at + piece));
  return scanner;
}

describe('entries of a layer that escape the root', () => {
  it('finds the traversal entries of the crafted fixture layers', () => {
    const archive = `${fixtures}bad/docker-archive-layer-path-traversal.tar`;
    const manifest = JSON.parse(
      execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' }),
    );
    const found = (manifest[0].Layers as string[]).map(
      (layer) =>
        scan(new Uint8Array(execFileSync('tar', ['-xOf', archive, layer], { maxBuffer: 1 << 26 })))
          .unsafe,
    );
    expect(found.flat()).toEqual([
      { name: '../../../tmp/evil-dotdot.txt', why: 'dot-dot', target: null },
      { name: '/tmp/evil-absolute.txt', why: 'absolute', target: null },
      { name: 'etc/link', why: 'symlink-escapes', target: '../../../../../tmp' },
      { name: 'etc/link/evil-via-symlink.txt', why: 'through-symlink', target: null },
    ]);
  });

  it('finds no escape in ordinary layers, absolute symlinks included', () => {
    const layer = writeTar([
      { name: 'bin/', type: '5' },
      { name: 'bin/sh', type: '2', linkName: '/bin/busybox' },
      { name: 'usr/lib/x', type: '2', linkName: '../../lib/x' },
      { name: 'etc/os-release', data: 'ID=test\n'.repeat(200) },
    ]);
    expect(scan(layer, 1).unsafe).toEqual([]);
    expect(scan(layer, 100_000).unsafe).toEqual([]);
  });

  it('reads names from pax records, and keeps only the first 20', () => {
    const entries = Array.from({ length: 30 }, (_, i) => ({ name: `../x${i}`, data: 'x' }));
    const scanner = scan(writeTar(entries), 512);
    expect(scanner.unsafe).toHaveLength(20);
    const pax = writeTar([
      { name: 'PaxHeader', type: 'x', data: '27 path=../../from-pax.txt\n' },
      { name: 'ok.txt', data: 'y' },
    ]);
    expect(scan(pax).unsafe).toEqual([
      { name: '../../from-pax.txt', why: 'dot-dot', target: null },
    ]);
  });

  it('stops quietly at data that is not a tar (nothing of it is unpacked)', () => {
    expect(
      scan(new Uint8Array(readFileSync(`${fixtures}dive-test-oci-zstd-image.tar`)).subarray(0, 0))
        .unsafe,
    ).toEqual([]);
    expect(scan(new Uint8Array(4096).fill(0x41)).unsafe).toEqual([]);
    // Shorter than one header block: Go cannot read a header either.
    const short = scan(new TextEncoder().encode('layer bytes'));
    expect([short.unsafe, short.incomplete]).toEqual([[], null]);
  });

  it('says where a tar layer could not be read to its end', () => {
    const layer = writeTar([
      { name: 'a', data: 'A' },
      { name: 'b', data: 'B'.repeat(600) },
    ]);
    expect(scan(layer).incomplete).toBeNull();
    const cut = scan(layer.subarray(0, 512 + 512 + 100));
    expect(cut.incomplete).toMatch(/ends 100 bytes into a tar header at offset 1024/);
    expect(cut.unsafe.at(-1)).toMatchObject({ why: 'incomplete' });
  });

  it('cleans names as unpackers do: "a/../b" stays inside, "a/../../b" climbs out', () => {
    const layer = writeTar([
      { name: 'a/../b', data: '1' },
      { name: 'a/../../b', data: '2' },
      { name: 'x', type: '2', linkName: '../y' },
      { name: 'x', type: '5' },
      { name: 'x/inside', data: 'replaced the link' },
    ]);
    expect(scan(layer).unsafe).toEqual([
      { name: 'a/../../b', why: 'dot-dot', target: null },
      { name: 'x', why: 'symlink-escapes', target: '../y' },
    ]);
  });
});

describe('links that lead out of the root, followed as an unpacker would follow them', () => {
  it('fails a hard link whose target climbs out (Docker refuses it as a breakout)', () => {
    const layer = writeTar([
      { name: 'etc/', type: '5' },
      { name: 'etc/shadow-copy', type: '1', linkName: '../../../etc/shadow' },
      { name: 'ok', type: '1', linkName: 'etc/../etc/passwd' },
    ]);
    expect(scan(layer).unsafe).toEqual([
      { name: 'etc/shadow-copy', why: 'hardlink-escapes', target: '../../../etc/shadow' },
    ]);
  });

  it('fails a hard link made through a symlink that leads out', () => {
    const layer = writeTar([
      { name: 'up', type: '2', linkName: '..' },
      { name: 'host-passwd', type: '1', linkName: 'up/etc/passwd' },
    ]);
    expect(scan(layer).unsafe).toEqual([
      { name: 'up', why: 'symlink-escapes', target: '..' },
      { name: 'host-passwd', why: 'hardlink-escapes', target: 'up/etc/passwd' },
    ]);
  });

  it('follows a chain of symlinks each harmless on its own', () => {
    // "sub/a" leads to the root, and "sub/a/b" -> ".." is read lexically as "sub", but is
    // written through "sub/a" at "/b", from where ".." is above the root.
    const layer = writeTar([
      { name: 'sub/', type: '5' },
      { name: 'sub/a', type: '2', linkName: '..' },
      { name: 'sub/a/b', type: '2', linkName: '..' },
      { name: 'sub/a/b/escaped.txt', data: 'x' },
    ]);
    expect(scan(layer).unsafe).toEqual([
      { name: 'sub/a/b', why: 'symlink-escapes', target: '..' },
      { name: 'sub/a/b/escaped.txt', why: 'through-symlink', target: null },
    ]);
  });

  it('follows a symlink to a symlink that leads out, and an absolute one back in', () => {
    const layer = writeTar([
      { name: 'out', type: '2', linkName: '../..' },
      { name: 'via', type: '2', linkName: '/out' },
      { name: 'via/file', data: 'x' },
      { name: 'deep/er/', type: '5' },
      { name: 'deep/er/root', type: '2', linkName: '/' },
      { name: 'deep/er/root/etc/inside', data: 'stays under the root' },
    ]);
    expect(scan(layer).unsafe).toEqual([
      { name: 'out', why: 'symlink-escapes', target: '../..' },
      { name: 'via', why: 'symlink-escapes', target: '/out' },
      { name: 'via/file', why: 'through-symlink', target: null },
    ]);
  });

  it('stops at a symlink loop (as the kernel does: ELOOP) without calling it an escape', () => {
    const layer = writeTar([
      { name: 'a', type: '2', linkName: 'b' },
      { name: 'b', type: '2', linkName: 'a' },
      { name: 'a/x', data: 'never written' },
      { name: 'self', type: '1', linkName: 'self' },
    ]);
    expect(scan(layer).unsafe).toEqual([]);
  });

  it('stays linear on a 64 KiB name of single-letter directories under a symlink', () => {
    const deep = Array.from({ length: 32_000 }, () => 'd').join('/');
    const target = `${deep}/../${'../'.repeat(32_000)}`;
    const layer = writeTar([
      { name: 'd', type: '2', linkName: '.' },
      { name: 'PaxHeader', type: 'x', data: paxRecord('path', `${deep}/f`) },
      { name: 'long-name', data: 'x' },
      { name: 'PaxHeader', type: 'x', data: paxRecord('linkpath', target) },
      { name: 'l', type: '2', linkName: 'placeholder' },
    ]);
    expect(scan(layer, 65_536).unsafe).toEqual([{ name: 'l', why: 'symlink-escapes', target }]);
  });
});

describe('a whole archive whose layer leads out only through links', () => {
  it('fails its verification with a layer-path check naming the hard link and the chain', async () => {
    const tar = writeTar([
      { name: 'sub/', type: '5' },
      { name: 'sub/a', type: '2', linkName: '..' },
      { name: 'sub/a/b', type: '2', linkName: '..' },
      { name: 'etc-shadow', type: '1', linkName: '../etc/shadow' },
    ]);
    const layer = blob(gzipSync(tar));
    const config = blob({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    });
    const manifest = blob({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: descriptor(OCI_CONFIG, config),
      layers: [descriptor(GZIP_LAYER, layer)],
    });
    const index = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [descriptor(OCI_MANIFEST, manifest)],
    };
    const bytes = writeTar([
      layout,
      { name: 'index.json', data: JSON.stringify(index) },
      ...[layer, config, manifest].map(entry),
    ]);
    const archive = await openArchive(bytesSource(bytes, 'links.tar'));
    const { verification } = await verifyInProcess(archive, await inspectArchive(archive));
    expect(verification.status).toBe('failed');
    const failed = verification.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.kind)).toEqual(['layer-path']);
    expect(failed[0]!.message).toContain(
      '"sub/a/b" -> ".." (symlink out of the root), "etc-shadow" -> "../etc/shadow" (hard link to a path outside the root)',
    );
  });
});

describe('the work of following links is bounded', () => {
  it('fails a layer whose links would be followed past the bound, naming why', () => {
    // One link to a 5,000-segment directory, and 5,000 entries written through it: 25 million
    // segments to follow, past the 20 million a layer may ask for.
    const deep = Array.from({ length: 5_000 }, () => 'x').join('/');
    const layer = writeTar([
      { name: 'PaxHeader', type: 'x', data: paxRecord('linkpath', deep) },
      { name: 'a', type: '2', linkName: 'placeholder' },
      ...Array.from({ length: 5_000 }, (_, i) => ({ name: `a/f${i}`, data: '' })),
    ]);
    const found = scan(layer, 65_536).unsafe;
    expect(found).toEqual([
      {
        name: '',
        why: 'incomplete',
        target: null,
        detail: expect.stringMatching(/followed for 20,000,000 path segments/),
      },
    ]);
  });
});

/** Returns one pax record ("<length> key=value\n", the length counting itself). */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length++;
  return `${length}${body}`;
}
