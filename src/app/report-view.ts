/**
 * What the report view derives from a Report: labels, shared layers, bar segments. Pure
 * functions (no DOM, no runes) so that they are tested in Node like the core.
 */
import { formatDate, formatSize } from '../lib/report/format.ts';
import { sizeNote as totalSizeNote } from '../lib/report/markdown.ts';
import type {
  ImageReport,
  LayerReport,
  ManifestReport,
  Report,
  Verification,
} from '../lib/report/model.ts';
import { fileStem } from '../lib/oci/reference.ts';

/** Returns `sha256:` and the first 12 hex digits of a digest; other strings unchanged. */
export function shortDigest(digest: string): string {
  const m = /^(sha256:)([0-9a-f]{12})[0-9a-f]{52}$/.exec(digest);
  return m ? `${m[1]}${m[2]}` : digest;
}

/** Returns a size as people read it: `413 B`, `1000 B` (whole bytes, where repo-info's Markdown
 * writes `413.0 B`), `1.5 MB` (repo-info's base-1000 units and rounding, without its
 * `(N bytes)` tail). Every size the page shows goes through this; the Markdown export keeps
 * repo-info's own formatSize. */
export function peopleSize(bytes: number): string {
  if (Number.isSafeInteger(bytes) && bytes <= 1000) return `${bytes} B`;
  return formatSize(bytes).replace(/ \(\d+ bytes\)$/, '');
}

/** Returns a size with its exact byte count, as the details show it: `1.5 KB (1536 bytes)`,
 * and bytes as `413 B` (the Markdown's `413.0 B` is repo-info's, not the page's). */
export function fullSize(bytes: number): string {
  const text = formatSize(bytes);
  return / \(\d+ bytes\)$/.test(text) ? text : peopleSize(bytes);
}

/** Returns the exact byte count as text: `1,470,464 bytes`, for titles. */
export function exactSize(bytes: number): string {
  return `${countText(bytes)} bytes`;
}

/** Returns the created time as repo-info prints it, else the raw text, else null. */
export function createdText(created: string | null): string | null {
  if (created === null) return null;
  return formatDate(created) ?? created;
}

/** Returns the digest the image is pulled by: its index, else its only manifest; null if none. */
export function topDigest(image: ImageReport): string | null {
  if (image.digest !== null) return image.digest;
  return image.manifests.length === 1 ? (image.manifests[0]?.digest ?? null) : null;
}

/** Returns the `docker pull name@digest` line for a digest; null where the archive names no
 * repository (no invented name) or the digest is no runnable image (attestation, artifact). */
export function pullCommand(image: ImageReport, digest: string): string | null {
  if (image.name === null) return null;
  const m = image.manifests.find((x) => x.digest === digest);
  if (m && m.kind !== 'image') return null;
  return `docker pull ${image.name}@${digest}`;
}

/** Returns the manifest a digest names: first in `image`, then anywhere in the report. */
function findManifest(
  report: Report,
  image: ImageReport,
  digest: string,
): ManifestReport | undefined {
  const own = image.manifests.find((m) => m.digest === digest);
  if (own) return own;
  for (const other of report.images) {
    const found = other.manifests.find((m) => m.digest === digest && m.kind === 'image');
    if (found) return found;
  }
  return undefined;
}

/** Returns how a subject digest reads: its platform string when found, else its short digest. */
function subjectText(report: Report, image: ImageReport, subject: string): string {
  const found = findManifest(report, image, subject);
  return found ? found.platformString : shortDigest(subject);
}

/** Returns the heading of a manifest: its platform, or what an attestation or artifact is for. */
export function manifestLabel(
  report: Report,
  image: ImageReport,
  manifest: ManifestReport,
): string {
  const subject = manifest.subject;
  if (manifest.kind === 'attestation') {
    return subject ? `attestation for ${subjectText(report, image, subject)}` : 'attestation';
  }
  if (manifest.kind === 'artifact') {
    return subject ? `artifact for ${subjectText(report, image, subject)}` : 'artifact';
  }
  return subject
    ? `${manifest.platformString} (refers to ${subjectText(report, image, subject)})`
    : manifest.platformString;
}

/** Returns the distinct layer media types of a manifest (what an attestation carries). */
export function layerTypes(manifest: ManifestReport): string[] {
  return [...new Set(manifest.layers.flatMap((l) => (l.mediaType ? [l.mediaType] : [])))];
}

/** Returns the labels of the image's other manifests that also list `layer`. */
export function sharedWith(
  report: Report,
  image: ImageReport,
  manifest: ManifestReport,
  layer: LayerReport,
): string[] {
  if (layer.digest === null) return [];
  return image.manifests
    .filter((m) => m !== manifest && m.layers.some((l) => l.digest === layer.digest))
    .map((m) => manifestLabel(report, image, m));
}

/** One slice of a platform's layer bar. */
export interface BarSegment {
  /** Share of the widest manifest's total, in percent. */
  percent: number;
  title: string;
}

