import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Archive } from '../../../src/lib/archive/archive.ts';
import type { Report, Verification } from '../../../src/lib/report/model.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { Verifier, type VerifyFunction } from '../../../src/app/verification.svelte.ts';
import { Workspace } from '../../../src/app/workspace.svelte.ts';
import type { Tab } from '../../../src/app/tab.svelte.ts';
import { Library } from '../../../src/app/library/library.svelte.ts';
import { ReportCache } from '../../../src/app/library/report-cache.ts';
import { renderJson } from '../../../src/lib/report/json.ts';
import { summaryText } from '../../../src/app/verify-view.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { TAMPER_FIXTURE, tamperedFixture } from '../../support/tampered.ts';
import { FIXTURES, openBlobArchive } from '../verify/helpers.ts';

/** Verification in this thread, as the page's pool would give it. */
const inProcess: VerifyFunction = (archive, report, options) =>
  verifyInProcess(archive, report, options);

/** A verification that only ends when its signal aborts (or `release` is called). */
function held() {
  let release: (v: Verification) => void = () => {};
  const calls: AbortSignal[] = [];
  const verify: VerifyFunction = (_archive, _report, { signal }) =>
    new Promise((resolve, reject) => {
      calls.push(signal);
      release = (verification) => resolve({ verification });
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  return { verify, calls, release: (v: Verification) => release(v) };
}

/** Verification in this thread that waits while held. */
function gated() {
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const verify: VerifyFunction = async (archive, report, options) => {
    await gate;
    return inProcess(archive, report, options);
  };
  return {
    verify,
    hold: () => void (gate = new Promise<void>((resolve) => (open = resolve))),
    release: () => open(),
  };
}

const file = async (name: string, as = name) => new File([await readFile(FIXTURES + name)], as);

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}

const verified = (tab: Tab) => () => tab.verifier.state !== 'running' && tab.status !== 'opening';

describe('Verifier', () => {
  let opened: { archive: Archive; report: Report } | null = null;
  const multiarch = async () =>
    (opened ??= await openBlobArchive(FIXTURES + 'gen-buildah-multiarch-oci-archive.tar'));

  it('runs to the end: its verification, the last progress and the figures', async () => {
    const { archive, report } = await multiarch();
    const verifier = new Verifier(inProcess);
    expect(verifier.state).toBe('idle');
    expect(verifier.jobs).toBeNull();
    const run = verifier.run(archive, report);
    expect(verifier.state).toBe('running');
    const verification = (await run)?.verification;
    expect(verification?.status).toBe('ok');
    expect(verifier.state).toBe('done');
    expect(verifier.result).toBe(verification);
    expect(verifier.progress?.bytesDone).toBe(verifier.progress?.bytesTotal);
    expect(verifier.jobs?.every((j) => j.state === 'ok')).toBe(true);
    expect(verifier.figures?.storedBytes).toBe(verifier.progress?.bytesTotal);
    expect(verifier.figures?.decodedBytes).toBeGreaterThan(0);
  });

  it('cancels: the run ends as cancelled at once, its signal aborted', async () => {
    const { archive, report } = await multiarch();
    const { verify, calls } = held();
    const verifier = new Verifier(verify);
    const run = verifier.run(archive, report);
    verifier.cancel();
    expect(verifier.state).toBe('cancelled');
    expect(calls[0]?.aborted).toBe(true);
    expect(await run).toBeNull();
    expect(verifier.state).toBe('cancelled');
    expect(verifier.jobs).toBeNull();
    verifier.cancel(); // nothing to cancel: no change
    expect(verifier.state).toBe('cancelled');
  });

  it('a new run replaces the one going on; the old one’s end is ignored', async () => {
    const { archive, report } = await multiarch();
    const { verify, calls, release } = held();
    const verifier = new Verifier(verify);
    const first = verifier.run(archive, report);
    const second = verifier.run(archive, report);
    expect(calls[0]?.aborted).toBe(true);
    expect(await first).toBeNull();
    expect(verifier.state).toBe('running');
    release({ status: 'ok', checks: [] });
    expect((await second)?.verification).toEqual({ status: 'ok', checks: [] });
    expect(verifier.state).toBe('done');
  });

  it('a run that breaks off says why', async () => {
    const { archive, report } = await multiarch();
    const verifier = new Verifier(async () => {
      throw new Error('the archive could not be read');
    });
    expect(await verifier.run(archive, report)).toBeNull();
    expect(verifier.state).toBe('failed');
    expect(verifier.error).toBe('the archive could not be read');
  });
});

describe('Workspace verification', () => {
  const workspace = (verify: VerifyFunction = inProcess) =>
    new Workspace(new Library(new ReportCache(() => memoryStore())), verify);

  it('verifies a file as soon as its report shows, and keeps the verification', async () => {
    const ws = workspace();
    const tab = ws.openFile(await file('gen-buildah-multiarch-oci-archive.tar'));
    await until(() => tab.verifier.state === 'done');
    expect(tab.report?.verification.status).toBe('ok');
    expect(tab.report?.verification.checks).toHaveLength(45);
    await until(() => ws.library.entries[0]?.report.verification.status === 'ok');
    expect(ws.library.items[0]?.history?.verification.status).toBe('ok');
    expect(ws.library.entries[0]?.verifiedAt).toBeGreaterThan(0);
  });

  it('a known archive is verified again when dropped; the kept verification is history', async () => {
    const gate = gated();
    const ws = workspace(gate.verify);
    const first = ws.openFile(await file('ggcr-hello-world-v25.tar'));
    await until(() => ws.library.entries[0]?.report.verification.status === 'ok');
    gate.hold();
    const again = ws.openFile(await file('ggcr-hello-world-v25.tar'));
    await until(() => again.verifier.state === 'running');
    expect(again.origin).toEqual({ from: 'archive' });
    expect(again.report?.verification).toEqual({ status: 'not-run', checks: [] });
    expect(again.verifier.history?.verification).toEqual(first.report?.verification);
    expect(summaryText(again.report!.verification, again.verifier.history)).toMatch(
      /^Not verified \(history: verified on .+ for an archive with the same manifest\)\.$/,
    );
    gate.release();
    await until(() => again.verifier.state === 'done');
    expect(again.report?.verification.status).toBe('ok');
    expect(summaryText(again.report!.verification, again.verifier.history)).toBe(
      'Verified: all 9 checks passed.',
    );

    // Without the file there is nothing to verify, and nothing is verified.
    const cached = ws.openCached(again.libraryId!);
    await until(() => cached.status === 'ready');
    expect(cached.canVerify).toBe(false);
    expect(cached.report?.verification).toEqual({ status: 'not-run', checks: [] });
    expect(cached.verifier.history?.verification.status).toBe('ok');
    expect(await ws.verify(cached)).toBeNull();
    expect(cached.verifier.state).toBe('idle');
  });

  it('a same-size archive with one layer byte changed is never ok until its own run, then failed', async () => {
    const gate = gated();
    const ws = workspace(gate.verify);
    const original = ws.openFile(await file(TAMPER_FIXTURE));
    await until(() => ws.library.entries[0]?.report.verification.status === 'ok');
    expect(original.report?.verification.status).toBe('ok');

    gate.hold();
    const tampered = ws.openFile(new File([await tamperedFixture()], 'tampered.tar'));
    await until(() => tampered.status === 'ready');
    // The same key in the library: what it kept is history of the other file, never this one's.
    expect(tampered.libraryId).toBe(original.libraryId);
    expect(tampered.verifier.history?.verification.status).toBe('ok');
    const exported = () => (JSON.parse(renderJson(tampered.report!)) as Report).verification.status;
    expect(tampered.report?.verification.status).toBe('not-run');
    expect(exported()).toBe('not-run');
    await until(() => tampered.verifier.state === 'running');
    expect(exported()).toBe('not-run');

    gate.release();
    await until(() => tampered.verifier.state === 'done');
    expect(tampered.report?.verification.status).toBe('failed');
    expect(exported()).toBe('failed');
    const failed = tampered.report!.verification.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.kind)).toEqual(['diff-id', 'name']); // its name is its digest
    // The library now keeps this file's outcome; the report opened from it alone is not verified.
    await until(() => ws.library.items[0]?.history?.verification.status === 'failed');
    const cached = ws.openCached(tampered.libraryId!);
    await until(() => cached.status === 'ready');
    expect((JSON.parse(renderJson(cached.report!)) as Report).verification).toEqual({
      status: 'not-run',
      checks: [],
    });
    expect(cached.verifier.history?.verification.status).toBe('failed');
  });

  it('closing a tab cancels its verification, and nothing is kept of it', async () => {
    const { verify, calls } = held();
    const ws = workspace(verify);
    const tab = ws.openFile(await file('gen-buildah-multiarch-oci-archive.tar'));
    await until(() => calls.length === 1);
    expect(tab.verifier.state).toBe('running');
    ws.close(tab.id);
    expect(calls[0]?.aborted).toBe(true);
    expect(tab.verifier.state).toBe('cancelled');
    await until(() => ws.library.entries.length === 1);
    expect(ws.library.entries[0]?.report.verification.status).toBe('not-run');
  });

  it('a known archive never verified (its run was cancelled) is verified when dropped again', async () => {
    const { verify, calls } = held();
    const ws = workspace(verify);
    const first = ws.openFile(await file('ggcr-hello-world-v25.tar'));
    await until(() => calls.length === 1 && ws.library.entries.length === 1);
    first.verifier.cancel();
    const again = ws.openFile(await file('ggcr-hello-world-v25.tar'));
    await until(() => calls.length === 2);
    expect(again.origin).toEqual({ from: 'archive' });
    expect(again.verifier.history).toBeNull();
    expect(again.verifier.state).toBe('running');
  });

  it('a report that could not be read is not verified', async () => {
    const { verify, calls } = held();
    const ws = workspace(verify);
    const tab = ws.openFile(await file('bad/oci-index-not-json.tar', 'bad.tar'));
    await until(() => tab.status === 'error');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(0);
    expect(tab.canVerify).toBe(false);
  });
});
