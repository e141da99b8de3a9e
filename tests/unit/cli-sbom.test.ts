/**
 * `stevedore sbom` through the real read path on every package fixture with a truth file
 * (what rpm, dpkg-query and an independent apk parser wrote): each document is valid against
 * its official schema, lists every package of the truth once with the purl the purl spec
 * gives it and its licences (expressions where they parse, named otherwise), and is the same
 * bytes on a second run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import parse from 'spdx-expression-parse';
import { describe, expect, test } from 'vitest';
import { parseSbomArgs } from '../../src/cli/sbom.ts';
import { validateSbom } from '../../src/lib/sbom/validate.ts';
import { runCli } from '../support/cli.ts';
import { packageFixture, PACKAGES } from './packages/extract.ts';

/** The purl spec's encoding, written here from its text ("Characters and encoding"). */
const enc = (s: string) =>
  [...new TextEncoder().encode(s)]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9.~_:-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');

interface Expected {
  name: string;
  purl: string;
  licences: string[];
}

/** Returns what the truth says each package's purl and licences are. */
function expected(truth: any): Expected[] {
  const os = truth.os_release;
  const distro = os ? `&distro=${enc(`${os.ID}-${os.VERSION_ID}`)}` : '';
  const ns = os ? `${os.ID}/` : '';
  const out: Expected[] = [];
  for (const p of truth.apk?.packages ?? [])
    out.push({
      name: p.name,
      purl: `pkg:apk/${ns}${enc(p.name.toLowerCase())}@${enc(p.version)}?arch=${p.arch}${distro}`,
      licences: p.license ? [p.license] : [],
    });
  for (const p of truth.dpkg?.packages ?? [])
    out.push({
      name: p.name,
      purl: `pkg:deb/${ns}${enc(p.name)}@${enc(p.version)}?arch=${p.arch}${distro}`,
      licences: p.licenses,
    });
  for (const p of truth.rpm?.packages ?? []) {
    const arch = p.arch ? `arch=${p.arch}` : '';
    const q = [arch, distro.slice(1), p.epoch !== null ? `epoch=${p.epoch}` : '']
      .filter(Boolean)
      .join('&');
    out.push({
      name: p.name,
      purl: `pkg:rpm/${ns}${enc(p.name)}@${enc(`${p.version}-${p.release}`)}${q ? `?${q}` : ''}`,
      licences: p.license ? [p.license] : [],
    });
  }
  return out;
}

const parses = (t: string) => {
  if (/LicenseRef-|DocumentRef-/.test(t)) return false;
  try {
    parse(t);
    return true;
  } catch {
    return false;
  }
};

const truths = readdirSync(PACKAGES).filter((f) => f.endsWith('.truth.json'));

