import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { planVerification } from '../../../src/lib/verify/plan.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { type Blob, blob, gzipLayer } from '../../support/oci.ts';
import { type TarSpec, sha256, writeTar } from '../../support/tar.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const GZIP_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

const descriptor = (mediaType: string, b: Blob, extra: object = {}) => ({
  mediaType,
  digest: b.digest,
  size: b.size,
  ...extra,
});
const entry = (b: Blob): TarSpec => ({ name: `blobs/sha256/${b.digest.slice(7)}`, data: b.bytes });

/**
 * Two platforms sharing a layer, under a nested index; a foreign layer that is not there; an
 * attestation whose layer is an in-toto statement; an artifact whose layer has a sha512 digest;
 * one blob nothing references. `extra` entries are added.
 */
function archive(extra: TarSpec[] = []): Uint8Array {
  const shared = gzipLayer('shared.txt', 'in both platforms\n');
  const own = gzipLayer('own.txt', 'only arm64\n'.repeat(2000));
  const foreign = { digest: `sha256:${'f'.repeat(64)}`, size: 1234, bytes: new Uint8Array(0) };
  const foreignDiff = `sha256:${'e'.repeat(64)}`;
  const config = (arch: string, diffIds: string[]) =>
    blob({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds } });
  const amd64 = config('amd64', [shared.diffId]);
  const arm64 = config('arm64', [shared.diffId, own.diffId, foreignDiff]);
  const manifest = (c: Blob, layers: object[]) =>
    blob({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: descriptor(OCI_CONFIG, c), layers });
  const m1 = manifest(amd64, [descriptor(GZIP_LAYER, shared.layer)]);
  const m2 = manifest(arm64, [
    descriptor(GZIP_LAYER, shared.layer),
    descriptor(GZIP_LAYER, own.layer),
    descriptor('application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', foreign),
  ]);
  const statement = blob({ _type: 'https://in-toto.io/Statement/v0.1' });
  const attestationConfig = config('unknown', [statement.digest]);
  const attestation = manifest(attestationConfig, [
    descriptor('application/vnd.in-toto+json', statement),
  ]);
  const sha512Bytes = new TextEncoder().encode('sha512 content');
  const sha512 = `sha512:${createHash('sha512').update(sha512Bytes).digest('hex')}`;
  const empty = blob({});
  const artifact = blob({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: 'application/vnd.example',
    config: descriptor('application/vnd.oci.empty.v1+json', empty),
    layers: [{ mediaType: 'text/plain', digest: sha512, size: sha512Bytes.length }],
  });
  const nested = blob({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      descriptor(OCI_MANIFEST, m1, { platform: { os: 'linux', architecture: 'amd64' } }),
      descriptor(OCI_MANIFEST, m2, { platform: { os: 'linux', architecture: 'arm64' } }),
    ],
  });
  const stray = blob({ nobody: 'refers to me' });
  const index = {
    schemaVersion: 2,
    manifests: [
      descriptor(OCI_INDEX, nested, { annotations: { 'org.opencontainers.image.ref.name': 'v1' } }),
      descriptor(OCI_MANIFEST, attestation, {
        annotations: {
          'vnd.docker.reference.type': 'attestation-manifest',
          'vnd.docker.reference.digest': m1.digest,
        },
      }),
      descriptor(OCI_MANIFEST, artifact),
    ],
  };
  const blobs = [shared.layer, own.layer, amd64, arm64, m1, m2, statement, attestationConfig];
  return writeTar([
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    ...[...blobs, empty, artifact, nested, attestation, stray].map(entry),
    // 141 characters: longer than a ustar name, so given in a pax record.
    { name: 'PaxHeader', type: 'x', data: paxPath(`blobs/sha512/${sha512.slice(7)}`) },
    { name: 'sha512-blob', data: sha512Bytes },
    ...extra,
    { name: 'index.json', data: JSON.stringify(index) },
  ]);
}

