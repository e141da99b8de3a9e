import { createStore, del, entries, get, set } from 'idb-keyval';
import type { Report, Verification } from '../../lib/report/model.ts';
import { messageOf } from '../../lib/errors.ts';
import { checkEntry, ShapeError } from './report-shape.ts';

/** Entries written by another version of the app carry another number and are ignored. */
// 2: manifests carry `included`, images may have no `name` (the single image model).
export const CACHE_VERSION = 2;

/** What the library keeps of one opened archive: its report and verification, never blobs. */
export interface CachedReport {
  version: typeof CACHE_VERSION;
  /** The archive's content identity (see lib/identity.ts). */
  id: string;
  fileName: string;
  size: number;
  /** When it was last opened, ms since the epoch. */
  openedAt: number;
  /** The report, carrying the last verification kept of an archive with this identity: history,
   * never a verdict on a file opened later (see `keptVerification`). */
  report: Report;
  /** When that verification finished, ms since the epoch; null when none was kept. */
  verifiedAt: number | null;
}

/** What `save` is given: an entry, its verification time when it carries one. */
export type NewEntry = Omit<CachedReport, 'version' | 'verifiedAt'> & {
  verifiedAt?: number | null;
};

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

/**
 * Returns the entry if it is one this version wrote, else null (another version's are ignored);
 * throws a ShapeError when it carries this version's number but not its shape.
 */
export function asCachedReport(value: unknown): CachedReport | null {
  const v = value as { version?: unknown } | null;
  if (!v || typeof v !== 'object' || !Object.hasOwn(v, 'version') || v.version !== CACHE_VERSION)
    return null;
  checkEntry(v);
  const entry = v as CachedReport;
  // Entries kept before `verifiedAt` was: their verification was made when they were opened.
  if (entry.verifiedAt === undefined)
    return {
      ...entry,
      verifiedAt: entry.report.verification.status === 'not-run' ? null : entry.openedAt,
    };
  return entry;
}

/** Returns a one-line notice for a storage failure (quota, private window, blocked). */
export function describeStorageError(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  // JSON.stringify of a report past the engine's longest string.
  if (name === 'RangeError')
    return 'This report is too large to keep in browser storage: it is not saved for later.';
  if (name === 'QuotaExceededError')
    return 'Browser storage is full: this report is not saved for later.';
  if (name === 'InvalidStateError' || name === 'SecurityError' || name === 'UnknownError')
    return 'Browser storage is not available here (a private window?): reports are not saved for later.';
  return `Browser storage failed (${error instanceof Error ? error.message : String(error)}): reports are not saved for later.`;
}

/** Returns a one-line notice for kept entries that cannot be read. */
export function describeDamaged(count: number, first: ShapeError): string {
  const what =
    count === 1 ? '1 report kept in this browser is' : `${count} reports kept in this browser are`;
  return `${what} damaged and not listed (${first.message}).`;
}

/**
 * The library of reports. Every call resolves; a storage failure becomes `notice` (one line
 * for the page to show) and the app carries on without the cache. An entry of this version that
 * is damaged (a wrong shape) is skipped with a notice; the others are still listed.
 */
export class ReportCache {
  notice: string | null = null;

  #store: KeyValueStore | null = null;
  // Damaged entries already told of: a list read again does not repeat a dismissed notice.
  readonly #damaged = new Set<string>();

  /** `open` is called on first use, and again after it threw (storage may come back). */
  constructor(private readonly open: () => KeyValueStore = indexedDbStore) {}

  private store(): KeyValueStore {
    // One store for the cache's life: createStore opens a database connection each time.
    return (this.#store ??= this.open());
  }

  /** Returns the cached report for an identity, or null (also for a damaged one). */
  async load(id: string): Promise<CachedReport | null> {
    return this.guard(async () => this.#read([[id, await this.store().get(id)]])[0] ?? null, null);
  }

  /** Saves a report (overwriting an earlier one of the same archive); returns false on failure,
   * a report too large to write included. */
  async save(entry: NewEntry): Promise<boolean> {
    return this.guard(async () => {
      // Through JSON: a report is plain data, and this drops anything a structured clone would
      // refuse, so a save cannot fail half-way on an odd value.
      const value: unknown = JSON.parse(
        JSON.stringify({ version: CACHE_VERSION, verifiedAt: null, ...entry }),
      );
      await this.store().set(entry.id, value);
      return true;
    }, false);
  }

  /**
   * Replaces the verification kept with a cached report (after an archive with its identity is
   * verified); returns false when the entry is gone or storage fails.
   */
  async saveVerification(
    id: string,
    verification: Verification,
    verifiedAt: number = Date.now(),
  ): Promise<boolean> {
    const entry = await this.load(id);
    if (!entry) return false;
    return this.save({ ...entry, verifiedAt, report: { ...entry.report, verification } });
  }

  /** Returns every entry this version can read, most recently opened first. */
  async list(): Promise<CachedReport[]> {
    return this.guard(async () => {
      const entries = this.#read(await this.store().entries());
      return entries.sort((a, b) => b.openedAt - a.openedAt);
    }, []);
  }

  /** Deletes one entry; returns false on failure. */
  async remove(id: string): Promise<boolean> {
    return this.guard(async () => {
      await this.store().del(id);
      return true;
    }, false);
  }

  /** Deletes every entry this version wrote, damaged ones included; returns false on failure. */
  async clear(): Promise<boolean> {
    return this.guard(async () => {
      for (const [key, value] of await this.store().entries()) {
        const version = (value as { version?: unknown } | null)?.version;
        if (typeof value === 'object' && version === CACHE_VERSION)
          await this.store().del(key as string);
      }
      this.#damaged.clear();
      return true;
    }, false);
  }

  /** Returns the readable entries of `pairs`; tells once of those of this version that are not. */
  #read(pairs: [IDBValidKey, unknown][]): CachedReport[] {
    const entries: CachedReport[] = [];
    const damaged: ShapeError[] = [];
    let fresh = false;
    for (const [key, value] of pairs) {
      try {
        const entry = asCachedReport(value);
        if (entry) entries.push(entry);
      } catch (error) {
        // Anything but a ShapeError here is a bug of the check itself: still one entry only.
        damaged.push(
          error instanceof ShapeError ? error : new ShapeError('entry', messageOf(error)),
        );
        const name = String(key);
        if (!this.#damaged.has(name)) fresh = true;
        this.#damaged.add(name);
      }
    }
    if (fresh && damaged[0]) this.notice = describeDamaged(damaged.length, damaged[0]);
    return entries;
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
