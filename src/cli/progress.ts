/**
 * The progress line of `stevedore verify`: one line on stderr, redrawn in place, only when stderr
 * is a terminal (a log file or a pipe gets nothing but the summary).
 */

/** What the line shows: the figures of src/lib/verify/model.ts's VerifyProgress. */
export interface ProgressFigures {
  bytesDone: number;
  bytesTotal: number;
  mbPerSecond: number;
  etaSeconds: number | null;
}

/** The stream the line is drawn on: process.stderr, or a fake one in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** A progress line: `update` redraws it (throttled), `clear` erases it for good. */
export interface ProgressLine {
  update(figures: ProgressFigures): void;
  clear(): void;
}

/** Returns a size in base 1000 with one decimal: `999 B`, `4.3 KB`, `412.3 MB`, `2.1 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  // Step up before 999.95 would round to "1000.0".
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Returns seconds as `m:ss` or `h:mm:ss`; `--:--` when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '--:--';
  const whole = Math.ceil(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Returns the line's text: `verifying 412.3 MB of 2.1 GB (19%), 187.4 MB/s, ETA 0:09`. */
export function formatProgress(figures: ProgressFigures): string {
  const { bytesDone, bytesTotal, mbPerSecond, etaSeconds } = figures;
  const percent = bytesTotal > 0 ? Math.floor((100 * bytesDone) / bytesTotal) : 100;
  return (
    `verifying ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)} (${percent}%), ` +
    `${mbPerSecond.toFixed(1)} MB/s, ETA ${formatEta(etaSeconds)}`
  );
}

/** Erases the current terminal line from the cursor on. */
const CLEAR_TO_END = '\x1b[K';

/**
 * Returns a progress line drawn on `stream`, at most once per `intervalMs`; null when the stream
 * is no terminal, so that piped and redirected runs stay silent.
 */
export function progressLine(
  stream: ProgressStream,
  options: { intervalMs?: number; now?: () => number } = {},
): ProgressLine | null {
  if (!stream.isTTY) return null;
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  let last = -Infinity;
  let drawn = false;
  return {
    update(figures) {
      const t = now();
      if (t - last < intervalMs) return;
      last = t;
      let text = formatProgress(figures);
      // A line that wraps cannot be redrawn with \r: cut it to the terminal's width.
      const width = stream.columns ?? 0;
      if (width > 1 && text.length > width - 1) text = text.slice(0, width - 1);
      stream.write(`\r${text}${CLEAR_TO_END}`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write(`\r${CLEAR_TO_END}`);
      drawn = false;
      last = Infinity;
    },
  };
}
