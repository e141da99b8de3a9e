import { describe, expect, it } from 'vitest';
import {
  CACHE_VERSION,
  type KeyValueStore,
  ReportCache,
} from '../../src/app/library/report-cache.ts';
import { Library } from '../../src/app/library/library.svelte.ts';
import type { Report } from '../../src/lib/report/model.ts';
import { memoryStore } from '../support/memory-store.ts';
import { bareReport, manifestReport } from '../support/report.ts';

const report = bareReport({
  source: { name: 'a.tar', size: 10, format: 'oci-layout', compression: 'none' },
});

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

  describe('a damaged entry of this version', () => {
    const good = (id: string, openedAt: number) => ({
      version: CACHE_VERSION,
      id,
      fileName: `${id}.tar`,
      size: 10,
      openedAt,
      verifiedAt: null,
      report,
    });
    const manifest = manifestReport({ env: ['A=1'], labels: { a: 'b' } });
    const withManifest = (changes: Record<string, unknown>) => ({
      ...good('m', 3),
      report: {
        ...report,
        images: [
          {
            ref: 'r',
            name: 'r',
            digest: null,
            mediaType: null,
            manifests: [{ ...manifest, ...changes }],
          },
        ],
      },
    });
    const damaged: [string, unknown, RegExp][] = [
      ['no report', { ...good('x', 1), report: undefined }, /entry\.report is missing/],
      ['no id', { ...good('x', 1), id: undefined }, /entry\.id is missing/],
      ['a size as text', { ...good('x', 1), size: '10' }, /entry\.size is a string/],
      ['openedAt NaN', { ...good('x', 1), openedAt: Number.NaN }, /entry\.openedAt/],
      [
        'images not a list',
        { ...good('x', 1), report: { ...report, images: {} } },
        /entry\.report\.images is an object, not a list/,
      ],
      [
        'a status nobody writes',
        { ...good('x', 1), report: { ...report, verification: { status: 'great', checks: [] } } },
        /verification\.status is "great"/,
      ],
      [
        'a check without its verdict',
        {
          ...good('x', 1),
          report: {
            ...report,
            verification: {
              status: 'ok',
              checks: [{ kind: 'blob-digest', target: 't', message: '' }],
            },
          },
        },
        /checks\[0\]\.expected is missing/,
      ],
      ['a label that is a number', withManifest({ labels: { a: 1 } }), /labels\["a"\] is a number/],
      ['env as text', withManifest({ env: 'A=1' }), /env is a string, not a list/],
      ['history entries as text', withManifest({ history: ['RUN x'] }), /history\[0\] is a string/],
      [
        'a 50 MB string',
        withManifest({ user: 'u'.repeat(50_000_000) }),
        /user is 50,000,000 characters long/,
      ],
      [
        'a __proto__ key on the entry',
        JSON.parse(JSON.stringify(good('x', 1)).replace('{', '{"__proto__":{"polluted":true},')),
        /entry has a "__proto__" key/,
      ],
      [
        'a __proto__ key in a manifest',
        JSON.parse(
          JSON.stringify(withManifest({})).replace(
            '"platformString"',
            '"__proto__":{"polluted":1},"platformString"',
          ),
        ),
        /manifests\[0\] has a "__proto__" key/,
      ],
    ];

    for (const [what, value, message] of damaged) {
      it(`is skipped with a notice: ${what}`, async () => {
        const map = new Map<string, unknown>([
          ['a', good('sha256:a', 1)],
          ['bad', value],
          ['b', good('sha256:b', 2)],
        ]);
        const cache = new ReportCache(() => memoryStore(map));
        expect((await cache.list()).map((e) => e.id)).toEqual(['sha256:b', 'sha256:a']);
        expect(cache.notice).toMatch(/^1 report kept in this browser is damaged and not listed \(/);
        expect(cache.notice).toMatch(message);
        expect(cache.notice!.length).toBeLessThan(400); // one line, whatever the entry holds
        expect(await cache.load('bad')).toBeNull();
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }

    it('keeps a label named __proto__ as data, and lists the entry', async () => {
      const entry = withManifest({
        labels: JSON.parse('{"__proto__":"p","constructor":"c"}'),
      });
      const cache = new ReportCache(() => memoryStore(new Map([['m', entry]])));
      const [listed] = await cache.list();
      const labels = listed?.report.images[0]?.manifests[0]?.labels ?? {};
      expect(Object.keys(labels)).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(cache.notice).toBeNull();
    });

    it('reads an entry kept before verifiedAt was: its verification dates from its opening', async () => {
      const ok = { status: 'ok' as const, checks: [] };
      const old = {
        ...good('sha256:o', 4),
        verifiedAt: undefined,
        report: { ...report, verification: ok },
      };
      const cache = new ReportCache(() => memoryStore(new Map([['o', old]])));
      expect(await cache.load('o')).toMatchObject({ verifiedAt: 4 });
    });

    it('tells once: a dismissed notice stays dismissed until another entry is damaged', async () => {
      const map = new Map<string, unknown>([
        ['bad', { ...good('x', 1), size: -1 }],
        ['a', good('sha256:a', 1)],
      ]);
      const library = new Library(new ReportCache(() => memoryStore(map)));
      await library.refresh();
      expect(library.items.map((i) => i.id)).toEqual(['sha256:a']);
      expect(library.notice).toMatch(/entry\.size is negative/);
      library.dismissNotice();
      await library.refresh();
      expect(library.notice).toBeNull();
      map.set('worse', 'text where an entry was'.length); // another version's: ignored
      map.set('worst', { ...good('y', 1), fileName: null });
      await library.refresh();
      expect(library.notice).toMatch(/^2 reports kept in this browser are damaged/);
      expect(library.items.map((i) => i.id)).toEqual(['sha256:a']);
      // Deleting all deletes the damaged ones too.
      await library.clear();
      expect(map.size).toBe(1); // the other version's number stays
    });
  });

  it('a report too large to write is not kept: a notice, and no throw', async () => {
    const cache = new ReportCache(() => memoryStore());
    // What JSON.stringify does past the longest string the engine can make.
    const huge = {
      ...report,
      problems: [
        {
          toJSON: () => {
            throw new RangeError('Invalid string length');
          },
        },
      ],
    } as unknown as Report;
    await expect(
      cache.save({ id: 'sha256:h', fileName: 'h.tar', size: 1, openedAt: 1, report: huge }),
    ).resolves.toBe(false);
    expect(cache.notice).toBe(
      'This report is too large to keep in browser storage: it is not saved for later.',
    );
    const library = new Library(new ReportCache(() => memoryStore()));
    await expect(
      library.remember({ id: 'sha256:h', fileName: 'h.tar', size: 1, openedAt: 1, report: huge }),
    ).resolves.toBeUndefined();
    expect(library.notice).toMatch(/too large to keep/);
    expect(library.items).toEqual([]);
  });
});
