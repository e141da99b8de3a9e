import { createStore, del, entries, get, set } from 'idb-keyval';
import type { Report, Verification } from '../../lib/report/model.ts';

/** Entries written by another version of the app carry another number and are ignored. */
export const CACHE_VERSION = 1;

/** What the library keeps of one opened archive: its report and verification, never blobs. */
export interface CachedReport {
  version: typeof CACHE_VERSION;
  /** The archive's content identity (see lib/identity.ts). */
  id: string;
  fileName: string;
  size: number;
  /** When it was last opened, ms since the epoch. */
  openedAt: number;
  report: Report;
}

/** The few key-value calls the cache needs; idb-keyval in the page, a Map in tests. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  entries(): Promise<[IDBValidKey, unknown][]>;
}

/** Returns the IndexedDB store behind the library (database `stevedore`, store `reports`). */
export function indexedDbStore(): KeyValueStore {
  const store = createStore('stevedore', 'reports');
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    entries: () => entries(store),
  };
}

/** Returns the entry if it is one this version wrote (shape checked), else null. */
export function asCachedReport(value: unknown): CachedReport | null {
  const v = value as Partial<CachedReport> | null;
  if (!v || typeof v !== 'object' || v.version !== CACHE_VERSION) return null;
  if (typeof v.id !== 'string' || typeof v.fileName !== 'string') return null;
  if (typeof v.openedAt !== 'number' || typeof v.size !== 'number') return null;
  if (!v.report || v.report.schema !== 'stevedore.report/v1') return null;
  return v as CachedReport;
}

/** Returns a one-line notice for a storage failure (quota, private window, blocked). */
export function describeStorageError(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError')
    return 'Browser storage is full: this report is not saved for later.';
  if (name === 'InvalidStateError' || name === 'SecurityError' || name === 'UnknownError')
    return 'Browser storage is not available here (a private window?): reports are not saved for later.';
  return `Browser storage failed (${error instanceof Error ? error.message : String(error)}): reports are not saved for later.`;
}

/**
 * The library of reports. Every call resolves; a storage failure becomes `notice` (one line
 * for the page to show) and the app carries on without the cache.
 */
export class ReportCache {
  notice: string | null = null;

  #store: KeyValueStore | null = null;

  /** `open` is called on first use, and again after it threw (storage may come back). */
  constructor(private readonly open: () => KeyValueStore = indexedDbStore) {}

  private store(): KeyValueStore {
    // One store for the cache's life: createStore opens a database connection each time.
    return (this.#store ??= this.open());
  }

  /** Returns the cached report for an identity, or null. */
  async load(id: string): Promise<CachedReport | null> {
    return this.guard(async () => asCachedReport(await this.store().get(id)), null);
  }

  /** Saves a report (overwriting an earlier one of the same archive); returns false on failure. */
  async save(entry: Omit<CachedReport, 'version'>): Promise<boolean> {
    // Through JSON: a report is plain data, and this drops anything a structured clone would
    // refuse, so a save cannot fail half-way on an odd value.
    const value = JSON.parse(JSON.stringify({ version: CACHE_VERSION, ...entry }));
    return this.guard(async () => {
      await this.store().set(entry.id, value);
      return true;
    }, false);
  }

  /**
   * Replaces the verification kept with a cached report (after the archive is verified again);
   * returns false when the entry is gone or storage fails.
   */
  async saveVerification(id: string, verification: Verification): Promise<boolean> {
    const entry = await this.load(id);
    if (!entry) return false;
    return this.save({ ...entry, report: { ...entry.report, verification } });
  }

  /** Returns every entry this version can read, most recently opened first. */
  async list(): Promise<CachedReport[]> {
    return this.guard(async () => {
      const all = await this.store().entries();
      return all
        .map(([, value]) => asCachedReport(value))
        .filter((e): e is CachedReport => e !== null)
        .sort((a, b) => b.openedAt - a.openedAt);
    }, []);
  }

  /** Deletes one entry; returns false on failure. */
  async remove(id: string): Promise<boolean> {
    return this.guard(async () => {
      await this.store().del(id);
      return true;
    }, false);
  }

  /** Deletes every entry this version wrote; returns false on failure. */
  async clear(): Promise<boolean> {
    return this.guard(async () => {
      for (const entry of await this.list()) await this.store().del(entry.id);
      return true;
    }, false);
  }

  private async guard<T>(work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.notice = describeStorageError(error);
      return fallback;
    }
  }
}
