import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { inspectSource } from '../../../src/lib/inspect.ts';
import { tarOf, warmLegacyArchive, warmOciArchive } from '../../../src/app/warm-archives.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';

describe('warm-up archives', () => {
  it('writes a tar that the index reads back entry for entry', async () => {
    const bytes = tarOf([
      ['a.txt', new TextEncoder().encode('hello')],
      ['dir/b.json', new TextEncoder().encode('{}')],
    ]);
    expect(bytes.length).toBe(4 * 512 + 2 * 512);
    const archive = await openArchive(bytesSource(bytes, 'x.tar'));
    expect(archive.problems).toEqual([]);
    expect(archive.entries.map((e) => [e.name, e.size, e.dataOffset])).toEqual([
      ['a.txt', 5, 512],
      ['dir/b.json', 2, 1536],
    ]);
  });

  it('opens the OCI layout as an image index of two platforms, without a problem', async () => {
    const report = await inspectSource(bytesSource(await warmOciArchive(), 'oci.tar'));
    expect(report.source.format).toBe('oci-layout');
    expect(report.problems).toEqual([]);
    const [image] = report.images;
    expect(image!.ref).toBe('warm-up:oci');
    expect(image!.manifests.map((m) => m.platformString)).toEqual([
      'linux; amd64',
      'linux; arm64 variant v8',
    ]);
    expect(image!.manifests.map((m) => m.layers.map((l) => l.compression))).toEqual([
      ['gzip', 'gzip'],
      ['gzip', 'gzip'],
    ]);
  });

  it('opens the legacy save as one tagged image of two layers, without a problem', async () => {
    const report = await inspectSource(bytesSource(await warmLegacyArchive(), 'legacy.tar'));
    expect(report.source.format).toBe('docker-save');
    expect(report.problems).toEqual([]);
    const [image] = report.images;
    expect(image!.ref).toBe('warm-up:legacy');
    expect(image!.manifests).toHaveLength(1);
    expect(image!.manifests[0]!.layers).toHaveLength(2);
    expect(image!.manifests[0]!.history).toHaveLength(2);
  });
});
