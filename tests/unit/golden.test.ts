import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeFileSource } from '../../src/cli/node-source.ts';
import { inspectSource } from '../../src/lib/inspect.ts';
import { renderMarkdown } from '../../src/lib/report/markdown.ts';
import { FIXTURES } from '../support/paths.ts';

const fixtures = FIXTURES;
const golden = fileURLToPath(new URL('../golden/', import.meta.url));

/** One fixture of each shape; the golden files were read line by line against tar/jq output. */
const cases: [fixture: string, shape: string][] = [
  ['gen-buildah-multiarch-oci-archive.tar', 'OCI index, 3 platforms, gzip layers'],
  ['dive-test-docker-image.tar', 'legacy docker save, uncompressed layer.tar'],
  ['ggcr-test_link.tar', 'legacy docker save, 2 images, symlinked layer.tar'],
  ['ggcr-hello-world-v25.tar', 'Docker 25 save, index.json "manifests": null'],
  ['dive-test-kaniko-image.tar', 'kaniko / go-containerregistry tarball, gzip layers'],
  ['trivy-alpine-310.tar.gz', 'gzip-compressed docker save, one streaming pass'],
  ['regclient-testrepo-ocidir.tar', 'OCI layout, 26 refs, attestations, artifacts, nested'],
];

describe('Markdown export equals the golden file', () => {
  for (const [fixture, shape] of cases) {
    it(`${fixture} (${shape})`, async () => {
      const src = await nodeFileSource(fixtures + fixture);
      try {
        const markdown = renderMarkdown(await inspectSource(src));
        const path = golden + fixture.replace(/\.tar(\.gz)?$/, '.md');
        // UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
        if (process.env.UPDATE_GOLDEN) await writeFile(path, markdown);
        expect(markdown).toBe(await readFile(path, 'utf8'));
      } finally {
        await src.close();
      }
    });
  }
});
