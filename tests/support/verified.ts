/** The property behind "verified", for any test to assert. */
import { expect } from 'vitest';
import type { Report } from '../../src/lib/report/model.ts';

/** Returns the digests that passing blob-digest checks hashed, and the diff_ids that matched. */
function hashed(verification: Report['verification']) {
  const digests = new Set<string>();
  const diffIds = new Set<string>();
  for (const c of verification.checks) {
    if (!c.ok) continue;
    if (c.kind === 'blob-digest' || c.kind === 'name') digests.add(c.expected!);
    if (c.kind === 'diff-id') diffIds.add(c.expected!);
  }
  return { digests, diffIds };
}

/** The property behind "verified": ok means every descriptor of every manifest shown (manifest,
 * config, layers, diff_ids) was hashed in this run. */
export function expectOkMeansEverythingHashed(report: Report): void {
  if (report.verification.status !== 'ok') return;
  const { digests, diffIds } = hashed(report.verification);
  for (const image of report.images) {
    if (image.digest) expect(digests, `index ${image.digest}`).toContain(image.digest);
    for (const m of image.manifests) {
      if (m.digest) expect(digests, `manifest ${m.digest}`).toContain(m.digest);
      if (m.imageId) expect(digests, `config ${m.imageId}`).toContain(m.imageId);
      for (const l of m.layers) {
        if (l.digest && m.digest) expect(digests, `layer ${l.digest}`).toContain(l.digest);
        if (l.diffId) expect(diffIds, `diff_id ${l.diffId}`).toContain(l.diffId);
      }
    }
  }
}
