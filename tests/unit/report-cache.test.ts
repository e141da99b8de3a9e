import { describe, expect, it } from 'vitest';
import {
  CACHE_VERSION,
  type KeyValueStore,
  ReportCache,
} from '../../src/app/library/report-cache.ts';
import type { Report } from '../../src/lib/report/model.ts';
import { memoryStore } from '../support/memory-store.ts';

const report: Report = {
  schema: 'stevedore.report/v1',
  source: { name: 'a.tar', size: 10, format: 'oci-layout', compression: 'none' },
  images: [],
  verification: { status: 'not-run', checks: [] },
  problems: [],
};

describe('report cache', () => {
  it('saves, lists newest first, loads and deletes', async () => {
    const store = memoryStore();
    const cache = new ReportCache(() => store);
    await cache.save({ id: 'sha256:a', fileName: 'a.tar', size: 10, openedAt: 1, report });
    await cache.save({ id: 'sha256:b', fileName: 'b.tar', size: 20, openedAt: 2, report });
    expect((await cache.list()).map((e) => e.id)).toEqual(['sha256:b', 'sha256:a']);
    expect(await cache.load('sha256:a')).toMatchObject({
      fileName: 'a.tar',
      version: CACHE_VERSION,
    });
    expect(await cache.remove('sha256:a')).toBe(true);
    expect(await cache.load('sha256:a')).toBeNull();
    expect(await cache.clear()).toBe(true);
    expect(await cache.list()).toEqual([]);
    expect(cache.notice).toBeNull();
  });

  it('replaces the verification kept with a report, and only of a kept one', async () => {
    const cache = new ReportCache(() => memoryStore());
    await cache.save({ id: 'sha256:a', fileName: 'a.tar', size: 10, openedAt: 1, report });
    const verification = {
      status: 'ok' as const,
      checks: [
        {
          kind: 'blob-digest' as const,
          target: 'sha256:b',
          expected: 'sha256:b',
          actual: 'sha256:b',
          ok: true,
          message: 'ok',
        },
      ],
    };
    expect(await cache.saveVerification('sha256:a', verification)).toBe(true);
    const entry = await cache.load('sha256:a');
    expect(entry?.report.verification).toEqual(verification);
    expect(entry).toMatchObject({ fileName: 'a.tar', openedAt: 1, version: CACHE_VERSION });
    expect(await cache.saveVerification('sha256:gone', verification)).toBe(false);
    expect(await cache.load('sha256:gone')).toBeNull();
  });

  it('opens its store once, and again only after opening failed', async () => {
    let opened = 0;
    let fail = true;
    const cache = new ReportCache(() => {
      opened++;
      if (fail) throw new DOMException('blocked', 'SecurityError');
      return memoryStore();
    });
    expect(await cache.list()).toEqual([]);
    fail = false;
    await cache.save({ id: 'sha256:a', fileName: 'a.tar', size: 10, openedAt: 1, report });
    expect(await cache.list()).toHaveLength(1);
    expect(opened).toBe(2);
  });

  it('ignores entries of another version or shape instead of crashing on them', async () => {
    const map = new Map<string, unknown>([
      ['old', { version: 0, id: 'old', report }],
      ['junk', 'not an object'],
      ['half', { version: CACHE_VERSION, id: 'half' }],
    ]);
    const cache = new ReportCache(() => memoryStore(map));
    expect(await cache.list()).toEqual([]);
    expect(await cache.load('old')).toBeNull();
  });

  it('turns storage failures into a one-line notice and carries on', async () => {
    const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const failing: KeyValueStore = {
      get: async () => Promise.reject(new DOMException('no idb', 'InvalidStateError')),
      set: async () => Promise.reject(quota),
      del: async () => Promise.reject(quota),
      entries: async () => Promise.reject(quota),
    };
    const cache = new ReportCache(() => failing);
    expect(await cache.save({ id: 'x', fileName: 'x', size: 1, openedAt: 1, report })).toBe(false);
    expect(cache.notice).toBe('Browser storage is full: this report is not saved for later.');
    expect(await cache.load('x')).toBeNull();
    expect(cache.notice).toMatch(/not available here \(a private window\?\)/);
    expect(await cache.list()).toEqual([]);
  });

  it('survives a store that cannot even be opened', async () => {
    const cache = new ReportCache(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(await cache.list()).toEqual([]);
    expect(cache.notice).toMatch(/not available/);
  });
});
