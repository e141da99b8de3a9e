import type { Archive } from '../lib/archive/archive.ts';
import type { Report, Verification } from '../lib/report/model.ts';
import type { BlobProgress, VerifyFigures, VerifyProgress } from '../lib/verify/model.ts';
import type { ListedLayers } from './contents.svelte.ts';
import type { KeptVerification } from './library/history.ts';
import { verifyArchive } from './verify/pool.ts';

/** What a verification run gives: the verification, and where the runner does them the digests
 * it hashed by archive entry (which fill a legacy save's layer digests into the report) and the
 * layers it listed by diff_id. */
export interface VerifyRun {
  verification: Verification;
  /** sha256 of every blob read, by archive entry name. */
  hashed?: ReadonlyMap<string, string>;
  /** The layers listed from the bytes hashed for their diff_ids (the page's workers). */
  listed?: ListedLayers;
}

/** Options of a VerifyFunction. */
export interface VerifyCall {
  signal: AbortSignal;
  onProgress: (progress: VerifyProgress) => void;
  /** Diff_ids whose listing is at hand already: hashed, not listed again. */
  listedAlready?: ReadonlySet<string>;
}

/** Verifies an archive against its report: the page's worker pool by default, anything with the
 * same contract in tests (`verifyInProcess`). Rejects with the signal's reason on cancel. */
export type VerifyFunction = (
  archive: Archive,
  report: Report,
  options: VerifyCall,
) => Promise<VerifyRun>;

/** Where a run stands: none yet, running, finished, cancelled, or broken off by an error. */
export type RunState = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

/**
 * One archive's verification as the page shows it: the run in progress (its progress at most
 * twice a second, as the session sends it), its outcome, and cancel. Knows nothing of tabs
 * or the library, so that the report view and the embedded viewer can both use it.
 */
export class Verifier {
  state = $state<RunState>('idle');
  /** The latest progress of the current or last run; null before any run. */
  progress = $state.raw<VerifyProgress | null>(null);
  /** The verification the last finished run gave; null until one finishes. */
  result = $state.raw<Verification | null>(null);
  /** What the last finished run measured (bytes, time); null until one finishes. */
  figures = $state.raw<VerifyFigures | null>(null);
  /** Why the last run broke off, when `state` is `failed`. */
  error = $state<string | null>(null);
  /** A verification the library kept of an earlier archive with the same identity: shown as
   * history, never as the outcome of this archive (which only `result` is). */
  history = $state.raw<KeptVerification | null>(null);
  /** Each blob's line while a run goes on and once it has finished; null otherwise (no run, or
   * a cancelled one, whose lines would say less than the verification kept before it). */
  jobs: BlobProgress[] | null = $derived(
    this.state === 'running' || this.state === 'done' ? (this.progress?.jobs ?? []) : null,
  );

  #controller: AbortController | null = null;

  constructor(private readonly verify: VerifyFunction = verifyArchive) {}

  /** Runs a verification (cancelling one still going); returns what it gave, or null when it
   * was cancelled, replaced by another run, or broke off. */
  async run(
    archive: Archive,
    report: Report,
    listedAlready?: ReadonlySet<string>,
  ): Promise<VerifyRun | null> {
    this.cancel();
    const controller = new AbortController();
    this.#controller = controller;
    const current = () => this.#controller === controller;
    this.state = 'running';
    this.progress = null;
    this.error = null;
    let last = null as VerifyProgress | null; // set by onProgress
    try {
      const run = await this.verify(archive, report, {
        signal: controller.signal,
        listedAlready,
        onProgress: (progress) => {
          if (!current()) return;
          last = progress;
          this.progress = progress;
        },
      });
      if (!current()) return null;
      this.result = run.verification;
      this.figures = last?.figures ?? null;
      this.state = 'done';
      return run;
    } catch (error) {
      if (!current() || controller.signal.aborted) return null;
      this.error = error instanceof Error ? error.message : String(error);
      this.state = 'failed';
      return null;
    } finally {
      if (current()) this.#controller = null;
    }
  }

  /** Stops the run in progress (its busy workers are terminated at once); a no-op otherwise. */
  cancel(): void {
    const controller = this.#controller;
    if (!controller) return;
    this.#controller = null;
    this.state = 'cancelled';
    controller.abort(new DOMException('verification cancelled', 'AbortError'));
  }
}
