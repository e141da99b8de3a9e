import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/lib/report/model.ts';
import {
  LIST_LIMIT,
  LIST_STEP,
  capList,
  capText,
  countText,
  downloadName,
  dockerfileText,
  exactSize,
  layerBar,
  layerCompressions,
  manifestLabel,
  peopleSize,
  sharedWith,
  shortDigest,
  sizeNote,
  topDigest,
  verificationState,
} from '../../../src/app/report-view.ts';
import { fixtureReport } from '../../support/report.ts';

function imageNamed(r: Report, ref: string) {
  const image = r.images.find((i) => i.ref === ref);
  if (!image) throw new Error(`no image ${ref}`);
  return image;
}

describe('report view helpers', () => {
  it('shortens digests and sizes, keeping anything else as it is', () => {
    expect(
      shortDigest('sha256:f38679ffd604645c19a588b9fefcecaf3f08551fa73ef4613b56c0ed490d17ef'),
    ).toBe('sha256:f38679ffd604');
    expect(shortDigest('sha512:abc')).toBe('sha512:abc');
    expect(peopleSize(1470464)).toBe('1.5 MB');
    expect(peopleSize(413)).toBe('413 B');
    expect(peopleSize(1000)).toBe('1000 B'); // repo-info steps up past 1000, not at it
    expect(peopleSize(1001)).toBe('1.0 KB');
    expect(peopleSize(413.5)).toBe('413.5 B'); // not a byte count: as repo-info writes it
  });

  it('names download files after the archive stem', () => {
    expect(downloadName('gen-buildah-multiarch-oci-archive.tar', 'md')).toBe(
      'gen-buildah-multiarch-oci-archive.md',
    );
    expect(downloadName('trivy-alpine-310.tar.gz', 'json')).toBe('trivy-alpine-310.json');
    expect(downloadName('oci-layout-folder', 'md')).toBe('oci-layout-folder.md');
  });

  it('labels regclient attestations by their subject platform', async () => {
    const r = await fixtureReport('regclient-testrepo-ocidir.tar');
    const v1 = imageNamed(r, 'regclient-testrepo-ocidir:v1');
    expect(v1.manifests.map((m) => manifestLabel(r, v1, m))).toEqual([
      'linux; amd64',
      'linux; arm64',
      'attestation for linux; amd64',
      'attestation for linux; arm64',
    ]);
    // An artifact whose subject is another image's index is named by its short digest.
    const a1 = imageNamed(r, 'regclient-testrepo-ocidir:a1');
    expect(manifestLabel(r, a1, a1.manifests[0]!)).toBe('artifact for sha256:dfae8f425735');
  });

  it('lists the other platforms that share a layer', async () => {
    const r = await fixtureReport('regclient-testrepo-ocidir.tar');
    const b1 = imageNamed(r, 'regclient-testrepo-ocidir:b1');
    const amd64 = b1.manifests[0]!;
    expect(sharedWith(r, b1, amd64, amd64.layers[0]!)).toEqual([
      'linux; arm64',
      'linux; arm variant v7',
      'linux; arm variant v6',
    ]);
    const sample = await fixtureReport('gen-buildah-multiarch-oci-archive.tar');
    const image = sample.images[0]!;
    expect(sharedWith(sample, image, image.manifests[0]!, image.manifests[0]!.layers[0]!)).toEqual(
      [],
    );
  });

  it('scales layer bars to the largest platform', async () => {
    const r = await fixtureReport('gen-buildah-multiarch-oci-archive.tar');
    const image = r.images[0]!;
    expect(topDigest(image)).toBe(
      'sha256:3ff4c8d247b2b27ca1f15364b668cadd7f1224d7af6a39e778c48ddb09b08e87',
    );
    const arm64 = layerBar(image, image.manifests[1]!); // 418 B, the largest
    expect(arm64.reduce((sum, s) => sum + s.percent, 0)).toBeCloseTo(100);
    expect(arm64[0]!.title).toBe('layer 1: sha256:5e30ea40a0aa, 219 B');
    const amd64 = layerBar(image, image.manifests[0]!); // 413 B
    expect(amd64.reduce((sum, s) => sum + s.percent, 0)).toBeCloseTo((413 / 418) * 100);
    expect(layerCompressions(image)).toBe('gzip');
  });

  it('reads "not verified" until a verification has run', async () => {
    const r = await fixtureReport('gen-buildah-multiarch-oci-archive.tar');
    const m = r.images[0]!.manifests[0]!;
    expect(verificationState(r.verification, m)).toBe('not verified');
    const layer = m.layers[0]!.digest!;
    const check = { kind: 'blob-digest' as const, target: layer, expected: layer, actual: layer };
    expect(
      verificationState({ status: 'ok', checks: [{ ...check, ok: true, message: 'matches' }] }, m),
    ).toBe('verified');
    expect(
      verificationState(
        { status: 'failed', checks: [{ ...check, ok: false, message: 'differs' }] },
        m,
      ),
    ).toBe('failed');
  });

  it('prints the Dockerfile and size note as the Markdown export does', async () => {
    const r = await fixtureReport('containers-image-almostempty.tar');
    const m = r.images[0]!.manifests[0]!;
    expect(dockerfileText(m)).toBe(
      '# Tue, 07 Feb 2017 19:02:14 GMT\n' +
        'ADD file:54946f8cfc2693368a889f9f55fefa4a7102d0daf51354f09c6620a48d3c625c in /emptyfile\n',
    );
    expect(sizeNote(r, m)).toBe('uncompressed layer tar size from a legacy docker save archive');
  });
});