/** Returns a pax record giving the next entry's path. */
function paxPath(path: string): string {
  const body = ` path=${path}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length++;
  return `${length}${body}`;
}

async function open(bytes: Uint8Array) {
  const a = await openArchive(bytesSource(bytes, 'synthetic.tar'));
  return { archive: a, report: await inspectArchive(a) };
}

describe('the verification plan', () => {
  it('reads a blob two manifests share once, with each check once', async () => {
    const { archive: a, report } = await open(archive());
    const plan = await planVerification(a, report);
    const shared = report.images[0]!.manifests[0]!.layers[0]!;
    const jobs = plan.blobs.filter((b) => b.job.name === `blobs/sha256/${shared.digest!.slice(7)}`);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.expectations.map((e) => [e.kind, e.target, e.expected])).toEqual([
      ['blob-digest', shared.digest, shared.digest],
      ['blob-size', shared.digest, String(shared.size)],
      ['diff-id', shared.digest, shared.diffId],
    ]);
    expect(jobs[0]!.job.decode).toBe('gzip');
    expect(jobs[0]!.targets).toContain(shared.diffId);
  });

  it('orders blobs largest first, with ids in that order', async () => {
    const { archive: a, report } = await open(archive());
    const plan = await planVerification(a, report);
    expect(plan.blobs.map((b) => b.job.id)).toEqual(plan.blobs.map((_, i) => i));
    const sizes = plan.blobs.map((b) => b.job.size);
    expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
    expect(plan.bytesTotal).toBe(sizes.reduce((x, y) => x + y, 0));
    expect(plan.sequential).toBe(false);
  });

  it('leaves a foreign layer and a sha512 blob unverified, not failed: partial', async () => {
    const { archive: a, report } = await open(archive());
    const { verification, jobs } = await verifyInProcess(a, report);
    expect(verification.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verification.status).toBe('partial');
    const odd = jobs.filter((j) => j.state !== 'ok');
    expect(odd.map((j) => [j.state, j.name ?? j.targets[0]])).toEqual([
      ['unsupported', expect.stringMatching(/^blobs\/sha512\//)],
      ['unsupported', `sha256:${'f'.repeat(64)}`],
    ]);
    expect(odd[0]!.detail).toMatch(/only sha256 digests are checked/);
    expect(odd[1]!.detail).toMatch(/foreign layer, not in the archive/);
  });

  it('checks an in-toto layer as its own content, and an unreferenced blob by its name', async () => {
    const { archive: a, report } = await open(archive());
    const { verification } = await verifyInProcess(a, report);
    const statement = sha256(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1' }));
    expect(
      verification.checks.find((c) => c.kind === 'diff-id' && c.target === statement),
    ).toMatchObject({
      expected: statement,
      actual: statement,
      ok: true,
      message: expect.stringMatching(
        /^layer 1 sha256:\S+ of manifest sha256:\S+: uncompressed SHA-256 matches/,
      ),
    });
    const stray = sha256(JSON.stringify({ nobody: 'refers to me' }));
    expect(verification.checks.filter((c) => c.kind === 'name')).toMatchObject([
      { target: `blobs/sha256/${stray.slice(7)}`, expected: stray, actual: stray, ok: true },
    ]);
  });

  it('fails an unreferenced blob whose content is not its name', async () => {
    const name = `blobs/sha256/${'a'.repeat(64)}`;
    const { archive: a, report } = await open(archive([{ name, data: 'not that' }]));
    const { verification } = await verifyInProcess(a, report);
    expect(verification.status).toBe('failed');
    expect(verification.checks.filter((c) => !c.ok)).toEqual([
      {
        kind: 'name',
        target: name,
        expected: `sha256:${'a'.repeat(64)}`,
        actual: sha256('not that'),
        ok: false,
        message: `entry "${name}": SHA-256 is ${sha256('not that')}, its name says sha256:${'a'.repeat(64)}`,
      },
    ]);
  });

  it('names the platform in messages, from the index', async () => {
    const { archive: a, report } = await open(archive());
    const { verification } = await verifyInProcess(a, report);
    const whats = verification.checks.filter((c) => c.kind === 'reference').map((c) => c.message);
    expect(whats).toContain(
      `manifest ${report.images[0]!.manifests[1]!.digest} (linux/arm64) is in the archive`,
    );
  });
});
