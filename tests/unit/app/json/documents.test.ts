import { describe, expect, it } from 'vitest';
import { DocumentMap, readDocument } from '../../../../src/app/json/documents.ts';
import { digestsIn } from '../../../../src/app/json/json-view.ts';
import { readImageArchive } from '../../../../src/lib/oci/read.ts';
import { FIXTURES, openBlobArchive } from '../../verify/helpers.ts';

async function map(name: string) {
  const { archive, report } = await openBlobArchive(FIXTURES + name);
  return { map: new DocumentMap(archive, await readImageArchive(archive)), archive, report };
}

describe('where the digests of a document lead', () => {
  it('multi-arch OCI: the index lists manifests, each manifest its config and layers', async () => {
    const { map: docs, archive, report } = await map('gen-buildah-multiarch-oci-archive.tar');
    const image = report.images[0]!;
    const index = docs.resolve(image.digest!);
    expect(index).toMatchObject({
      kind: 'document',
      title: 'index of gen-buildah-multiarch-oci-archive:gen-multi',
    });
    if (index.kind !== 'document') return;
    const parsed = await readDocument(archive, index.entry);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const listed = digestsIn(parsed.value);
    expect(listed).toEqual(image.manifests.map((m) => m.digest));
    expect(listed.map((d) => docs.resolve(d).title)).toEqual([
      'manifest of linux/amd64',
      'manifest of linux/arm64/v8',
      'manifest of linux/arm/v7',
    ]);
    const arm = image.manifests[1]!;
    expect(docs.resolve(arm.imageId!)).toMatchObject({
      kind: 'document',
      title: 'config of linux/arm64/v8',
    });
    expect(docs.resolve(arm.layers[0]!.digest!)).toMatchObject({
      kind: 'layer',
      image: 0,
      manifest: 1,
      layer: 1,
      title: `layer 1 (${arm.layers[0]!.digest!.slice(0, 19)}) of linux/arm64/v8`,
    });
    // A diff_id in the config leads to its layer too.
    expect(docs.resolve(arm.layers[0]!.diffId!)).toMatchObject({ kind: 'layer', manifest: 1 });
    expect(docs.resolve(`sha256:${'0'.repeat(64)}`)).toEqual({
      kind: 'absent',
      title: 'sha256:000000000000: not in this archive',
    });
  });

  it('a legacy docker save: manifest.json, its config and layer paths', async () => {
    const { map: docs, report } = await map('gen-buildah-docker-archive-arm64-v8.tar');
    const top = docs.resolve('manifest.json');
    expect(top).toMatchObject({ kind: 'document', title: 'manifest.json (docker save)' });
    const m = report.images[0]!.manifests[0]!;
    expect(docs.resolve(m.imageId!)).toMatchObject({
      kind: 'document',
      title: 'config of linux/arm64/v8',
    });
    expect(docs.resolve(m.layers[0]!.digest!)).toMatchObject({ kind: 'layer', layer: 1 });
  });

  it('a document over the bound is refused before it is read', async () => {
    const { archive } = await map('gen-buildah-multiarch-oci-archive.tar');
    const entry = {
      ...archive.entries.find((e) => e.name === 'index.json')!,
      size: 17 * 1024 * 1024,
    };
    expect(await readDocument(archive, entry)).toEqual({
      ok: false,
      error: 'it is 17,825,792 bytes, more than the 16,777,216 a JSON document may have',
    });
  });
});
