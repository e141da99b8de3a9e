/**
 * Small entries are read from the windows indexing read already (each read of a File in the
 * page is a round trip to the browser process): the bytes are the same as the source's, a
 * small document or a layer's head costs no read, a large entry is read from the source, and
 * what is kept stops at its bound.
 */
import { describe, expect, it } from 'vitest';
import { bytesSource, countingSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { TAIL } from '../../../src/lib/archive/tar-index.ts';
import { concat, file, tar } from '../../support/tar-builder.ts';

function big(n: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * seed + 7) & 255;
  return bytes;
}

async function opened(archive: Uint8Array) {
  const counter = { bytes: 0, reads: 0 };
  const src = countingSource(bytesSource(archive, 'a.tar'), counter);
  return { archive: await openArchive(src), counter };
}

describe('TarArchive reads small entries from the windows of its index', () => {
  it('opens a tar with one read for the magic bytes and the first headers', async () => {
    const { counter } = await opened(tar(file('index.json', '{}'), file('oci-layout', '{}')));
    expect(counter.reads).toBe(1);
  });

  it('gives a small document and a layer head without a read, the same bytes as the source', async () => {
    const layer = big(3_000_000);
    const bytes = tar(
      file('layer.tar', layer),
      file('manifest.json', '[{"Config":"c.json"}]'),
      file('c.json', '{"os":"linux"}'),
    );
    const { archive, counter } = await opened(bytes);
    const before = counter.reads;
    const manifest = archive.lookup('manifest.json')!;
    expect(new TextDecoder().decode(await archive.read(manifest, 1 << 20))).toBe(
      '[{"Config":"c.json"}]',
    );
    const config = archive.lookup('c.json')!;
    expect(new TextDecoder().decode(await archive.read(config, 1 << 20))).toBe('{"os":"linux"}');
    const head = await archive.head(archive.lookup('layer.tar')!);
    expect(head).toEqual(layer.subarray(0, head.length));
    expect(head.length).toBeGreaterThan(0);
    expect(counter.reads).toBe(before); // all three from windows
  });

  it('reads a large entry from the source', async () => {
    const layer = big(100_000, 3);
    const { archive, counter } = await opened(tar(file('big.bin', layer)));
    const before = counter.reads;
    const entry = archive.lookup('big.bin')!;
    expect(await archive.read(entry, 1 << 20)).toEqual(layer);
    expect(counter.reads).toBe(before + 1);
  });

  it('gives a copy: changing what was read changes no later read', async () => {
    const { archive } = await opened(tar(file('x.json', '{"a":1}')));
    const entry = archive.lookup('x.json')!;
    const first = await archive.read(entry, 1 << 20);
    first.fill(0);
    expect(new TextDecoder().decode(await archive.read(entry, 1 << 20))).toBe('{"a":1}');
  });

  it('keeps at most 1 MiB of windows: past that, entries are read from the source', async () => {
    // 200 entries of 20 KB: every one needs a window of its own (16 KiB each, 3.2 MB in all).
    const parts = Array.from({ length: 200 }, (_, i) => file(`f${i}.bin`, big(20_000, i + 1)));
    const { archive, counter } = await opened(tar(concat(...parts)));
    expect(archive.entries.length).toBe(200);
    // A head early in the archive comes from a window, one late from the source.
    const before = counter.reads;
    expect(await archive.head(archive.lookup('f0.bin')!)).toEqual(big(20_000, 1).subarray(0, 512));
    expect(counter.reads).toBe(before);
    expect(await archive.head(archive.lookup('f199.bin')!)).toEqual(
      big(20_000, 200).subarray(0, 512),
    );
    expect(counter.reads).toBe(before + 1);
  });

  it("takes the last headers from the archive's end, read beside its start", async () => {
    // A docker save's layout: a large layer, then its JSON documents. Without the end read
    // first, the header after the layer would cost a read of its own, after the first.
    const layer = big(3_000_000, 5);
    const bytes = tar(
      file('layer.tar', layer),
      file('manifest.json', '[{"Config":"c.json"}]'),
      file('c.json', '{"os":"linux"}'),
    );
    const asked: number[] = [];
    const inner = bytesSource(bytes, 'a.tar');
    const archive = await openArchive({
      ...inner,
      read: (offset, length) => {
        asked.push(offset);
        return inner.read(offset, length);
      },
    });
    expect(asked).toEqual([0, bytes.length - TAIL]); // both asked before either was awaited
    expect(archive.entries.map((e) => e.name)).toEqual(['layer.tar', 'manifest.json', 'c.json']);
    const config = archive.lookup('c.json')!;
    expect(new TextDecoder().decode(await archive.read(config, 1 << 20))).toBe('{"os":"linux"}');
    expect(await archive.head(archive.lookup('layer.tar')!)).toEqual(layer.subarray(0, 512));
    expect(asked).toHaveLength(2);
  });
});
