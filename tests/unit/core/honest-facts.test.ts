/** Small facts that real archives (jib, BuildKit, old manifest lists) get wrong or odd. */
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { renderMarkdown } from '../../../src/lib/report/markdown.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import {
  OCI_INDEX,
  OCI_MANIFEST,
  descriptor,
  entry,
  image,
  layout,
} from '../../support/attacks.ts';
import { blob } from '../../support/oci.ts';
import { sha256, writeTar } from '../../support/tar.ts';

describe('manifest.json', () => {
  it('keys match in any letter case, as docker load reads them (jib before 2.3)', async () => {
    const layer = writeTar([{ name: 'a.txt', data: 'a\n' }]);
    const config = JSON.stringify({
      os: 'linux',
      architecture: 'amd64',
      rootfs: { diff_ids: [sha256(layer)] },
    });
    const configName = `${sha256(config).slice(7)}.json`;
    const bytes = writeTar([
      { name: configName, data: config },
      { name: 'l/layer.tar', data: layer },
      {
        name: 'manifest.json',
        data: JSON.stringify([
          { config: configName, repoTags: ['jib:old'], layers: ['l/layer.tar'] },
        ]),
      },
    ]);
    const archive = await openArchive(bytesSource(bytes, 'jib.tar'));
    const report = await inspectArchive(archive);
    expect(report.images[0]!.ref).toBe('jib:old');
    expect(report.images[0]!.manifests[0]!.layers).toHaveLength(1);
    expect((await verifyInProcess(archive, report)).verification.status).toBe('ok');
  });
});

describe('platform features', () => {
  it('os.features and the old platform.features print as repo-info writes them', async () => {
    const img = image();
    const index = blob({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        descriptor(OCI_MANIFEST, img.manifest, {
          platform: {
            os: 'windows',
            'os.version': '10.0.17763.1518',
            'os.features': ['win32k'],
            architecture: 'amd64',
            features: ['sse4'],
          },
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
    const report = await inspectArchive(await openArchive(bytesSource(bytes, 'win.tar')));
    expect(report.images[0]!.manifests[0]!.platformString).toBe(
      'windows version 10.0.17763.1518 ft. win32k; amd64 ft. sse4',
    );
    expect(renderMarkdown(report)).toContain(
      '\t-\twindows version 10.0.17763.1518 ft. win32k; amd64 ft. sse4\n',
    );
  });
});
