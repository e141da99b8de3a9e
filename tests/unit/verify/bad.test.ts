import { describe, expect, it } from 'vitest';
import type { Check } from '../../../src/lib/report/model.ts';
import { BAD, verifyFile } from './helpers.ts';

/** The failed checks of a bad fixture, without their messages. */
async function failures(file: string): Promise<Omit<Check, 'message'>[]> {
  const { verification } = await verifyFile(BAD + file);
  expect(verification.status).toBe('failed');
  return verification.checks.filter((c) => !c.ok).map(({ message: _, ...rest }) => rest);
}

const F96D = 'sha256:f96d367e8328ed0e02d15a95cf9955fc5e0bacd8ce8ef61cc7a6b3258e674abb';
const LAYER_00BD = 'sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f';

describe('each bad fixture fails with the right check', () => {
  it('a byte flipped in a docker save layer: its name and its diff_id', async () => {
    const actual = 'sha256:d01eb68d556a57156d17b46641bdaf7215e5dbb0d389f9e2892a752bd262f81d';
    expect(await failures('docker-archive-layer-byte-flipped.tar')).toEqual([
      { kind: 'diff-id', target: F96D, expected: F96D, actual, ok: false },
      { kind: 'name', target: `${F96D.slice(7)}.tar`, expected: F96D, actual, ok: false },
    ]);
  });

  it('a bit flipped in an OCI layer gzip trailer: its digest, and its content is corrupt', async () => {
    const { verification } = await verifyFile(BAD + 'oci-layer-byte-flipped.tar');
    const failed = verification.checks.filter((c) => !c.ok);
    expect(failed.map(({ message: _, ...c }) => c)).toEqual([
      {
        kind: 'blob-digest',
        target: LAYER_00BD,
        expected: LAYER_00BD,
        actual: 'sha256:857de105a79d307376a56e194de87c21e831eff10247cf03ef192a2183ed1f9b',
        ok: false,
      },
      {
        kind: 'diff-id',
        target: LAYER_00BD,
        expected: 'sha256:c6d28df6664a01261df232649e31750fabf4c6a2455e5f2935d91a7071b40c34',
        actual: null,
        ok: false,
      },
    ]);
    expect(failed[0]!.message).toBe(
      `layer 1 ${LAYER_00BD} of linux/amd64: SHA-256 is sha256:857de105a79d307376a56e194de87c21e831eff10247cf03ef192a2183ed1f9b, expected ${LAYER_00BD}`,
    );
    expect(failed[1]!.message).toMatch(
      / is not a valid gzip stream: its checksum does not match its data; /,
    );
  });

  it('a config diff_id that is not the layer content', async () => {
    expect(await failures('oci-diffid-mismatch.tar')).toEqual([
      {
        kind: 'diff-id',
        target: 'sha256:1e93cf090ac787e2248b4e962d9496cd6ac868a58825a9ee0e318221969db529',
        expected: 'sha256:7b7829ac9a01c0db8e891d79c20797f72c019d6a3ad0aed8c121c51bbaa6807d',
        actual: 'sha256:a32826ad161414ebdd8b3ab0c346437284f32d8a9cd48dee9d718213c6ece577',
        ok: false,
      },
    ]);
  });

  it('a layer blob missing from the archive: its reference, and the blob shows as missing', async () => {
    const { verification, jobs } = await verifyFile(BAD + 'oci-missing-layer-blob.tar');
    expect(verification.checks.filter((c) => !c.ok)).toEqual([
      {
        kind: 'reference',
        target: LAYER_00BD,
        expected: `blobs/sha256/${LAYER_00BD.slice(7)}`,
        actual: null,
        ok: false,
        message: `layer 1 ${LAYER_00BD} of linux/amd64 is not in the archive (no blobs/sha256/${LAYER_00BD.slice(7)})`,
      },
    ]);
    expect(jobs.filter((j) => j.state !== 'ok')).toMatchObject([
      { name: null, targets: [LAYER_00BD], state: 'missing' },
    ]);
  });

  it('an index descriptor whose size is one byte too many', async () => {
    expect(await failures('oci-descriptor-size-mismatch.tar')).toEqual([
      {
        kind: 'blob-size',
        target: 'sha256:3ff4c8d247b2b27ca1f15364b668cadd7f1224d7af6a39e778c48ddb09b08e87',
        expected: '722',
        actual: '721',
        ok: false,
      },
    ]);
  });

  it('a docker save config edited after it was named (its name is the image ID)', async () => {
    const id = 'sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e';
    expect(await failures('ggcr-source_image_with_empty_layer_history.tar')).toEqual([
      {
        kind: 'name',
        target: `${id.slice(7)}.json`,
        expected: id,
        actual: 'sha256:05b5ec1290589606ce19fabb1fb331f004acd9f618b9b4e813721be1a03a0712',
        ok: false,
      },
    ]);
  });

  it('an outer entry set aside leaves the rest verified', async () => {
    const { verification } = await verifyFile(BAD + 'docker-archive-outer-path-traversal.tar');
    expect(verification.status).toBe('ok');
  });

  it('layers whose entries escape their root fail a layer-path check, digests still match', async () => {
    const { verification } = await verifyFile(BAD + 'docker-archive-layer-path-traversal.tar');
    expect(verification.status).toBe('failed');
    // Plan order is largest blob first; sort by the first escaping entry for a stable list.
    const failed = verification.checks
      .filter((c) => !c.ok)
      .sort((a, b) => (a.actual ?? '').localeCompare(b.actual ?? ''));
    expect(failed.map((c) => [c.kind, c.actual])).toEqual([
      ['layer-path', '../../../tmp/evil-dotdot.txt'],
      ['layer-path', 'etc/link'],
    ]);
    expect(failed[0]!.message).toMatch(
      /"\.\.\/\.\.\/\.\.\/tmp\/evil-dotdot\.txt" \(climbs out with \.\.\/\), "\/tmp\/evil-absolute\.txt" \(absolute path\)$/,
    );
    expect(failed[1]!.message).toMatch(
      /"etc\/link" -> "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/tmp" \(symlink out of the root\), "etc\/link\/evil-via-symlink\.txt" \(written through such a symlink\)$/,
    );
    // Every digest check still passes: the layers are what the archive says they are.
    expect(verification.checks.filter((c) => c.kind !== 'layer-path').every((c) => c.ok)).toBe(
      true,
    );
  });
});
