import type { Archive } from '../lib/archive/archive.ts';
import { blobSource } from '../lib/archive/byte-source.ts';
import { DirectoryArchive, type DirectoryFile } from '../lib/archive/directory-archive.ts';
import { openArchive } from '../lib/archive/open.ts';
import { ArchiveError } from '../lib/errors.ts';
import { archiveIdentity } from '../lib/identity.ts';
import { inspectArchive } from '../lib/inspect.ts';
import type { Report, Verification } from '../lib/report/model.ts';
import { afterReportShown } from './after-paint.ts';
import { keptVerification, withoutVerdict } from './library/history.ts';
import { Library } from './library/library.svelte.ts';
import { ListingStore } from './library/listing-store.ts';
import { lacksDigests, Tab } from './tab.svelte.ts';
import type { VerifyFunction } from './verification.svelte.ts';

/** The sample the app ships (public/samples/), fetched from the app's own origin. */
export const SAMPLE_NAME = 'gen-buildah-multiarch-oci-archive.tar';

/** The archives open in the page, one tab each, which one is shown, and the library. */
export class Workspace {
  tabs: Tab[] = $state.raw([]);
  activeId: string | null = $state(null);
  active: Tab | null = $derived(this.tabs.find((t) => t.id === this.activeId) ?? null);
  /** Whether "Recent images" is shown instead of the active tab. */
  showingLibrary = $state(false);
  /** Whether an archive is being opened (read up to its report) in any tab. */
  opening: boolean = $derived(this.tabs.some((t) => t.status === 'opening'));

  // Where each tab's report is being written to the library: its verification is kept after it.
  readonly #kept = new WeakMap<Tab, Promise<void>>();
  // Which file each tab opened, as name, size and time of change.
  readonly #files = new WeakMap<Tab, string>();

  constructor(
    readonly library: Library = new Library(),
    /** How tabs verify their archives: the page's worker pool unless a test says otherwise. */
    private readonly verifyWith?: VerifyFunction,
    /** Where the layer listings verification makes are kept (IndexedDB); null: nowhere. */
    private readonly listings: ListingStore | null = new ListingStore(),
  ) {}

