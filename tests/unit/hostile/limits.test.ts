import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { ArchiveError } from '../../../src/lib/errors.ts';
import { inspectSource } from '../../../src/lib/inspect.ts';
import { blob, ociArchive } from '../../support/oci.ts';
import { type TarSpec, writeTar } from '../../support/tar.ts';

const INDEX = 'application/vnd.oci.image.index.v1+json';

async function inspect(entries: TarSpec[]) {
  return inspectSource(bytesSource(writeTar(entries), 'crafted.tar'));
}

async function failure(entries: TarSpec[]): Promise<ArchiveError> {
  const error = await inspect(entries).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArchiveError);
  return error as ArchiveError;
}

/** Returns tar entries of an OCI layout whose index.json points at `top` (with extra blobs). */
function layout(
  top: { digest: string; size: number },
  blobs: { digest: string; bytes: Uint8Array }[],
) {
  return [
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    ...blobs.map((b) => ({ name: `blobs/sha256/${b.digest.slice(7)}`, data: b.bytes })),
    {
      name: 'index.json',
      data: JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: INDEX, digest: top.digest, size: top.size }],
      }),
    },
  ];
}

describe('limits on hostile archives, each with a clear message', () => {
  it('refuses a JSON document over 16 MiB, naming it', async () => {
    const huge = '{"schemaVersion":2,"manifests":[]}' + ' '.repeat(16 * 1024 * 1024);
    const error = await failure([
      { name: 'oci-layout', data: '{}' },
      { name: 'index.json', data: huge },
    ]);
    expect(error.code).toBe('entry-too-large');
    expect(error.where).toBe('index.json');
    expect(error.message).toMatch(
      /"index\.json" is 16777250 bytes, more than the 16777216-byte limit/,
    );
  });

  it('stops reading after 100,000 tar entries and says so', async () => {
    // One directory header repeated: cheap to build, and directories are not duplicates.
    const header = writeTar([{ name: 'junk/', type: '5' }]).subarray(0, 512);
    const count = 100_001;
    const bytes = new Uint8Array(512 * (count + 1) + 1024);
    for (let i = 0; i < count; i++) bytes.set(header, 512 * i);
    bytes.set(writeTar([{ name: 'index.json', data: '{}' }]).subarray(0, 1024), 512 * count);
    const error = await inspectSource(bytesSource(bytes, 'many.tar')).then(
      () => null,
      (e: unknown) => e as ArchiveError,
    );
    expect(error).toBeInstanceOf(ArchiveError);
    expect(error!.message).toMatch(/more than 100000 entries; the rest are not read/);
  });

  it('does not follow indexes nested deeper than 8', async () => {
    const manifestless = blob({ schemaVersion: 2, mediaType: INDEX, manifests: [] });
    const chain = [manifestless];
    for (let i = 0; i < 9; i++) {
      const inner = chain[chain.length - 1]!;
      chain.push(
        blob({
          schemaVersion: 2,
          mediaType: INDEX,
          manifests: [{ mediaType: INDEX, digest: inner.digest, size: inner.size }],
        }),
      );
    }
    const report = await inspect(layout(chain[chain.length - 1]!, chain));
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        code: 'index-too-deep',
        message: expect.stringMatching(/deeper than 8 levels/),
      }),
    );
  });

  it('detects an index that refers to itself (a blob that lies about its digest)', async () => {
    const fake = `sha256:${'ab'.repeat(32)}`;
    const self = JSON.stringify({
      schemaVersion: 2,
      mediaType: INDEX,
      manifests: [{ mediaType: INDEX, digest: fake, size: 0 }],
    });
    const bytes = new TextEncoder().encode(self);
    const report = await inspect(
      layout({ digest: fake, size: bytes.length }, [{ digest: fake, bytes }]),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'index-cycle', where: fake }),
    );
  });

  it('reports duplicate entries and uses the last copy, as tar does', async () => {
    const report = await inspectSource(
      bytesSource(
        ociArchive({ extra: [{ name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' }] }),
        'dup.tar',
      ),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'entry-duplicate', where: 'oci-layout' }),
    );
  });

  it('never follows a symlink out of the archive, and reports it', async () => {
    const config = blob({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
    });
    const report = await inspect([
      { name: `${config.digest.slice(7)}.json`, data: config.bytes },
      { name: 'abc/layer.tar', type: '2', linkName: '../../../etc/passwd' },
      {
        name: 'manifest.json',
        data: JSON.stringify([
          { Config: `${config.digest.slice(7)}.json`, Layers: ['abc/layer.tar'] },
        ]),
      },
    ]);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        code: 'link-escapes',
        where: 'abc/layer.tar',
        message: expect.stringContaining('../../../etc/passwd'),
      }),
    );
    expect(report.problems).toContainEqual(
      expect.objectContaining({ code: 'blob-missing', where: 'abc/layer.tar' }),
    );
  });

  it('ignores entries with absolute or ../ names for lookups, and reports them', async () => {
    const report = await inspectSource(
      bytesSource(
        ociArchive({
          extra: [
            { name: '../index.json', data: '{}' },
            { name: '/etc/evil', data: 'x' },
          ],
        }),
        'x.tar',
      ),
    );
    const unsafe = report.problems
      .filter((p) => p.code === 'entry-path-unsafe')
      .map((p) => p.where);
    expect(unsafe).toEqual(['../index.json', '/etc/evil']);
    expect(report.images[0]!.manifests).toHaveLength(1);
  });
});
