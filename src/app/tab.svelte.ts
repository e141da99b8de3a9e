import type { Archive } from '../lib/archive/archive.ts';
import { ArchiveError } from '../lib/errors.ts';
import { readImageArchive } from '../lib/oci/read.ts';
import { buildReport } from '../lib/report/build.ts';
import type { Digest, ImageReport, Report, Verification } from '../lib/report/model.ts';
import { afterPaint } from './after-paint.ts';
import { showContents, TabContents } from './contents.svelte.ts';
import type { ListingStore } from './library/listing-store.ts';
import { type VerifyFunction, Verifier } from './verification.svelte.ts';

export type TabStatus = 'opening' | 'ready' | 'error';

/** Why an archive gave no report, as the page shows it: what is wrong and where. */
export interface OpenError {
  code: string;
  message: string;
  /** The entry name or digest at fault; null when it concerns the whole archive. */
  where: string | null;
}

/**
 * Where a tab's report came from: read from the archive just now, or taken from the library of
 * reports without the archive (so nothing in it can be verified here).
 */
export type ReportOrigin = { from: 'archive' } | { from: 'library'; openedAt: number };

let nextId = 1;

/** How long verification waits for kept listings to load before it lists the layers itself. */
const LOAD_WAIT_MS = 5000;

/** Returns any thrown value as an OpenError; only ArchiveError carries a code and a place. */
export function toOpenError(error: unknown): OpenError {
  if (error instanceof ArchiveError) {
    return { code: error.code, message: error.message, where: error.where };
  }
  // Anything else is a bug of ours, or the browser refusing to read the file.
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal-error', message, where: null };
}

/** Returns the diff_ids of every layer a report names. */
export function diffIdsOf(report: Report): (Digest | null)[] {
  return report.images.flatMap((i) => i.manifests.flatMap((m) => m.layers.map((l) => l.diffId)));
}

/** Returns true when a layer of the report has no digest yet (a legacy save's layer stored
 * compressed: verification hashes it). */
export function lacksDigests(report: Report): boolean {
  return report.images.some((i) =>
    i.manifests.some((m) => m.included && m.layers.some((l) => l.digest === null)),
  );
}

/** One open archive: its report once read, or why it could not be read. */
export class Tab {
  readonly id = `tab-${nextId++}`;
  status = $state<TabStatus>('opening');
  report = $state.raw<Report | null>(null);
  error = $state.raw<OpenError | null>(null);
  /** Which of the archive's images (references) is shown. */
  imageIndex = $state(0);
  image: ImageReport | null = $derived(this.report?.images[this.imageIndex] ?? null);
  origin = $state.raw<ReportOrigin>({ from: 'archive' });
  /** The archive's content identity, the report's key in the library; null until known. */
  libraryId: string | null = null;
  /** The opened archive, kept for verifying it; null when the report came without the file. */
  archive = $state.raw<Archive | null>(null);
  /** Verifying the archive against the report: progress, outcome, cancel. */
  readonly verifier: Verifier;
  /** How far opening has read the archive (a .tar.gz is read whole); null before any news. */
  opening = $state.raw<{ bytesRead: number; total: number } | null>(null);
  /** Whether the archive is here to be verified (not for a report taken from the library alone). */
  canVerify: boolean = $derived(this.archive !== null && this.report !== null);
  /** What the layers hold, per platform: listings by diff_id, merged layers, packages. */
  readonly contents: TabContents;
  readonly #abort = new AbortController();
  #progressAt = 0;
  // The kept listings of the report's layers, loaded once the report shows.
  #contentsLoaded: Promise<void> = Promise.resolve();

  constructor(
    /** The file or folder name, shown on the tab until the report names it. */
    readonly fileName: string,
    /** Bytes of the file; null until known (a folder being walked, a sample being fetched). */
    readonly size: number | null,
    verify?: VerifyFunction,
    /** Where layer listings are kept between visits; none keeps them in this tab only. */
    listings: ListingStore | null = null,
  ) {
    this.verifier = new Verifier(verify);
    this.contents = new TabContents(this, listings);
  }

  /** Runs `read` and keeps its report, or the reason it failed; a closed tab ignores both. */
  async load(read: (signal: AbortSignal) => Promise<Report>): Promise<void> {
    const signal = this.#abort.signal;
    try {
      const report = await read(signal);
      if (signal.aborted) return;
      this.#show(report);
      this.status = 'ready';
      // Kept listings are looked up once the report's frame is painted: opening their database
      // the first time took ~8 ms of the main thread between the report and its first paint.
      this.#contentsLoaded = afterPaint().then(() => this.contents.load(diffIdsOf(report)));
    } catch (error) {
      if (signal.aborted) return;
      this.error = toOpenError(error);
      this.status = 'error';
    }
  }

  /** Takes news of opening (as `openArchive`'s onProgress): shown at most ten times a second,
   * and the last piece always. */
  readonly openProgress = (bytesRead: number, total: number): void => {
    const now = Date.now();
    if (bytesRead < total && now - this.#progressAt < 100) return;
    this.#progressAt = now;
    this.opening = { bytesRead, total };
  };

  /** Stops opening the archive: the tab says it was cancelled. A no-op once it is open. */
  cancelOpening(): void {
    if (this.status !== 'opening') return;
    this.#abort.abort(new DOMException('opening cancelled', 'AbortError'));
    this.error = {
      code: 'cancelled',
      message: 'opening was cancelled: close this tab, or open the file again',
      where: null,
    };
    this.status = 'error';
  }

  /** Verifies the archive against the report (again), listing the layers not listed yet; once
   * it finishes, the report carries the verification (so that its exports do too) and the
   * digests of layers named only by path (a legacy save's) that the run hashed, and the tab's
   * contents the listings. Returns the verification; null when there is no archive to verify, or
   * the run was cancelled, replaced or broke off. */
  async verify(): Promise<Verification | null> {
    const { archive, report } = this;
    if (!archive || !report) return null;
    // Listings kept from an earlier visit are not listed again; storage that is slow to answer
    // is not waited on for long (the layers are then listed again, which is harmless).
    await Promise.race([this.#contentsLoaded, new Promise((r) => setTimeout(r, LOAD_WAIT_MS))]);
    const run = await this.verifier.run(archive, report, this.contents.known());
    if (!run || this.#abort.signal.aborted || !this.report) return null;
    const { verification } = run;
    if (run.listed) void this.contents.add(run.listed);
    let current = this.report;
    if (run.hashed && lacksDigests(current)) {
      const model = await readImageArchive(archive);
      if (this.#abort.signal.aborted || !this.report) return null;
      current = buildReport(archive, model, run.hashed);
    }
    this.#show({ ...current, verification });
    return verification;
  }

  /** Shows a report, its contents those of this tab. */
  #show(report: Report): void {
    showContents(report, this.contents);
    this.report = report;
  }

  /** Stops any reading and verifying still going on and lets go of the report. */
  close(): void {
    this.#abort.abort();
    this.verifier.cancel();
    this.report = null;
    this.archive = null;
  }
}