  /** Opens an archive file (tar or tar.gz) in a new tab; returns the tab. Its verification
   * starts as soon as the report shows, whatever the library kept of an archive like it. */
  openFile(file: File): Tab {
    // The same file dropped again (name, size, time of change) shows the tab it is open in.
    const key = `${file.name}\0${file.size}\0${file.lastModified}`;
    const open = this.tabs.find((t) => this.#files.get(t) === key && t.status !== 'error');
    if (open) {
      this.select(open.id);
      return open;
    }
    const tab = this.#add(this.#tab(file.name, file.size));
    this.#files.set(tab, key);
    void this.#opened(
      tab,
      tab.load((signal) =>
        this.#read(
          tab,
          file.name,
          () => openArchive(blobSource(file), signal, { onProgress: tab.openProgress }),
          signal,
        ),
      ),
    );
    return tab;
  }

  /** Opens a dropped folder (an OCI layout directory) in a new tab, once `files` are listed. */
  openFolder(name: string, files: Promise<DirectoryFile[]>): Tab {
    const tab = this.#add(this.#tab(name, null));
    void this.#opened(
      tab,
      tab.load((signal) =>
        this.#read(tab, name, async () => new DirectoryArchive(name, await files), signal),
      ),
    );
    return tab;
  }

  /** Opens the bundled sample image in a new tab. */
  openSample(): Tab {
    const tab = this.#add(this.#tab(SAMPLE_NAME, null));
    const loaded = tab.load(async (signal) => {
      const url = `${import.meta.env.BASE_URL}samples/${SAMPLE_NAME}`;
      const response = await fetch(url, { signal });
      if (!response.ok) {
        throw new ArchiveError(
          'sample-unavailable',
          `the sample image could not be loaded (HTTP ${response.status})`,
          url,
        );
      }
      const file = new File([await response.blob()], SAMPLE_NAME);
      const open = () => openArchive(blobSource(file), signal, { onProgress: tab.openProgress });
      return this.#read(tab, SAMPLE_NAME, open, signal);
    });
    void this.#opened(tab, loaded);
    return tab;
  }

  /** Verifies a tab's archive (again) and keeps the verification with its report in the
   * library; returns it, or null when there is no archive or the run did not finish. */
  async verify(tab: Tab): Promise<Verification | null> {
    const verification = await tab.verify();
    const id = tab.libraryId;
    if (verification && id !== null) {
      const verifiedAt = Date.now();
      await this.#kept.get(tab);
      // Only where the report was kept: storage that failed has said so once already.
      const kept = this.library.entries.find((e) => e.id === id);
      // A legacy save's layer digests, hashed by the run, are kept with the report.
      if (kept && tab.report && lacksDigests(kept.report) && !lacksDigests(tab.report)) {
        const { fileName, size, openedAt } = kept;
        await this.library.remember({
          id,
          fileName,
          size,
          openedAt,
          report: tab.report,
          verifiedAt,
        });
      } else if (kept) await this.library.saveVerification(id, verification, verifiedAt);
    }
    return verification;
  }

  /** Opens a report kept in the library, without its archive, in a new tab. Nothing in it is
   * verified: the verification kept with it is history of the archive it was made of. */
  openCached(id: string): Tab {
    const known = this.library.entries.find((e) => e.id === id);
    const tab = this.#add(this.#tab(known?.fileName ?? 'cached report', known?.size ?? null));
    void tab.load(async () => {
      const entry = await this.library.lookup(id);
      if (!entry) {
        throw new ArchiveError(
          'not-in-library',
          'this report is no longer kept in this browser: open the archive file again',
        );
      }
      tab.libraryId = id;
      tab.origin = { from: 'library', openedAt: entry.openedAt };
      tab.verifier.history = keptVerification(entry);
      return withoutVerdict(entry.report);
    });
    return tab;
  }

  /** Shows "Recent images" in place of the active tab, or the tab again. */
  showLibrary(shown: boolean): void {
    this.showingLibrary = shown;
  }

  /** Shows the tab with this id. */
  select(id: string): void {
    if (!this.tabs.some((t) => t.id === id)) return;
    this.activeId = id;
    this.showingLibrary = false;
  }

  /** Closes a tab, freeing its report; the neighbouring tab is shown instead. */
  close(id: string): void {
    const at = this.tabs.findIndex((t) => t.id === id);
    if (at < 0) return;
    this.tabs[at]!.close();
    this.tabs = this.tabs.filter((t) => t.id !== id);
    if (this.activeId === id) {
      this.activeId = (this.tabs[at] ?? this.tabs[at - 1] ?? null)?.id ?? null;
    }
  }

  #tab(fileName: string, size: number | null): Tab {
    return new Tab(fileName, size, this.verifyWith, this.listings);
  }

  /** Once a file's report shows, verifies it: every file is, known to the library or not. */
  async #opened(tab: Tab, loaded: Promise<void>): Promise<void> {
    await loaded;
    if (tab.status !== 'ready' || !tab.canVerify) return;
    // The report shows first: planning and starting the workers take the main thread, and the
    // workers' start the cores the frame is rastered on.
    await afterReportShown();
    if (tab.status !== 'ready' || !tab.canVerify) return;
    await this.verify(tab);
  }

  #add(tab: Tab): Tab {
    this.tabs = [...this.tabs, tab];
    this.activeId = tab.id;
    this.showingLibrary = false;
    return tab;
  }

  /**
   * Returns the report of an archive, read from it, and keeps it in the library. What the library
   * kept of an archive with the same identity (root documents and size, not the layers) becomes
   * the tab's history: the same key may name a file whose layers differ.
   */
  async #read(
    tab: Tab,
    fileName: string,
    open: () => Promise<Archive>,
    signal: AbortSignal,
  ): Promise<Report> {
    const archive = await open();
    tab.archive = archive;
    const openedAt = Date.now();
    // The library's record (the identity, then a look-up in IndexedDB) is sought while the
    // report is read, not before: the first paint waits for neither one after the other.
    // Without an identity (a root document that cannot be read) the report is just not kept;
    // inspecting says what is wrong.
    const record = (async () => {
      const id = await archiveIdentity(archive).catch(() => null);
      return { id, known: id === null ? null : await this.library.lookup(id) };
    })();
    const [{ id, known }, inspected] = await Promise.all([record, inspectArchive(archive, signal)]);
    tab.libraryId = id;
    if (signal.aborted) throw signal.reason;
    const history = known ? keptVerification(known) : null;
    tab.verifier.history = history;
    const report = withoutVerdict(inspected);
    if (id !== null && !signal.aborted) {
      // The history stays in the library until this file's own run replaces it.
      const kept = history
        ? {
            report: { ...report, verification: history.verification },
            verifiedAt: history.verifiedAt,
          }
        : { report, verifiedAt: null };
      // Written once the report is on the screen: storing it (a structured clone, an IndexedDB
      // transaction, the list read again) is no part of showing it.
      this.#kept.set(
        tab,
        afterReportShown().then(() =>
          this.library.remember({ id, fileName, size: archive.size, openedAt, ...kept }),
        ),
      );
    }
    return report;
  }
}

/** The page's one workspace. */
export const workspace = new Workspace();
