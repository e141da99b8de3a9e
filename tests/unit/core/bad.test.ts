/**
 * One case per file in tests/fixtures/bad/: either opening it gives no report (an ArchiveError
 * with a code, the entry at fault and a message naming it) or it gives a report whose problems
 * say what is wrong and where. Digest and diff_id mismatches are found by verification, which
 * streams every blob; opening reads headers and JSON only, so it must NOT report them.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../../src/lib/errors.ts';
import type { Report } from '../../../src/lib/report/model.ts';
import { BAD, inspectFile, inspectOutcome, runCli } from './helpers.ts';

interface Throws {
  code: string | RegExp;
  /** The entry at fault; undefined: not checked. */
  where?: string | null;
  message: RegExp;
}
interface Case {
  /** No report: inspectSource throws this. */
  throws?: Throws;
  /** A report, with exactly these problems (code, where); [] for none. */
  problems?: [string, string | null][];
  /** Further checks of the report. */
  check?: (report: Report) => void;
}

const LAYER_FLIPPED = 'sha256:f96d367e8328ed0e02d15a95cf9955fc5e0bacd8ce8ef61cc7a6b3258e674abb';
const MISSING_BLOB = 'sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f';
const RESIZED_INDEX = 'sha256:3ff4c8d247b2b27ca1f15364b668cadd7f1224d7af6a39e778c48ddb09b08e87';
const CONFIG_JSON = '23d8204886fc80e18bc4c6fb6805a3acb76f203beb35936fed29fd18d3bfe9f6';

const CASES: Record<string, Case> = {
  'dive-test-gzip-image-rootfs-only.tar': {
    throws: {
      code: 'not-an-image',
      where: null,
      message: /dive-test-gzip-image-rootfs-only\.tar.*not a container image/,
    },
  },
  'docker-archive-layer-byte-flipped.tar': {
    // The flipped bit is found when the layer is hashed (verification), not when opening.
    problems: [],
    check: (r) => expect(r.images[0]!.manifests[0]!.layers[0]!.digest).toBe(LAYER_FLIPPED),
  },
  'docker-archive-layer-path-traversal.tar': {
    // The unsafe names are inside the layers, which opening never reads; the outer archive is
    // clean. They are the business of whatever streams the layers.
    problems: [],
    check: (r) => expect(r.images.map((i) => i.ref)).toEqual(['bad/traversal:latest']),
  },
  'docker-archive-manifest-not-json.tar': {
    throws: {
      code: 'json-invalid',
      where: 'manifest.json',
      message: /manifest\.json.*not valid JSON/,
    },
  },
  'docker-archive-outer-path-traversal.tar': {
    problems: [['entry-path-unsafe', '../outer-evil.txt']],
    check: (r) => expect(r.images[0]!.manifests[0]!.layers).toHaveLength(2),
  },
  'ggcr-no_manifest.tar': {
    throws: {
      code: 'manifest-missing',
      where: 'manifest.json',
      message: /manifest\.json is missing/,
    },
  },
  'ggcr-null_manifest.tar': {
    throws: { code: 'manifest-invalid', where: 'manifest.json', message: /manifest\.json.*null/ },
  },
  'ggcr-source_image_with_empty_layer_history.tar': {
    // The config's name no longer matches its sha256 (05b5ec12…0712): verification's business.
    // Opening reports the id the archive claims, and history[0] is an empty_layer entry.
    problems: [],
    check: (r) => {
      const m = r.images[0]!.manifests[0]!;
      expect(m.imageId).toBe(
        'sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e',
      );
      expect(m.history.map((h) => h.emptyLayer)).toEqual([true, false]);
    },
  },
  'oci-descriptor-size-mismatch.tar': {
    problems: [['size-mismatch', RESIZED_INDEX]],
    check: (r) => expect(r.images[0]!.manifests).toHaveLength(3),
  },
  'oci-diffid-mismatch.tar': { problems: [] },
  'oci-gzip-bomb-1GiB.tar': { problems: [] },
  'oci-index-not-json.tar': {
    throws: { code: 'json-invalid', where: 'index.json', message: /index\.json.*not valid JSON/ },
  },
  'oci-layer-byte-flipped.tar': { problems: [] },
  'oci-missing-layer-blob.tar': {
    problems: [['blob-missing', MISSING_BLOB]],
    check: (r) => {
      const layer = r.images[0]!.manifests[0]!.layers[0]!;
      expect([layer.digest, layer.size]).toEqual([MISSING_BLOB, 218]);
    },
  },
  'oci-zstd-bomb-1GiB.tar': { problems: [] },
  'truncated-docker-archive.tar.gz': {
    throws: {
      code: 'tar-truncated',
      where: `${CONFIG_JSON}.json`,
      message: new RegExp(`gzip stream.*breaks off.*${CONFIG_JSON}\\.json`),
    },
  },
  'truncated-oci-archive-in-data.tar': {
    throws: {
      code: 'tar-truncated',
      where: `blobs/sha256/${CONFIG_JSON}`,
      message: new RegExp(`blobs/sha256/${CONFIG_JSON}`),
    },
  },
  'truncated-oci-archive-in-header.tar': {
    throws: {
      code: 'tar-truncated',
      where: null,
      message: /296 bytes into a tar header at offset 8704/,
    },
  },
};