describe.each(truths)('sbom on %s', (truthFile) => {
  const truth = JSON.parse(readFileSync(packageFixture(truthFile), 'utf8'));
  const archive = packageFixture(truth.fixture);
  const want = expected(truth);
  const run = (format: string) =>
    runCli(['sbom', archive, '--format', format, '--platform', truth.platform]);
  const spdx = run('spdx-json');
  const cdx = run('cyclonedx-json');

  test('SPDX 2.3: valid; every package once, its purl, its licences', async () => {
    const { code, out, err } = await spdx;
    expect(code, err).toBe(0);
    const doc = JSON.parse(out);
    expect(validateSbom('spdx-json', doc)).toEqual([]);
    const pkgs = doc.packages.filter((p: any) => p.SPDXID.startsWith('SPDXRef-Package-'));
    expect(pkgs).toHaveLength(want.length);
    const extracted = new Map<string, string>(
      (doc.hasExtractedLicensingInfos ?? []).map((e: any) => [e.licenseId, e.extractedText]),
    );
    for (const w of want) {
      const found = pkgs.filter((p: any) => p.externalRefs?.[0]?.referenceLocator === w.purl);
      expect(found, w.purl).toHaveLength(1);
      const declared: string = found[0].licenseDeclared;
      const texts = [...new Set(w.licences.filter((l) => l.trim() !== ''))];
      if (texts.length === 0) {
        expect(declared).toBe('NOASSERTION');
        continue;
      }
      expect(() => parse(declared), declared).not.toThrow();
      const refs = declared.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? [];
      const named = refs.map((r) => extracted.get(r));
      for (const t of texts) {
        if (parses(t)) expect(declared.includes(t), `${w.name}: ${t} in ${declared}`).toBe(true);
        else expect(named, `${w.name}: ${t}`).toContain(t);
      }
      expect(refs).toHaveLength(texts.filter((t) => !parses(t)).length);
    }
  });

  test('CycloneDX 1.6: valid; the image the root; every package once, its purl, its licences', async () => {
    const { code, out, err } = await cdx;
    expect(code, err).toBe(0);
    const doc = JSON.parse(out);
    expect(validateSbom('cyclonedx-json', doc)).toEqual([]);
    expect(doc.metadata.component.type).toBe('container');
    // A legacy docker save has no manifest: the image is known by its image ID alone.
    const root = doc.metadata.component;
    if (truth.fixture.endsWith('.tar.gz')) expect(root.version).toBeUndefined();
    else expect(root.version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(root.properties).toContainEqual({
      name: 'stevedore:image:id',
      value: expect.stringMatching(/^sha256:/),
    });
    const libs = doc.components.filter((c: any) => c.type === 'library');
    expect(libs).toHaveLength(want.length);
    const os = doc.components.filter((c: any) => c.type === 'operating-system');
    expect(os.map((c: any) => [c.name, c.version])).toEqual(
      truth.os_release ? [[truth.os_release.ID, truth.os_release.VERSION_ID]] : [],
    );
    for (const w of want) {
      const found = libs.filter((c: any) => c.purl === w.purl);
      expect(found, w.purl).toHaveLength(1);
      const texts = [...new Set(w.licences.filter((l) => l.trim() !== ''))];
      const licenses = found[0].licenses;
      if (texts.length === 0) expect(licenses).toBeUndefined();
      else if (licenses[0].expression !== undefined) {
        expect(texts.every(parses)).toBe(true);
        for (const t of texts) expect(licenses[0].expression).toContain(t);
      } else expect(licenses.map((l: any) => l.license.id ?? l.license.name)).toEqual(texts);
    }
  });

  test('the same bytes on a second run', async () => {
    const again = await run('cyclonedx-json');
    expect(again.out).toBe((await cdx).out);
  });
});

describe('the command line', () => {
  const archive = packageFixture('apk-alpine318.tar');

  test('--format is required and checked; --help answers', async () => {
    expect(parseSbomArgs([archive])).toBe('sbom needs --format spdx-json or cyclonedx-json');
    expect(parseSbomArgs([archive, '--format', 'xml'])).toBe(
      '--format takes spdx-json or cyclonedx-json, not "xml"',
    );
    const help = await runCli(['sbom', '--help']);
    expect(help.code).toBe(0);
    expect(help.err).toContain('stevedore-image sbom <archive> --format spdx-json|cyclonedx-json');
    const bad = await runCli(['sbom', archive, '--format', 'xml']);
    expect([bad.code, bad.out]).toEqual([2, '']);
    expect(bad.err).toContain('--format takes spdx-json or cyclonedx-json');
  });

  test('a missing file and a missing platform: one line, exit 2, nothing on stdout', async () => {
    const none = await runCli(['sbom', '/nonexistent.tar', '--format', 'spdx-json']);
    expect([none.code, none.out, none.err]).toEqual([
      2,
      '',
      'stevedore: cannot open /nonexistent.tar: no such file\n',
    ]);
    const p = await runCli(['sbom', archive, '--format', 'spdx-json', '--platform', 'linux/s390x']);
    expect([p.code, p.out]).toEqual([2, '']);
    expect(p.err).toMatch(/no image of linux\/s390x/);
  });

  test('main --help lists the command', async () => {
    const { err } = await runCli(['--help']);
    expect(err).toContain('stevedore-image sbom <archive> --format spdx-json|cyclonedx-json');
  });
});
