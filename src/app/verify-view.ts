/**
 * What the report view shows of a verification: each layer's and each platform's state, the
 * progress line, the summary, the check list. Pure functions (no DOM, no runes), tested in Node.
 *
 * A state comes from the run's own lines (`jobs`) while it goes on and once it has finished in
 * this page; from the checks alone for a verification kept in the library (which says less: a
 * blob that could not be read leaves no check, so it reads "not verified").
 */
import type { Check, ManifestReport, Report, Verification } from '../lib/report/model.ts';
import { incompleteness } from '../lib/verify/verdict.ts';
import { UNCHECKED_CODES } from '../lib/verify/plan.ts';
import { digestFromName } from '../lib/oci/digest.ts';
import type {
  BlobProgress,
  BlobState,
  VerifyFigures,
  VerifyProgress,
} from '../lib/verify/model.ts';
import { fileStem } from '../lib/oci/reference.ts';
import { type KeptVerification, SAME_MANIFEST } from './library/history.ts';
import { historyText } from './library/summary.ts';
import { peopleSize } from './report-view.ts';

/** A blob's state, or `not-run` where nothing says anything about it. */
export type ItemState = BlobState | 'not-run';

/** A platform's state: its blobs' worst, or `partial` where some were checked and some not. */
export type ManifestState = ItemState | 'partial';

/** What the view shows of one layer (or one platform). */
export interface ItemStatus<S extends string = ItemState> {
  state: S;
  /** How much of it has been read, 0–100, while it is queued or being read; null otherwise. */
  percent: number | null;
  /** Its failed checks: what was expected and what was found. */
  failed: Check[];
  /** Why it is missing, unsupported or could not be read; null otherwise. */
  detail: string | null;
}

/** What the report view is given: the verification to show (null while a run replaces it) and
 * the run's lines (null where there is no run to show). */
export interface VerifyShown {
  verification: Verification | null;
  jobs: readonly BlobProgress[] | null;
  /** Manifests (by digest, or image ID for a legacy save) read only in part: see cutShort. */
  cut?: ReadonlySet<string>;
}

/** Returns the manifest digests and image IDs that a problem left read only in part (a
 * manifest of more layers than are read): hashing what was read cannot vouch for the rest. */
export function cutShort(report: Report): ReadonlySet<string> {
  const cut = new Set<string>();
  for (const p of report.problems) {
    if (!UNCHECKED_CODES.has(p.code) || !p.where) continue;
    cut.add(p.where);
    // A legacy save names the config file; its image ID is the digest the name gives.
    const named = digestFromName(p.where);
    if (named) cut.add(named);
  }
  return cut;
}

// Worst first: the state a platform takes from its blobs.
const WORST: ItemState[] = [
  'mismatch',
  'missing',
  'error',
  'unsupported',
  'running',
  'queued',
  'ok',
  'not-run',
];

/** Returns how a state reads in the page. */
export function stateText(state: ManifestState, percent: number | null = null): string {
  switch (state) {
    case 'ok':
      return 'verified';
    case 'running':
      return percent === null ? 'verifying…' : `verifying ${Math.floor(percent)}%`;
    case 'not-run':
      return 'not verified';
    case 'partial':
      return 'partly verified';
    case 'error':
      return 'error';
    default:
      return state;
  }
}

/** Returns whether a check is about one of `wanted` (its target, or the digest it expects). */
function about(check: Check, wanted: ReadonlySet<string>): boolean {
  return wanted.has(check.target) || (check.expected !== null && wanted.has(check.expected));
}

/** Returns the state of the blob (or blobs) that `targets` name: a layer's digest and diff_id,
 * a manifest's digest, a config's digest. */
export function itemStatus(targets: readonly (string | null)[], shown: VerifyShown): ItemStatus {
  const wanted = new Set(targets.filter((t): t is string => t !== null));
  const { verification, jobs } = shown;
  const failed = (verification?.checks ?? []).filter((c) => !c.ok && about(c, wanted));
  const own = jobs?.filter((j) => j.targets.some((t) => wanted.has(t))) ?? [];
  if (own.length > 0) {
    let state = WORST.find((s) => own.some((j) => j.state === s)) ?? 'ok';
    // Its bytes hashed right, yet a check about it failed (another reader would see another
    // image): never "verified".
    if (state === 'ok' && failed.length > 0) state = 'mismatch';
    const size = own.reduce((n, j) => n + j.size, 0);
    const done = own.reduce((n, j) => n + j.bytesDone, 0);
    const busy = state === 'running' || state === 'queued';
    return {
      state,
      percent: busy ? (size > 0 ? (done / size) * 100 : 0) : null,
      failed,
      detail: own.find((j) => j.state === state)?.detail ?? null,
    };
  }
  if (jobs !== null || !verification || verification.status === 'not-run')
    return { state: 'not-run', percent: null, failed, detail: null };
  if (failed.length > 0) {
    const missing = failed.every((c) => c.kind === 'reference');
    return { state: missing ? 'missing' : 'mismatch', percent: null, failed, detail: null };
  }
  // A reference check only says the blob is there; it takes a content check to say it is right.
  const checked = verification.checks.some((c) => c.kind !== 'reference' && about(c, wanted));
  return { state: checked ? 'ok' : 'not-run', percent: null, failed, detail: null };
}