describe('long lists', () => {
  const labels = Object.entries(
    Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`label-${i}`, `value ${i}`])),
  );
  const problems = Array.from({ length: 100_000 }, (_, i) => ({
    code: 'blob-missing',
    where: `sha256:${String(i).padStart(64, '0')}`,
    message: `blob ${i} is missing`,
  }));

  it('shows the first LIST_LIMIT of 100,000 labels, and says so', () => {
    const list = capList(labels, LIST_LIMIT);
    expect(list.shown).toHaveLength(200);
    expect(list.shown[0]).toEqual(['label-0', 'value 0']);
    expect(list).toMatchObject({ matching: 100_000, total: 100_000 });
    expect(capText(list, 'labels', false)).toBe('showing 200 of 100,000 labels');
    expect(capText(capList(labels, LIST_LIMIT + LIST_STEP), 'labels', false)).toBe(
      'showing 1,200 of 100,000 labels',
    );
    // A short list is shown whole, without a line.
    expect(capText(capList(labels.slice(0, 3), LIST_LIMIT), 'labels', false)).toBeNull();
  });

  it('filters 100,000 problems, case-insensitive, still capped', () => {
    const text = (p: (typeof problems)[number]) => `${p.message} ${p.where}`;
    const one = capList(problems, LIST_LIMIT, ' BLOB 99999 ', text);
    expect(one.shown.map((p) => p.message)).toEqual(['blob 99999 is missing']);
    expect(capText(one, 'problems', true)).toBe(
      'showing 1 of 1 matching (100,000 problems in all)',
    );
    const many = capList(problems, LIST_LIMIT, 'blob 9', text);
    expect(many.shown).toHaveLength(200);
    expect(many.matching).toBe(11_111);
    expect(capList(problems, 10, '', text).matching).toBe(100_000);
    expect(countText(100_000)).toBe('100,000');
  });
});

describe('countText and exactSize, grouped by hand', () => {
  it("say the same as en-US's toLocaleString", () => {
    const sizes = [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 1_470_464, 2 ** 31, 2 ** 53 - 1];
    for (let n = 1; n < 1e15; n = n * 7 + 3) sizes.push(n);
    for (const n of [...sizes, 2 ** 53, 1.5, -1234]) {
      expect(countText(n)).toBe(n.toLocaleString('en-US'));
      expect(exactSize(n)).toBe(`${n.toLocaleString('en-US')} bytes`);
    }
  });
});