/** Returns a manifest's layers as bar segments scaled to the image's largest manifest. */
export function layerBar(image: ImageReport, manifest: ManifestReport): BarSegment[] {
  const widest = Math.max(1, ...image.manifests.map((m) => m.totalSize));
  return manifest.layers.map((layer, i) => {
    const size = layer.size ?? 0;
    const digest = layer.digest === null ? 'digest unknown' : shortDigest(layer.digest);
    return {
      percent: (size / widest) * 100,
      title: `layer ${i + 1}: ${digest}, ${peopleSize(size)}`,
    };
  });
}

/**
 * Returns the verification state of one manifest as the overview shows it. Until a
 * verification has run this is "not verified"; afterwards, the checks whose target is one of
 * the manifest's digests decide.
 */
export function verificationState(verification: Verification, manifest: ManifestReport): string {
  if (verification.status === 'not-run') return 'not verified';
  const targets = new Set<string>();
  for (const d of [manifest.digest, manifest.imageId]) if (d) targets.add(d);
  for (const l of manifest.layers) {
    if (l.digest) targets.add(l.digest);
    if (l.diffId) targets.add(l.diffId);
  }
  const checks = verification.checks.filter((c) => targets.has(c.target));
  if (checks.some((c) => !c.ok)) return 'failed';
  if (checks.length === 0) return 'not verified';
  return verification.status === 'partial' ? 'partly verified' : 'verified';
}

/** Returns the Dockerfile block of a manifest as the Markdown export prints it, unfenced. */
export function dockerfileText(manifest: ManifestReport): string {
  let out = '';
  for (const entry of manifest.history) {
    const date = entry.created === null ? null : formatDate(entry.created);
    if (date !== null) out += `# ${date}\n`;
    if (entry.dockerfile !== '') out += `${entry.dockerfile}\n`;
  }
  return out;
}

/** Returns the file name a download of the report gets: `<archive stem>.<extension>`. */
export function downloadName(sourceName: string, extension: 'md' | 'json'): string {
  return `${fileStem(sourceName)}.${extension}`;
}

/** Returns how the archive's layout reads in the header. */
export function formatText(format: Report['source']['format']): string {
  switch (format) {
    case 'docker-save':
      return 'docker save (legacy layout)';
    case 'oci-layout':
      return 'OCI image layout';
    case 'docker-save+oci':
      return 'docker save (Docker 25+, OCI layout)';
  }
}

/** Returns what a manifest's Total Size measures, in the Markdown export's words. */
export function sizeNote(report: Report, manifest: ManifestReport): string {
  const legacy = report.source.format === 'docker-save' && manifest.digest === null;
  return totalSizeNote(manifest, legacy).slice(1, -1); // without the parentheses
}

/** Returns the distinct layer compressions of an image, e.g. `gzip` or `none, zstd`. */
export function layerCompressions(image: ImageReport): string {
  // Null is a layer that is no filesystem tar at all (an attestation's in-toto JSON).
  const kinds = image.manifests.flatMap((m) => m.layers.flatMap((l) => l.compression ?? []));
  const names = [...new Set(kinds)].sort();
  return names.length > 0 ? names.join(', ') : 'no layers';
}

/** Returns a string list as the report view prints Entrypoint, Cmd and Shell: JSON. */
export function jsonList(list: string[] | null): string | null {
  return list === null ? null : JSON.stringify(list);
}

/** How many items of a long list (labels, problems, layers, checks, images) the page shows at
 * first, and how many more each "Show more" adds: a list of any length stays quick to render. */
export const LIST_LIMIT = 200;
export const LIST_STEP = 1000;

/** What a capped list shows: the first `limit` items that match, out of how many. */
export interface CappedList<T> {
  shown: T[];
  /** Items that match the filter (all of them without one). */
  matching: number;
  total: number;
}

/** Returns the first `limit` items whose text contains `query` (case-insensitive; every item
 * when the query is blank or there is no text to match). */
export function capList<T>(
  items: readonly T[],
  limit: number,
  query = '',
  text?: (item: T) => string,
): CappedList<T> {
  const wanted = query.trim().toLowerCase();
  if (wanted === '' || !text)
    return { shown: items.slice(0, limit), matching: items.length, total: items.length };
  const shown: T[] = [];
  let matching = 0;
  for (const item of items) {
    if (!text(item).toLowerCase().includes(wanted)) continue;
    matching++;
    if (shown.length < limit) shown.push(item);
  }
  return { shown, matching, total: items.length };
}

/** Returns a count as the page prints it: `100,000`. Grouped by hand, as en-US's
 * toLocaleString would: its first call in a page loads locale data (50–140 ms measured in
 * Chromium), which the first paint of a report with several refs or problems waited for. */
export function countText(count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) return count.toLocaleString('en-US');
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Returns the line above a capped list: `showing 200 of 100,000 labels`, with the filter's
 * share when there is one; null when the whole list is shown. */
export function capText(list: CappedList<unknown>, noun: string, filtered: boolean): string | null {
  if (!filtered && list.shown.length === list.total) return null;
  if (!filtered)
    return `showing ${countText(list.shown.length)} of ${countText(list.total)} ${noun}`;
  return `showing ${countText(list.shown.length)} of ${countText(list.matching)} matching (${countText(list.total)} ${noun} in all)`;
}
