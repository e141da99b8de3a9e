import type { Verification } from '../../lib/report/model.ts';
import { ReportCache, type CachedReport, type NewEntry } from './report-cache.ts';
import { summarize, type LibraryItem } from './summary.ts';

/** A lookup that takes longer than this is taken as a miss: opening a file never waits on storage. */
const LOOKUP_TIMEOUT_MS = 2000;

/**
 * The reports kept in this browser, as the page shows them: the list, and the one-line notice
 * of a storage failure. Every method resolves; without storage the list is simply empty.
 */
export class Library {
  entries: CachedReport[] = $state.raw([]);
  items: LibraryItem[] = $derived(this.entries.map(summarize));
  notice: string | null = $state(null);
  // A list that a newer one replaced while it was read is dropped.
  #generation = 0;

  constructor(
    private readonly cache: ReportCache = new ReportCache(),
    private readonly lookupTimeoutMs = LOOKUP_TIMEOUT_MS,
  ) {}

  /** Reads the list again from storage. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    const entries = await this.cache.list();
    if (generation === this.#generation) this.entries = entries;
    this.#syncNotice();
  }

  /** Returns the cached report of an archive identity, or null (also when storage is slow). */
  async lookup(id: string): Promise<CachedReport | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.lookupTimeoutMs);
    });
    try {
      return await Promise.race([this.cache.load(id), timeout]);
    } finally {
      clearTimeout(timer);
      this.#syncNotice();
    }
  }

  /** Keeps a report (replacing an earlier one of the same archive) and lists it. */
  async remember(entry: NewEntry): Promise<void> {
    if (await this.cache.save(entry)) await this.refresh();
    this.#syncNotice();
  }

  /** Keeps the verification of a report already in the library (after verifying an archive with
   * its identity), made at `verifiedAt`. */
  async saveVerification(
    id: string,
    verification: Verification,
    verifiedAt: number = Date.now(),
  ): Promise<void> {
    if (await this.cache.saveVerification(id, verification, verifiedAt)) await this.refresh();
    this.#syncNotice();
  }

  /** Deletes one report. The list changes once storage has deleted it, not before: a page
   * closed or reloaded in between would otherwise show it gone and keep it. */
  async remove(id: string): Promise<void> {
    await this.cache.remove(id);
    await this.refresh();
  }

  /** Deletes every report (the list empties once storage has). */
  async clear(): Promise<void> {
    await this.cache.clear();
    await this.refresh();
  }

  /** Hides the notice until storage fails again. */
  dismissNotice(): void {
    this.cache.notice = null;
    this.notice = null;
  }

  #syncNotice(): void {
    this.notice = this.cache.notice;
  }
}
