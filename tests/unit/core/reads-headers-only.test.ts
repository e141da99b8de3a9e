/**
 * Opening an archive reads tar headers, the small JSON documents and layer heads, never whole
 * layers (DESIGN: "the report must not wait for hashing"). Measured with countingSource.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, inspectFile } from './helpers.ts';
import { bytes, file, header, tar } from '../../support/tar-builder.ts';

describe('opening reads headers only', () => {
  for (const [name, size] of [
    ['dive-test-docker-image.tar', 1523200],
    ['dive-test-kaniko-image.tar', 822784],
  ] as const) {
    it(`${name} (${size} bytes): under 10% read`, async () => {
      const { report, bytesRead } = await inspectFile(FIXTURES + name);
      expect(report.source.size).toBe(size);
      expect(bytesRead).toBeLessThan(size / 10);
    });
  }

  describe('an OCI archive with one 64 MiB layer', () => {
    const work = mkdtempSync(join(tmpdir(), 'stevedore-core-big-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));
    const path = join(work, 'big-archive.tar');
    const MiB = 1 << 20;
    const chunk = new Uint8Array(MiB).map((_, i) => (i * 31 + (i >> 9)) & 0xff);

    // The layer: an uncompressed tar holding one 64 MiB file.
    const innerHeader = header('big.bin', { size: 64 * MiB });
    const layerSize = 512 + 64 * MiB + 1024;
    const hash = createHash('sha256').update(innerHeader);
    for (let i = 0; i < 64; i++) hash.update(chunk);
    hash.update(new Uint8Array(1024));
    const layerHex = hash.digest('hex');
    const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
    const config = bytes(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: { Cmd: ['/bin/true'] },
        rootfs: { type: 'layers', diff_ids: [`sha256:${layerHex}`] },
        history: [{ created_by: 'COPY big.bin /' }],
      }),
    );
    const manifest = bytes(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: `sha256:${sha(config)}`,
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar',
            digest: `sha256:${layerHex}`,
            size: layerSize,
          },
        ],
      }),
    );
    const index = JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: `sha256:${sha(manifest)}`,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': 'big' },
        },
      ],
    });

    // The big blob first, so that indexing must skip over it; index.json last.
    const fd = openSync(path, 'w');
    writeSync(fd, header(`blobs/sha256/${layerHex}`, { size: layerSize }));
    writeSync(fd, innerHeader);
    for (let i = 0; i < 64; i++) writeSync(fd, chunk);
    writeSync(fd, new Uint8Array(1024));
    const tail = tar(
      file(`blobs/sha256/${sha(config)}`, config),
      file(`blobs/sha256/${sha(manifest)}`, manifest),
      file('oci-layout', '{"imageLayoutVersion":"1.0.0"}'),
      file('index.json', index),
    );
    writeSync(fd, tail);
    closeSync(fd);
    const archiveSize = 512 + layerSize + tail.length;

    it('reports it while reading under 256 KiB', async () => {
      const { report, bytesRead } = await inspectFile(path);
      expect(report.source.size).toBe(archiveSize);
      expect(report.problems).toEqual([]);
      expect(report.images.map((i) => i.ref)).toEqual(['big-archive:big']);
      const m = report.images[0]!.manifests[0]!;
      expect([m.platformString, m.imageId, m.totalSize]).toEqual([
        'linux; amd64',
        `sha256:${sha(config)}`,
        layerSize,
      ]);
      expect(m.layers.map((l) => [l.digest, l.size, l.diffId, l.compression])).toEqual([
        [`sha256:${layerHex}`, layerSize, `sha256:${layerHex}`, 'none'],
      ]);
      expect(bytesRead).toBeLessThan(256 * 1024);
    });
  });
});
