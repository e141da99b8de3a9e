/** What the "Recent images" list shows of a cached report, derived from the entry alone. */
import type { Verification } from '../../lib/report/model.ts';
import { keptVerification, type KeptVerification } from './history.ts';
import type { CachedReport } from './report-cache.ts';

/** One line of the list: what the archive holds, and what was done with it. */
export interface LibraryItem {
  id: string;
  fileName: string;
  size: number;
  openedAt: number;
  /** The image references in the archive, in its order. */
  refs: string[];
  /** The distinct platforms of its image manifests (attestations and artifacts left out). */
  platforms: string[];
  /** What the last run kept said of an archive with this identity, and when: history only. */
  history: KeptVerification | null;
}

/** Returns the list line of a cached report. */
export function summarize(entry: CachedReport): LibraryItem {
  const { images } = entry.report;
  const platforms = images.flatMap((image) =>
    image.manifests.filter((m) => m.kind === 'image').map((m) => m.platformString),
  );
  return {
    id: entry.id,
    fileName: entry.fileName,
    size: entry.size,
    openedAt: entry.openedAt,
    refs: images.map((image) => image.ref),
    platforms: [...new Set(platforms)],
    history: keptVerification(entry),
  };
}

/** Returns how a verification status reads in the list. */
export function verificationText(status: Verification['status']): string {
  switch (status) {
    case 'not-run':
      return 'not verified';
    case 'ok':
      return 'verified';
    case 'partial':
      return 'partly verified';
    case 'failed':
      return 'verification failed';
  }
}

/** Returns what a kept verification said, and when: `verified on 3 Dec 2026, 14:02`. */
export function historyText(kept: KeptVerification): string {
  return `${verificationText(kept.verification.status)} on ${openedText(kept.verifiedAt)}`;
}

/** Returns the first `max` items of a list and how many were left out. */
export function firstOf(list: string[], max: number): { shown: string[]; more: number } {
  return { shown: list.slice(0, max), more: Math.max(0, list.length - max) };
}

/** Returns a moment as the list prints it, in the reader's locale and time zone. */
export function openedText(openedAt: number): string {
  return new Date(openedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
