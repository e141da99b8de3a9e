import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LayerPathScanner } from '../../../src/lib/verify/layer-paths.ts';
import { writeTar } from '../../support/tar.ts';
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
