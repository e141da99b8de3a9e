/**
 * A verification kept in the library is history: what a run found for some earlier file with the
 * same content identity (root documents and size). It is shown as such, and never becomes the
 * verification of a report opened now, which starts as not run.
 */
import type { Report, Verification } from '../../lib/report/model.ts';
import type { CachedReport } from './report-cache.ts';

/** A verification an earlier run made of an archive with this identity, and when. */
export interface KeptVerification {
  verification: Verification;
  verifiedAt: number;
}

/** The verification of a report that nothing has verified in this page. */
export const NOT_RUN: Verification = { status: 'not-run', checks: [] };

/** Returns the verification an entry keeps as history, or null when none ran. */
export function keptVerification(entry: CachedReport): KeptVerification | null {
  const { verification } = entry.report;
  if (verification.status === 'not-run') return null;
  return { verification, verifiedAt: entry.verifiedAt ?? entry.openedAt };
}

/** Returns the report with its verification taken off (not run), for showing and exporting. */
export function withoutVerdict(report: Report): Report {
  return { ...report, verification: NOT_RUN };
}

/** The words that tie a kept verification to the archive it was made of, not to a file now. */
export const SAME_MANIFEST = 'for an archive with the same manifest';
