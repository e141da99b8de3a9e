/**
 * One verification run's bookkeeping, wherever the blobs are read (workers or this thread):
 * results as they come, each blob's state, and throttled progress with speed and ETA.
 */
import type { Verification } from '../report/model.ts';
import type { BlobProgress, BlobResult, VerifyFigures, VerifyProgress } from './model.ts';
import type { VerifyPlan } from './plan.ts';
import { checksOf, conclude, outcomeOf } from './checks.ts';
import { isDigests } from './model.ts';

/** What a run ends with: the verification, each blob's last line of progress, and what the
 * run measured. */
export interface VerifyOutcome {
  verification: Verification;
  jobs: BlobProgress[];
  figures: VerifyFigures;
  /** The SHA-256 of every blob read whole in this run, by archive entry name: what a layer the
   * documents name only by path (a legacy `layer.tar`) turned out to be. */
  hashed: Map<string, string>;
}

/** Progress is reported at most this often (and once more at the end): twice a second still
 * moves the bar visibly, and each report costs the page a render of its badges and a frame (main
 * thread, compositor, GPU process): at ten a second that was 5–10 % of the CPU of hashing a
 * legacy save's layers on two cores, at four 3–5 % (issue 15, README's Benchmark). */
export const PROGRESS_INTERVAL_MS = 500;

/** Collects one run's results and reports its progress. */
export class VerifySession {
  readonly results = new Map<number, BlobResult>();
  private readonly lines: BlobProgress[];
  private outerBytes: number | null = null;
  private readonly started: number;
  private finished: number | null = null;
  private lastEmit = -Infinity;
  private readonly startedAt = new Map<number, number>();
  private storedBytes = 0;
  private decodedBytes = 0;
  private decodeSpan: { from: number; to: number } | null = null;

  constructor(
    readonly plan: VerifyPlan,
    private readonly onProgress?: (progress: VerifyProgress) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.lines = plan.blobs.map((b) => ({
      id: b.job.id,
      name: b.job.name,
      targets: b.targets,
      size: b.job.size,
      bytesDone: 0,
      state: 'queued',
      detail: null,
    }));
    for (const [i, m] of plan.missing.entries()) {
      this.lines.push({
        id: plan.blobs.length + i,
        name: null,
        targets: [m.target],
        size: 0,
        bytesDone: 0,
        state: m.foreign ? 'unsupported' : 'missing',
        detail: m.foreign
          ? `${m.what} is a foreign layer, not in the archive: not verified`
          : `${m.what} is not in the archive`,
      });
    }
  }

  /** Marks a blob as being read. */
  start(id: number): void {
    if (!this.startedAt.has(id)) this.startedAt.set(id, this.now());
    this.lines[id]!.state = 'running';
    this.emit();
  }

  /** Records how many of a blob's bytes have been read. */
  read(id: number, bytesDone: number): void {
    this.lines[id]!.bytesDone = bytesDone;
    this.emit();
  }

  /** Records how far a single pass over the whole (compressed) file has got. */
  readOuter(bytesDone: number): void {
    this.outerBytes = bytesDone;
    this.emit();
  }

  /** Records a blob's result and the state it leaves the blob in. */
  settle(result: BlobResult): void {
    const blob = this.plan.blobs[result.id];
    if (!blob || this.results.has(result.id)) return;
    this.results.set(result.id, result);
    this.measure(result);
    const { state, detail } = outcomeOf(blob, result, checksOf(blob, result));
    Object.assign(this.lines[result.id]!, { state, detail, bytesDone: blob.job.size });
    this.emit();
  }

  /** Returns the progress as it stands. */
  snapshot(): VerifyProgress {
    const bytesTotal = this.plan.bytesTotal;
    const bytesDone = Math.min(
      bytesTotal,
      this.outerBytes ?? this.lines.reduce((n, l) => n + l.bytesDone, 0),
    );
    const seconds = (this.now() - this.started) / 1000;
    const mbPerSecond = seconds > 0 ? bytesDone / 1e6 / seconds : 0;
    const etaSeconds = mbPerSecond > 0 ? (bytesTotal - bytesDone) / 1e6 / mbPerSecond : null;
    return {
      bytesDone,
      bytesTotal,
      mbPerSecond,
      etaSeconds,
      jobs: this.lines.map((l) => ({ ...l })),
      figures: this.figures(),
    };
  }

  /** Returns the outcome, after a last progress report. */
  finish(): VerifyOutcome {
    this.finished ??= this.now();
    this.emit(true);
    const { jobs, figures } = this.snapshot();
    const hashed = new Map<string, string>();
    for (const blob of this.plan.blobs) {
      const result = this.results.get(blob.job.id);
      if (result && isDigests(result) && result.length === blob.job.size)
        hashed.set(blob.job.name, result.sha256);
    }
    return { verification: conclude(this.plan, this.results), jobs, figures, hashed };
  }

  private figures(): VerifyFigures {
    const span = this.decodeSpan;
    return {
      elapsedMs: (this.finished ?? this.now()) - this.started,
      storedBytes: this.storedBytes,
      decodedBytes: this.decodedBytes,
      decodeMs: span ? span.to - span.from : 0,
    };
  }

  /** Counts a finished blob's bytes: as stored, and decoded where a decoder ran. */
  private measure(result: BlobResult): void {
    if (!isDigests(result)) return;
    this.storedBytes += result.length;
    const content = result.content;
    if (!content || !('sha256' in content) || content.format === 'none') return;
    this.decodedBytes += content.length;
    const from = this.startedAt.get(result.id) ?? this.started;
    const to = this.now();
    const span = this.decodeSpan;
    this.decodeSpan = span
      ? { from: Math.min(span.from, from), to: Math.max(span.to, to) }
      : { from, to };
  }

  private emit(force = false): void {
    if (!this.onProgress) return;
    const t = this.now();
    if (!force && t - this.lastEmit < PROGRESS_INTERVAL_MS) return;
    this.lastEmit = t;
    this.onProgress(this.snapshot());
  }
}
