/** The stored bytes of each layer of a dropped archive (a Blob): the very layer blobs the
 * test-side reader finds through manifest.json or the OCI index. */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layerSourcesOf } from '../../../src/app/files/layer-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { blobSource } from '../../../src/lib/archive/byte-source.ts';
import { buildReport } from '../../../src/lib/report/build.ts';
import { readImageArchive } from '../../../src/lib/oci/read.ts';
import { fixture } from '../../support/paths.ts';
import { imageLayers, inflate } from '../layers/support.ts';

describe('layerSourcesOf', () => {
  it.each(['dive-test-docker-image.tar', 'dive-test-oci-gzip-image.tar'])(
    'gives the stored bytes of every layer of %s',
    async (name) => {
      const bytes = fs.readFileSync(fixture(name));
      const archive = await openArchive(blobSource(new Blob([new Uint8Array(bytes)]), name));
      const report = buildReport(archive, await readImageArchive(archive));
      const manifest = report.images[0]!.manifests[0]!;
      const sources = await layerSourcesOf(archive, manifest);
      const truth = imageLayers(fixture(name))[0]!.layers;
      expect(sources).toHaveLength(truth.length);
      for (const [i, s] of sources.entries()) {
        expect(s).not.toBeNull();
        const stored = new Uint8Array(await s!.blob.slice(s!.start, s!.end).arrayBuffer());
        expect(Buffer.from(inflate(stored))).toEqual(Buffer.from(truth[i]!));
        expect(s!.format).toBe(stored[0] === 0x1f ? 'gzip' : 'none');
      }
    },
  );
});