/** Returns the state of a platform: that of its manifest, config and layers taken together. */
export function manifestStatus(
  manifest: ManifestReport,
  shown: VerifyShown,
): ItemStatus<ManifestState> {
  const targets: (string | null)[][] = [
    [manifest.digest],
    [manifest.imageId],
    ...manifest.layers.map((l) => [l.digest, l.diffId]),
  ];
  const parts = targets.filter((t) => t.some((d) => d !== null)).map((t) => itemStatus(t, shown));
  const status = combined(parts, true);
  const cut = [manifest.digest, manifest.imageId].some((d) => d !== null && shown.cut?.has(d));
  return cut && status.state === 'ok' ? { ...status, state: 'partial' } : status;
}

/** Returns the state of parts taken together: the worst of them, the average progress of
 * those running, `partial` where some are verified and some not; the worst part's detail
 * when `withDetail`. */
function combined(
  parts: readonly ItemStatus<ManifestState>[],
  withDetail: boolean,
): ItemStatus<ManifestState> {
  const failed = [...new Set(parts.flatMap((p) => p.failed))];
  const worst = WORST.find(
    (s) => s !== 'ok' && s !== 'not-run' && parts.some((p) => p.state === s),
  );
  if (worst) {
    const busy = parts.filter((p) => p.percent !== null);
    const percent =
      worst === 'running' || worst === 'queued'
        ? busy.reduce((n, p) => n + p.percent!, 0) / Math.max(1, busy.length)
        : null;
    const detail = withDetail ? (parts.find((p) => p.state === worst)?.detail ?? null) : null;
    return { state: worst, percent, failed, detail };
  }
  if (parts.some((p) => p.state === 'partial'))
    return { state: 'partial', percent: null, failed, detail: null };
  const ok = parts.filter((p) => p.state === 'ok').length;
  const state = ok === 0 ? 'not-run' : ok === parts.length ? 'ok' : 'partial';
  return { state, percent: null, failed, detail: null };
}

/** Returns the checks with the failed ones first, each group in the verification's order. */
export function failedFirst(checks: readonly Check[]): Check[] {
  return [...checks.filter((c) => !c.ok), ...checks.filter((c) => c.ok)];
}

/** Returns one sentence on where a verification stands; a verification the library kept of an
 * earlier archive (`history`) is named as such where nothing has been verified now. */
export function summaryText(
  verification: Verification,
  history: KeptVerification | null = null,
  report: Report | null = null,
): string {
  const total = verification.checks.length;
  const failed = verification.checks.filter((c) => !c.ok).length;
  const checks = (n: number) => (n === 1 ? '1 check' : `${n} checks`);
  switch (verification.status) {
    case 'ok':
      return `Verified: all ${checks(total)} passed.`;
    case 'failed':
      return `Verification failed: ${failed} of ${checks(total)} failed.`;
    case 'partial': {
      // A partial save is not a corruption: say what is missing, not that something failed.
      const missing = report ? incompleteness(report, null) : null;
      if (missing) return `Verified what is here (${checks(total)} passed); ${missing}.`;
      return `Partly verified: ${checks(total - failed)} passed, but not everything could be checked.`;
    }
    case 'not-run':
      return history
        ? `Not verified (history: ${historyText(history)} ${SAME_MANIFEST}).`
        : 'Not verified.';
  }
}

/** Returns the progress line: `12.3 MB of 45.6 MB · 120 MB/s · about 3 s left`. */
export function progressText(progress: VerifyProgress): string {
  const parts = [`${peopleSize(progress.bytesDone)} of ${peopleSize(progress.bytesTotal)}`];
  const speed = progress.mbPerSecond;
  if (speed > 0) parts.push(`${speed.toFixed(speed < 10 ? 1 : 0)} MB/s`);
  if (progress.etaSeconds !== null && progress.bytesDone < progress.bytesTotal)
    parts.push(`about ${durationText(progress.etaSeconds)} left`);
  return parts.join(' · ');
}

/** Returns a duration as `4 s` or `2 min 5 s`. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Returns the file name of a verification receipt: `<archive stem>.verification.json`. */
export function receiptName(sourceName: string): string {
  return `${fileStem(sourceName)}.verification.json`;
}

/** Returns the state of a whole image: its platforms' worst, `partial` where some are verified
 * and some not (a platform not included in the archive counts as not verified). */
export function imageStatus(
  manifests: readonly ManifestReport[],
  shown: VerifyShown,
): ItemStatus<ManifestState> {
  const none: ItemStatus<ManifestState> = {
    state: 'not-run',
    percent: null,
    failed: [],
    detail: null,
  };
  const parts = manifests.map((m) => (m.included ? manifestStatus(m, shown) : none));
  return combined(parts, false);
}

/** Returns the line a finished run leaves: `Checked 2.7 MB in 0.9 s` (bytes hashed as stored). */
export function checkedText(figures: VerifyFigures): string {
  const seconds = figures.elapsedMs / 1000;
  const time = seconds < 60 ? `${seconds.toFixed(1)} s` : durationText(seconds);
  const bytes = figures.storedBytes;
  return `Checked ${peopleSize(bytes)} in ${time}`;
}
