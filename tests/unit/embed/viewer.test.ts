import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { OpenError } from '../../../src/app/tab.svelte.ts';
import type { VerifyFunction } from '../../../src/app/verification.svelte.ts';
import { renderJson } from '../../../src/lib/report/json.ts';
import type { Report, Verification } from '../../../src/lib/report/model.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import {
  Viewer,
  fileProblem,
  urlFileName,
  viewMode,
  type ViewerHooks,
} from '../../../src/embed/viewer.svelte.ts';
import { BAD, FIXTURES } from '../verify/helpers.ts';

const MULTIARCH = 'gen-buildah-multiarch-oci-archive.tar';
const HELLO = 'ggcr-hello-world-v25.tar';

/** Verification in this thread, as the page's worker pool would give it. */
const inProcess: VerifyFunction = (archive, report, options) =>
  verifyInProcess(archive, report, options);

const file = async (path: string, name = path.slice(path.lastIndexOf('/') + 1)) =>
  new File([await readFile(path)], name);

/** Returns a viewer that records what it tells its owner. */
function recorded(hooks: ViewerHooks = {}) {
  const reports: Report[] = [];
  const verifications: Verification[] = [];
  const errors: OpenError[] = [];
  const viewer = new Viewer({
    verify: inProcess,
    onreport: (r) => reports.push(r),
    onverified: (v) => verifications.push(v),
    onerror: (e) => errors.push(e),
    ...hooks,
  });
  return { viewer, reports, verifications, errors };
}

