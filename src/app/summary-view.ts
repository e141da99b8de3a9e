/**
 * What the summary strip at the top of a report says, in people's notation (`linux/arm64/v8`,
 * `413 B`, `9 Apr 2019, 23:20 UTC`), not repo-info's. Pure functions, tested in Node.
 */
import { formatDate } from '../lib/report/format.ts';
import type { ImageReport, ManifestReport, Platform, Report } from '../lib/report/model.ts';
import { fileStem } from '../lib/oci/reference.ts';
import { digestFromName } from '../lib/oci/digest.ts';
import { MAX_LAYERS } from '../lib/limits.ts';
import { peopleSize, shortDigest } from './report-view.ts';
export { peopleSize } from './report-view.ts';

/** Returns a platform as people write it: `linux/arm64/v8`; `unknown` where nothing is known. */
export function platformText(platform: Platform): string {
  const parts = [platform.os, platform.architecture, platform.variant].filter(
    (p): p is string => !!p,
  );
  return parts.length > 0 ? parts.join('/') : 'unknown';
}

/** What the view says of a platform the archive does not state (never `unknown; unknown`). */
export const NO_PLATFORM = 'platform not stated';

/** Returns what a manifest is for, as the view names it: an image's platform
 * (`linux/arm64/v8`, or that none is stated); an attestation or artifact by the platform of
 * its subject, looked up in `all` (the report's manifests): `attestation for linux/amd64`,
 * else its subject's short digest. Never `unknown`. */
export function manifestPlatform(m: ManifestReport, all: readonly ManifestReport[] = []): string {
  const text = platformText(m.platform);
  const stated = !/^unknown(\/unknown)*$/.test(text);
  // A manifest saved under a tag of its own reads as an image; an index of the archive may
  // list the same digest as the attestation it is.
  const listed =
    m.kind === 'image' && !stated && m.digest !== null
      ? all.find((o) => o.digest === m.digest && o.kind !== 'image')
      : undefined;
  const kind = listed?.kind ?? m.kind;
  const about = m.subject ?? listed?.subject ?? null;
  if (kind === 'image' && (stated || about === null)) return stated ? text : NO_PLATFORM;
  const what = kind === 'image' ? 'referrer' : kind;
  const subject =
    about === null ? undefined : all.find((s) => s.kind === 'image' && s.digest === about);
  if (subject) return `${what} for ${manifestPlatform(subject)}`;
  if (stated) return `${what} for ${text}`;
  return about === null ? what : `${what} for ${shortDigest(about)}`;
}

/** Returns every manifest of every image of the report (where subjects are looked up). */
export function reportManifests(report: Report): ManifestReport[] {
  return report.images.flatMap((i) => i.manifests);
}


// en-GB's short month names, as Intl.DateTimeFormat gives them (September is "Sept").
const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sept',
  'Oct',
  'Nov',
  'Dec',
];

/** Returns a created time as people read it: `9 Apr 2019, 23:20 UTC`; the raw text if unreadable.
 * Written out by hand, the same as en-GB's Intl.DateTimeFormat: constructing one costs 20–70 ms
 * on first use (locale data), which the first paint of a report waited for. */
export function humanDate(created: string): string {
  const date = formatDate(created);
  const time = date === null ? NaN : Date.parse(date);
  if (Number.isNaN(time)) return created;
  const d = new Date(time);
  const year = d.getUTCFullYear();
  if (year < 1) return `${intlDate().format(time)} UTC`;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${year}`;
  return `${day}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

let intl: Intl.DateTimeFormat | null = null;

/** Returns en-GB's formatter of dates in UTC (made once). */
export function intlDate(): Intl.DateTimeFormat {
  intl ??= new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'UTC',
  });
  return intl;
}

/** Returns the image's runnable manifests held in the archive (no attestations or artifacts). */
export function platformManifests(image: ImageReport): ManifestReport[] {
  const images = image.manifests.filter((m) => m.kind === 'image' && m.included);
  return images.length > 0 ? images : image.manifests.filter((m) => m.included);
}

/** Returns one value when every item gives the same, else null. */
function same<T>(items: readonly ManifestReport[], value: (m: ManifestReport) => T): T | null {
  const values = [...new Set(items.map(value))];
  return values.length === 1 ? (values[0] ?? null) : null;
}

/** Returns a range of numbers as text: `413 B` or `413 B – 418 B`. */
function range(values: number[], text: (n: number) => string): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? text(low) : `${text(low)} – ${text(high)}`;
}

/** The summary strip's values; null where the archive does not say. */
export interface ImageSummary {
  /** The name the archive carries, or `unnamed — <file name>`. */
  name: string;
  named: boolean;
  /** `linux/arm64/v8`, or the platforms listed: `linux/amd64, linux/arm64/v8`. */
  platforms: string;
  platformCount: number;
  /** Layers as stored (compressed where they are), per platform. */
  compressed: string | null;
  /** Layers unpacked: known from the archive only where every layer is stored uncompressed. */
  unpacked: string | null;
  created: string | null;
  layers: string | null;
  /** Where a manifest lists more layers than are read: what to say beside the count. */
  layersCut: string | null;
  /** The config digest (image ID) of the only platform, or of all when they share one. */
  imageId: string | null;
}

/** Returns how an image without a repository name reads: `unnamed — <file>`, with the tag
 * where the archive carries one (an OCI `ref.name` such as `gen-multi`). */
function unnamed(report: Report, image: ImageReport): string {
  const stem = fileStem(report.source.name);
  const tag = image.ref.startsWith(`${stem}:`) ? image.ref.slice(stem.length + 1) : null;
  return `unnamed — ${report.source.name}${tag ? ` · tag ${tag}` : ''}`;
}

/** Returns whether the archive lists more layers for `m` than are read (the parser's
 * "too-many-layers" problem names the manifest by digest, or a docker save by its config file). */
function layersCut(report: Report, m: ManifestReport): boolean {
  return report.problems.some(
    (p) =>
      p.code === 'too-many-layers' &&
      p.where !== null &&
      (p.where === m.digest || digestFromName(p.where) === m.imageId),
  );
}

/** Returns what the summary strip shows for an image of a report. */
export function imageSummary(report: Report, image: ImageReport): ImageSummary {
  const shown = platformManifests(image);
  const sizes = shown.map((m) => m.totalSize);
  const uncompressed = shown.every(
    (m) => m.layers.length > 0 && m.layers.every((l) => l.compression === 'none'),
  );
  const created = same(shown, (m) => m.created);
  const layerCounts = shown.map((m) => m.layers.length);
  return {
    name: image.name !== null ? image.ref : unnamed(report, image),
    named: image.name !== null,
    platforms:
      [...new Set(shown.map((m) => manifestPlatform(m, reportManifests(report))))].join(', ') ||
      'none',
    platformCount: shown.length,
    compressed: sizes.length > 0 ? range(sizes, peopleSize) : null,
    unpacked: shown.length > 0 && uncompressed ? range(sizes, peopleSize) : null,
    created: created ? humanDate(created) : null,
    layers: layerCounts.length > 0 ? range(layerCounts, String) : null,
    layersCut: shown.some((m) => layersCut(report, m))
      ? `only the first ${MAX_LAYERS} of more are read`
      : null,
    imageId: same(shown, (m) => m.imageId),
  };
}
