/**
 * Attacks on the rule "the verifier checks exactly the image the report shows", each an archive
 * built here that tried (and, before the single image model, managed) to make verification say
 * ok for something it never checked, or to run the reader out of time and memory.
 */
import { describe, expect, it } from 'vitest';
import { bytesSource, countingSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { MAX_LAYERS, MAX_MANIFESTS } from '../../../src/lib/limits.ts';
import { renderJson } from '../../../src/lib/report/json.ts';
import { renderMarkdown } from '../../../src/lib/report/markdown.ts';
import type { Report } from '../../../src/lib/report/model.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { type Blob, blob, gzipLayer } from '../../support/oci.ts';
import { type TarSpec, sha256, writeTar } from '../../support/tar.ts';
import { file, tar, withData } from '../../support/tar-builder.ts';
import { expectOkMeansEverythingHashed } from '../../support/verified.ts';
import { runCli } from '../../support/cli.ts';
import {
  GZIP_LAYER,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_MANIFEST,
  descriptor,
  entry,
  dockerSaveManyLayers,
  manyLayers,
  fanOut,
  image,
  layout,
  partialSave,
} from '../../support/attacks.ts';

/** Returns the report and verification of archive bytes, read as the CLI reads them. */
async function openAndVerify(bytes: Uint8Array, name = 'attack.tar') {
  const archive = await openArchive(bytesSource(bytes, name));
  const report = await inspectArchive(archive);
  const { verification } = await verifyInProcess(archive, report);
  return { archive, report, verification };
}

describe('the verifier reads the image the report shows', () => {
  it('a manifest that also carries "manifests" still has its config and layers checked', async () => {
    const img = image({ diffId: sha256('not the layer'), manifestExtra: { manifests: [] } });
    const index = { schemaVersion: 2, manifests: [descriptor(OCI_MANIFEST, img.manifest)] };
    const bytes = writeTar([
      layout,
      ...img.blobs.map(entry),
      { name: 'index.json', data: JSON.stringify(index) },
    ]);
    const { report, verification } = await openAndVerify(bytes);
    expect(report.images[0]!.manifests[0]!.layers).toHaveLength(1);
    expect(verification.status).toBe('failed');
    const failed = verification.checks.filter((c) => !c.ok).map((c) => c.kind);
    expect(failed).toContain('diff-id');
    expect(failed).toContain('consistency');
  });

  it('one digest listed as an index and as a manifest: its layers are checked all the same', async () => {
    const img = image({ layerSize: undefined });
    // The layer descriptor's size is off by one: the report lists the mismatch.
    const off = image({ layerSize: img.layer.size + 1 });
    const index = {
      schemaVersion: 2,
      manifests: [descriptor(OCI_INDEX, off.manifest), descriptor(OCI_MANIFEST, off.manifest)],
    };
    const bytes = writeTar([
      layout,
      ...off.blobs.map(entry),
      { name: 'index.json', data: JSON.stringify(index) },
    ]);
    const { report, verification } = await openAndVerify(bytes);
    expect(report.problems.map((p) => p.code)).toContain('size-mismatch');
    expect(verification.status).toBe('failed');
    const sizeCheck = verification.checks.find(
      (c) => c.kind === 'blob-size' && c.target === off.layer.digest,
    );
    expect(sizeCheck?.ok).toBe(false);
    expect(verification.checks.some((c) => c.kind === 'consistency' && !c.ok)).toBe(true);
  });

  it('manifest.json naming another image than index.json is never ok', async () => {
    const listed = image();
    const other = image({ diffId: sha256('other') });
    const index = { schemaVersion: 2, manifests: [descriptor(OCI_MANIFEST, listed.manifest)] };
    const manifestJson = [
      {
        Config: `blobs/sha256/${other.config.digest.slice(7)}`,
        RepoTags: ['evil:latest'],
        Layers: [`blobs/sha256/${other.layer.digest.slice(7)}`],
      },
    ];
    const bytes = writeTar([
      layout,
      ...[...listed.blobs, other.config].map(entry),
      { name: 'index.json', data: JSON.stringify(index) },
      { name: 'manifest.json', data: JSON.stringify(manifestJson) },
    ]);
    const { report, verification } = await openAndVerify(bytes);
    expect(report.problems.map((p) => p.code)).toContain('layouts-disagree');
    expect(verification.status).toBe('failed');
    expect(verification.checks.find((c) => c.kind === 'consistency')?.message).toMatch(
      /docker load would load another image/,
    );
  });

  it('two manifest.json entries (what docker load and a first-match reader disagree on) are never ok', async () => {
    const img = image();
    const save = (config: Blob) =>
      JSON.stringify([{ Config: `${config.digest.slice(7)}.json`, RepoTags: ['a:b'], Layers: [] }]);
    const first = blob({ architecture: 'amd64', os: 'linux', rootfs: { diff_ids: [] } });
    const bytes = writeTar([
      { name: `${first.digest.slice(7)}.json`, data: first.bytes },
      { name: `${img.config.digest.slice(7)}.json`, data: img.config.bytes },
      { name: 'manifest.json', data: save(first) },
      { name: 'manifest.json', data: save(img.config) },
    ]);
    const { verification } = await openAndVerify(bytes);
    expect(verification.status).toBe('failed');
    expect(verification.checks.some((c) => c.kind === 'consistency' && !c.ok)).toBe(true);
  });

  it('a symlink whose size field hides a second manifest.json: the image docker load sees is not vouched for', async () => {
    const img = image();
    const save = (config: Blob) =>
      JSON.stringify([{ Config: `${config.digest.slice(7)}.json`, RepoTags: ['a:b'], Layers: [] }]);
    const other = blob({ architecture: 'arm64', os: 'linux', rootfs: { diff_ids: [] } });
    const hidden = file('manifest.json', save(img.config));
    const bytes = tar(
      file(`${other.digest.slice(7)}.json`, other.bytes),
      file(`${img.config.digest.slice(7)}.json`, img.config.bytes),
      file('manifest.json', save(other)),
      withData('link', '2', hidden, 'manifest.json'),
    );
    const { report, verification } = await openAndVerify(bytes);
    // Read as Go reads it (the symlink has no data), the second manifest.json is the one.
    expect(report.images[0]!.manifests[0]!.imageId).toBe(img.config.digest);
    expect(verification.status).toBe('failed');
    expect(verification.checks.filter((c) => c.kind === 'consistency').length).toBeGreaterThan(0);
  });

  it('ok implies every descriptor of every reported manifest was hashed (all kinds of archive)', async () => {
    const img = image();
    const index = blob({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        descriptor(OCI_MANIFEST, img.manifest, {
          platform: { os: 'linux', architecture: 'amd64' },
        }),
      ],
    });
    const bytes = writeTar([
      layout,
      ...[...img.blobs, index].map(entry),
      {
        name: 'index.json',
        data: JSON.stringify({ schemaVersion: 2, manifests: [descriptor(OCI_INDEX, index)] }),
      },
    ]);
    const { report, verification } = await openAndVerify(bytes);
    expect(verification.status).toBe('ok');
    expectOkMeansEverythingHashed({ ...report, verification });
  });

  it('an amd64 image listed as linux/arm64 (and again as linux/amd64) is never ok', async () => {
    const img = image();
    const as = (architecture: string, tag: string) =>
      descriptor(OCI_MANIFEST, img.manifest, {
        platform: { os: 'linux', architecture },
        annotations: { 'org.opencontainers.image.ref.name': tag },
      });
    const bytes = writeTar([
      layout,
      ...img.blobs.map(entry),
      {
        name: 'index.json',
        data: JSON.stringify({ schemaVersion: 2, manifests: [as('amd64', 'a'), as('arm64', 'b')] }),
      },
    ]);
    const { report, verification } = await openAndVerify(bytes);
    expect(report.problems.map((p) => p.code)).toContain('platform-mismatch');
    expect(verification.status).toBe('failed');
    const failed = verification.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.message)).toEqual([
      `manifest ${img.manifest.digest} is listed as linux/arm64 but its config says linux/amd64`,
    ]);
  });

  it('a descriptor platform that only adds what the config leaves out stays ok', async () => {
    const img = image();
    const platform = { os: 'linux', architecture: 'amd64', variant: 'v3' };
    const index = {
      schemaVersion: 2,
      manifests: [descriptor(OCI_MANIFEST, img.manifest, { platform })],
    };
    const bytes = writeTar([
      layout,
      ...img.blobs.map(entry),
      { name: 'index.json', data: JSON.stringify(index) },
    ]);
    const { verification } = await openAndVerify(bytes);
    expect(verification.status).toBe('ok');
  });
});

