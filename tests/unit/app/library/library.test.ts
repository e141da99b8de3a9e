import { describe, expect, it } from 'vitest';
import { Library } from '../../../../src/app/library/library.svelte.ts';
import { ReportCache, type KeyValueStore } from '../../../../src/app/library/report-cache.ts';
import { memoryStore } from '../../../support/memory-store.ts';
import { bareReport, imageReport } from '../../../support/report.ts';

const report = (ref: string) =>
  bareReport({
    source: { name: `${ref}.tar`, size: 10, format: 'oci-layout', compression: 'none' },
    images: [imageReport(ref, [])],
  });

const entry = (id: string, openedAt: number) => ({
  id,
  fileName: `${id}.tar`,
  size: 10,
  openedAt,
  report: report(id),
});

describe('Library', () => {
  it('lists what it keeps, newest first, and forgets on request', async () => {
    const library = new Library(new ReportCache(() => memoryStore()));
    await library.refresh();
    expect(library.items).toEqual([]);
    await library.remember(entry('a', 1));
    await library.remember(entry('b', 2));
    expect(library.items.map((i) => i.refs)).toEqual([['b'], ['a']]);
    await library.saveVerification('a', { status: 'failed', checks: [] }, 7);
    expect(library.items.find((i) => i.id === 'a')?.history).toEqual({
      verification: { status: 'failed', checks: [] },
      verifiedAt: 7,
    });
    await library.remove('b');
    expect(library.items.map((i) => i.id)).toEqual(['a']);
    await library.clear();
    expect(library.items).toEqual([]);
    expect(library.notice).toBeNull();
  });

  it('shows a storage failure as its notice until dismissed', async () => {
    const full = Object.assign(new Error('full'), { name: 'QuotaExceededError' });
    const store = memoryStore();
    const library = new Library(
      new ReportCache(() => ({ ...store, set: () => Promise.reject(full) })),
    );
    await library.remember(entry('a', 1));
    expect(library.items).toEqual([]);
    expect(library.notice).toBe('Browser storage is full: this report is not saved for later.');
    library.dismissNotice();
    expect(library.notice).toBeNull();
    await library.refresh();
    expect(library.notice).toBeNull(); // listing works: nothing new to say
  });

  it('takes a lookup that storage does not answer for a miss', async () => {
    const hanging: KeyValueStore = { ...memoryStore(), get: () => new Promise(() => {}) };
    const library = new Library(new ReportCache(() => hanging), 20);
    expect(await library.lookup('a')).toBeNull();
  });
});