async function expectThrows(file: string, t: Throws): Promise<void> {
  const { error, report } = await inspectOutcome(BAD + file);
  expect(report).toBeNull();
  expect(error).toBeInstanceOf(ArchiveError);
  const e = error as ArchiveError;
  if (typeof t.code === 'string') expect(e.code).toBe(t.code);
  else expect(e.code).toMatch(t.code);
  if (t.where !== undefined) expect(e.where).toBe(t.where);
  expect(e.message).toMatch(t.message);
}

async function expectProblems(file: string, problems: [string, string | null][]) {
  const { report } = await inspectFile(BAD + file);
  expect(report.problems.map((p) => [p.code, p.where])).toEqual(problems);
  for (const p of report.problems) expect(p.message.length).toBeGreaterThan(10);
  return report;
}

it('has a case for every file in tests/fixtures/bad/', () => {
  const files = readdirSync(BAD).filter((f) => f !== 'README.md');
  expect(files.sort()).toEqual(Object.keys(CASES).sort());
});

for (const [file, c] of Object.entries(CASES)) {
  describe(file, () => {
    if (c.throws) {
      const t = c.throws;
      const code = typeof t.code === 'string' ? t.code : '(any code)';
      const where = t.where === undefined ? '' : ` at ${t.where ?? 'the whole archive'}`;
      it(`gives no report: ArchiveError ${code}${where}, message ${String(t.message)}`, () =>
        expectThrows(file, t));
    } else {
      it(`gives a report with problems ${JSON.stringify(c.problems)}`, async () => {
        const report = await expectProblems(file, c.problems ?? []);
        c.check?.(report);
      });
    }

    it(`CLI exits ${c.throws ? 2 : 0} with one-line messages, no stack trace`, async () => {
      const { code, out, err } = await runCli(['report', BAD + file]);
      expect(code).toBe(c.throws ? 2 : 0);
      const lines = err.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(c.throws ? 1 : (c.problems ?? []).length);
      for (const line of lines) {
        expect(line).toMatch(/^stevedore: /);
        expect(line).not.toMatch(/internal error/);
      }
      expect(err).not.toMatch(/^\s+at /m);
      if (c.throws) expect(out).toBe('');
      else expect(out).toMatch(/^## `/);
    });
  });
}

describe('bombs are opened without inflating them', () => {
  for (const file of ['oci-gzip-bomb-1GiB.tar', 'oci-zstd-bomb-1GiB.tar']) {
    it(`${file}: opening reads under 64 KiB`, async () => {
      const { bytesRead } = await inspectFile(BAD + file);
      expect(bytesRead).toBeLessThan(64 * 1024);
    });
  }
});