describe('partial saves', () => {
  it('a platform the archive does not hold is "not included", and the verification incomplete, not failed', async () => {
    const { report, verification } = await openAndVerify(partialSave());
    const [amd64, arm64] = report.images[0]!.manifests;
    expect(amd64!.included).toBe(true);
    expect(arm64!.included).toBe(false);
    expect(verification.status).toBe('partial');
    expect(verification.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('verifying only the platform that is there is complete', async () => {
    const archive = await openArchive(bytesSource(partialSave(), 'partial.tar'));
    const report = await inspectArchive(archive);
    const { verification } = await verifyInProcess(archive, report, { platform: 'linux/amd64' });
    expect(verification.status).toBe('ok');
  });
});

describe('bounded whatever the archive claims', () => {
  it('a manifest of 20,000 layers (3 MB of JSON) is read to 1,000 of them, and never ok', async () => {
    const { bytes, manifestDigest } = manyLayers(20_000);
    const { report, verification } = await openAndVerify(bytes);
    expect(report.images[0]!.manifests[0]!.layers).toHaveLength(MAX_LAYERS);
    expect(report.problems).toContainEqual({
      code: 'too-many-layers',
      where: manifestDigest,
      message: `manifest ${manifestDigest} lists 20000 layers; only the first 1000 are read`,
    });
    expect(verification.status).toBe('partial');
  });

  it('a docker save whose manifest.json lists 100,000 layers is read to 1,000, once each, never ok', async () => {
    const { bytes, configName } = dockerSaveManyLayers(100_000);
    const counter = { bytes: 0, reads: 0 };
    const archive = await openArchive(countingSource(bytesSource(bytes, 'legacy.tar'), counter));
    const report = await inspectArchive(archive);
    const layers = report.images[0]!.manifests[0]!.layers;
    expect(layers).toHaveLength(MAX_LAYERS);
    expect(report.problems).toContainEqual({
      code: 'too-many-layers',
      where: configName,
      message: 'manifest.json[0] lists 100000 layers; only the first 1000 are read',
    });
    // The one layer.tar listed 100,000 times is not read for each listing.
    expect(counter.bytes).toBeLessThan(2 * bytes.length + 64 * 1024);
    const { verification } = await verifyInProcess(archive, report);
    expect(verification.status).toBe('partial');
    expect(verification.checks.filter((c) => !c.ok)).toEqual([]);
    // The exports carry the 1,000 read and say the rest were not.
    const json = JSON.parse(renderJson({ ...report, verification })) as {
      images: { manifests: { layers: unknown[] }[] }[];
    };
    expect(json.images[0]!.manifests[0]!.layers).toHaveLength(MAX_LAYERS);
  });

  it('16 children × 7 levels of indexes (268 million leaves in a small archive) stop at the budget', async () => {
    const bytes = fanOut(16, 7);
    expect(bytes.length).toBeLessThan(64 * 1024);
    const counter = { bytes: 0, reads: 0 };
    const archive = await openArchive(countingSource(bytesSource(bytes, 'fan-out.tar'), counter));
    const report = await inspectArchive(archive);
    const manifests = report.images.reduce((n, i) => n + i.manifests.length, 0);
    expect(manifests).toBeLessThanOrEqual(MAX_MANIFESTS);
    expect(report.problems.map((p) => p.code)).toContain('too-many-manifests');
    // Each document is read once, whatever the number of times it is listed.
    expect(counter.bytes).toBeLessThan(4 * bytes.length);
    const { verification } = await verifyInProcess(archive, report);
    expect(verification.status).not.toBe('ok');
  });

  it('one large config listed 40 times: the report and its exports stay bounded', async () => {
    const big = 'x'.repeat(6 * 1024 * 1024);
    const img = image();
    const config = blob({
      architecture: 'amd64',
      os: 'linux',
      history: [{ created_by: `/bin/sh -c echo ${big}` }],
      rootfs: {
        type: 'layers',
        diff_ids: [JSON.parse(new TextDecoder().decode(img.config.bytes)).rootfs.diff_ids[0]],
      },
    });
    const manifest = blob({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: descriptor(OCI_CONFIG, config),
      layers: [descriptor(GZIP_LAYER, img.layer)],
    });
    const index = {
      schemaVersion: 2,
      manifests: Array.from({ length: 40 }, (_, i) =>
        descriptor(OCI_MANIFEST, manifest, {
          annotations: { 'org.opencontainers.image.ref.name': `t${i}` },
        }),
      ),
    };
    const bytes = writeTar([
      layout,
      ...[img.layer, config, manifest].map(entry),
      { name: 'index.json', data: JSON.stringify(index) },
    ]);
    const archive = await openArchive(bytesSource(bytes, 'amplified.tar'));
    const report = await inspectArchive(archive);
    expect(report.images).toHaveLength(40);
    expect(report.problems.map((p) => p.code)).toContain('text-budget');
    const markdown = renderMarkdown(report);
    expect(markdown.length).toBeLessThan(100 * 1024 * 1024);
    expect(renderJson(report).length).toBeLessThan(200 * 1024 * 1024);
  });

  it('reading is linear: bytes read grow with the archive, not with how often things are listed', async () => {
    const img = image();
    const sizes: [number, number][] = [];
    for (const listed of [10, 100, 1000]) {
      const index = {
        schemaVersion: 2,
        manifests: Array.from({ length: listed }, () => descriptor(OCI_MANIFEST, img.manifest)),
      };
      const bytes = writeTar([
        layout,
        ...img.blobs.map(entry),
        { name: 'index.json', data: JSON.stringify(index) },
      ]);
      const counter = { bytes: 0, reads: 0 };
      const archive = await openArchive(countingSource(bytesSource(bytes, 'many.tar'), counter));
      await inspectArchive(archive);
      sizes.push([bytes.length, counter.bytes]);
    }
    for (const [size, read] of sizes) expect(read).toBeLessThan(2 * size + 64 * 1024);
  });
});

describe('stevedore verify on a partial save', () => {
  it('says "incomplete", exits 1 for the whole archive and 0 for the platform that is there', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'stevedore-partial-'));
    const file = join(dir, 'partial.tar');
    await writeFile(file, partialSave());
    const run = (...argv: string[]) => runCli(argv);
    const all = await run('verify', file);
    expect(all.code).toBe(1);
    expect(all.out).toBe('');
    expect(all.err).toMatch(
      /checks passed; incomplete: 1 of 2 platforms not included in this archive/,
    );
    const amd64 = await run('verify', file, '--platform', 'linux/amd64');
    expect(amd64.code).toBe(0);
    expect(amd64.err).not.toMatch(/incomplete/);
    const arm64 = await run('verify', file, '--platform', 'linux/arm64');
    expect(arm64.code).toBe(1);
    expect(arm64.err).toMatch(/incomplete: 1 of 1 platform not included/);
    const s390x = await run('verify', file, '--platform=linux/s390x');
    expect(s390x.code).toBe(1);
    expect(s390x.err).toMatch(/no manifest of linux\/s390x/);
    expect((await run('verify', file, '--platform', 'linux')).code).toBe(2);
    await rm(dir, { recursive: true });
  });
});

describe('the Markdown of a partial save', () => {
  it('lists the platform and says it is not included, with no made-up sizes', async () => {
    const archive = await openArchive(bytesSource(partialSave(), 'partial.tar'));
    const markdown = renderMarkdown(await inspectArchive(archive));
    const sections = markdown.split('\n### ');
    expect(sections).toHaveLength(3);
    expect(sections[2]).toMatch(
      /^`partial` - linux; arm64\n\n-\tNot included in this archive: the index lists this manifest \(`sha256:[0-9a-f]{64}`\), the archive does not hold it\n$/,
    );
    expect(sections[2]).not.toMatch(/Total Size/);
  });
});
