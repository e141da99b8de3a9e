/** What the "Recent images" list shows of a cached report, derived from the entry alone. */
import type { Verification } from '../../lib/report/model.ts';
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
  verification: Verification['status'];
}

/** Returns the list line of a cached report. */
export function summarize(entry: CachedReport): LibraryItem {
  const { images, verification } = entry.report;
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
    verification: verification.status,
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

/** Returns the first `max` items of a list and how many were left out. */
export function firstOf(list: string[], max: number): { shown: string[]; more: number } {
  return { shown: list.slice(0, max), more: Math.max(0, list.length - max) };
}

/** Returns a moment as the list prints it, in the reader's locale and time zone. */
export function openedText(openedAt: number): string {
  return new Date(openedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