describe('Viewer', () => {
  it('opens a File and tells the JSON report, as renderJson writes it', async () => {
    const { viewer, reports, verifications, errors } = recorded();
    await viewer.open(await file(FIXTURES + MULTIARCH));
    expect(errors).toEqual([]);
    expect(reports).toHaveLength(1);
    const report = reports[0]!;
    expect(report).toEqual(JSON.parse(renderJson(viewer.tab!.report!)));
    expect(Object.keys(report)).toEqual(['schema', 'source', 'images', 'verification', 'problems']);
    expect(report.source).toEqual({
      name: MULTIARCH,
      size: 20992,
      format: 'oci-layout',
      compression: 'none',
    });
    expect(report.images[0]!.digest).toBe(
      'sha256:3ff4c8d247b2b27ca1f15364b668cadd7f1224d7af6a39e778c48ddb09b08e87',
    );
    expect(report.images[0]!.manifests.map((m) => m.platformString)).toEqual([
      'linux; amd64',
      'linux; arm64 variant v8',
      'linux; arm variant v7',
    ]);
    expect(report.verification).toEqual({ status: 'not-run', checks: [] });
    expect(verifications).toEqual([]); // not asked to verify
  });

  it('with autoVerify, verifies once the report is told, and says so', async () => {
    const { viewer, reports, verifications } = recorded();
    viewer.autoVerify = true;
    await viewer.open(await file(FIXTURES + MULTIARCH));
    expect(reports).toHaveLength(1);
    expect(verifications).toHaveLength(1);
    expect(verifications[0]!.status).toBe('ok');
    expect(verifications[0]!.checks).toHaveLength(45);
    expect(verifications[0]!.checks.every((c) => c.ok)).toBe(true);
    // The report shown carries it (the platform table reads it there).
    expect(viewer.tab!.report!.verification).toEqual(verifications[0]);
  });

  it('verifies on demand; a second call while one runs does nothing', async () => {
    const { viewer, verifications } = recorded();
    await viewer.open(await file(FIXTURES + HELLO));
    await Promise.all([viewer.verify(), viewer.verify()]);
    expect(verifications.map((v) => v.status)).toEqual(['ok']);
  });

  it('fetches src URLs through the fetch it is given, named by the URL', async () => {
    const asked: string[] = [];
    const bytes = await readFile(FIXTURES + HELLO);
    const { viewer, reports } = recorded({
      fetch: async (url) => {
        asked.push(String(url));
        return new Response(bytes);
      },
    });
    await viewer.openUrl('https://portal.example/images/hello%20world.tar?x=1');
    expect(asked).toEqual(['https://portal.example/images/hello%20world.tar?x=1']);
    expect(reports[0]!.source.name).toBe('hello world.tar');
    expect(reports[0]!.images[0]!.manifests[0]!.digest).toBe(
      'sha256:411caf340c828657e915a83ed561a79d2b8150dabad4dc079d881cbfe6f86afe',
    );
  });

  it('says what went wrong with a URL that cannot be fetched', async () => {
    const notFound = recorded({ fetch: async () => new Response('no', { status: 404 }) });
    await notFound.viewer.openUrl('https://portal.example/missing.tar');
    expect(notFound.reports).toEqual([]);
    expect(notFound.errors).toEqual([
      {
        code: 'fetch-failed',
        message: 'the archive could not be fetched (HTTP 404)',
        where: 'https://portal.example/missing.tar',
      },
    ]);
    const refused = recorded({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await refused.viewer.openUrl('https://elsewhere.example/x.tar');
    expect(refused.errors[0]!.message).toBe('the archive could not be fetched: Failed to fetch');
  });

  it('tells the error of a broken archive, with where', async () => {
    const { viewer, reports, errors } = recorded();
    await viewer.open(new File([new Uint8Array(0)], 'empty.tar'));
    expect(reports).toEqual([]);
    expect(errors).toEqual([{ code: 'empty', message: '"empty.tar" is empty', where: null }]);
    expect(viewer.tab!.status).toBe('error');
  });

  it('drops the outcome of an archive replaced while it was read', async () => {
    const { viewer, reports } = recorded();
    viewer.autoVerify = true;
    const [multiarch, hello] = [await file(FIXTURES + MULTIARCH), await file(FIXTURES + HELLO)];
    await Promise.all([viewer.open(multiarch), viewer.open(hello)]);
    expect(reports.map((r) => r.source.name)).toEqual([HELLO]);
    expect(viewer.tab!.fileName).toBe(HELLO);
  });

  it('drops a verification whose archive was replaced', async () => {
    let release: (v: Verification) => void = () => {};
    const held: VerifyFunction = () =>
      new Promise((resolve) => (release = (verification) => resolve({ verification })));
    const { viewer, verifications } = recorded({ verify: held });
    await viewer.open(await file(FIXTURES + HELLO));
    const run = viewer.verify();
    const tab = viewer.tab!;
    await viewer.open(await file(FIXTURES + MULTIARCH));
    release({ status: 'ok', checks: [] });
    await run;
    expect(verifications).toEqual([]);
    expect(tab.verifier.state).toBe('cancelled');
  });

  it('clear() shows nothing and stops what runs', async () => {
    const { viewer } = recorded();
    await viewer.open(await file(FIXTURES + HELLO));
    viewer.clear();
    expect(viewer.tab).toBeNull();
  });

  it('tells what is wrong with a bad archive, and where', async () => {
    const { viewer, reports, errors } = recorded();
    await viewer.open(await file(BAD + 'oci-index-not-json.tar'));
    expect(reports).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.where).toBe('index.json');
    expect(errors[0]!.message).toMatch(/^index\.json is not valid JSON/);
  });
});

describe('viewMode and urlFileName', () => {
  it('take `compact` as compact and anything else as full', () => {
    expect(viewMode('compact')).toBe('compact');
    for (const value of ['full', 'Compact', '', null, undefined])
      expect(viewMode(value)).toBe('full');
  });

  it('name a URL by its last path segment, decoded', () => {
    expect(urlFileName('https://a.example/x/image%2B1.tar.gz#top')).toBe('image+1.tar.gz');
    expect(urlFileName('https://a.example/')).toBe('https://a.example/');
    expect(urlFileName('not a url')).toBe('not a url');
  });
});

describe('a file that is no Blob', () => {
  it('is named for what it is; a Blob, a File, null and undefined are not refused', () => {
    expect(fileProblem('image.tar')).toEqual({
      code: 'file-not-blob',
      message: 'the file property takes a Blob or File, not a string',
      where: 'file',
    });
    expect(fileProblem(42)?.message).toBe('the file property takes a Blob or File, not a number');
    expect(fileProblem({ size: 3, name: 'x.tar' })?.message).toMatch(/not an object$/);
    expect(fileProblem([new Blob([])])?.message).toMatch(/not a list$/);
    // Looks like a Blob to a casual check, is none.
    expect(fileProblem({ [Symbol.toStringTag]: 'Blob', size: 1 })?.code).toBe('file-not-blob');
    for (const ok of [new Blob(['x']), new File(['x'], 'x.tar'), null, undefined])
      expect(fileProblem(ok)).toBeNull();
  });

  it('replaces what is shown with the reason, and tells onerror', async () => {
    const { viewer, reports, errors } = recorded();
    await viewer.open(await file(FIXTURES + HELLO));
    expect(reports).toHaveLength(1);
    viewer.fail('file', fileProblem(7)!);
    expect(viewer.tab?.status).toBe('error');
    expect(viewer.tab?.report).toBeNull();
    expect(viewer.tab?.error).toEqual({
      code: 'file-not-blob',
      message: 'the file property takes a Blob or File, not a number',
      where: 'file',
    });
    expect(errors).toEqual([viewer.tab?.error]);
  });
});
