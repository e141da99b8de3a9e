/**
 * The table of an archive's refs (regclient's test repository carries 26): what each is, its
 * platforms and size, referrers (a manifest with a `subject`) nested under their subject, and
 * no two rows that read the same. Pure functions (no DOM, no runes), tested in Node.
 */
import type { ImageReport, Report } from '../../lib/report/model.ts';
import { fileStem } from '../../lib/oci/reference.ts';
import { shortDigest } from '../report-view.ts';
import { peopleSize } from '../summary-view.ts';
import { chipText, platformName } from './grid.ts';

export type RefKind = 'index' | 'image' | 'artifact' | 'attestation' | 'signature';

/** One row of the refs table. */
export interface RefRow {
  /** The image's index in `report.images`. */
  index: number;
  /** The tag where all refs share the archive's name, else the whole ref; `(no tag)` for none. */
  name: string;
  /** The ref in full. */
  ref: string;
  /** The index's digest, else the only manifest's; short. Null for a legacy save. */
  digest: string | null;
  kind: RefKind;
  /** `linux/amd64, linux/arm64/v8`; `none` for an artifact or attestation. */
  platforms: string;
  /** The layers' stored size, each distinct layer counted once. */
  size: string;
  /** 1 for a referrer shown under its subject. */
  depth: 0 | 1;
  /** For a referrer: what it is about (`v2`, `v2 · linux/amd64`). */
  about: string | null;
}

/** Platforms listed in a row at most; more read `+N`. */
const ROW_PLATFORMS = 4;

/** Returns a tag without the 52 hex digits that make referrer fallback tags unreadable. */
function shortTag(tag: string): string {
  return tag.replace(/sha256-([0-9a-f]{12})[0-9a-f]{52}/g, 'sha256-$1…');
}

/** Returns the digest that stands for an image: its index's, else its only manifest's. */
function ownDigest(image: ImageReport): string | null {
  return image.digest ?? (image.manifests.length === 1 ? image.manifests[0]!.digest : null);
}

/** Returns what a ref is; `attested` holds the digests some index lists as attestations. */
function refKind(image: ImageReport, attested: ReadonlySet<string>): RefKind {
  if (image.digest !== null || image.manifests.length !== 1) return 'index';
  const m = image.manifests[0]!;
  if (m.kind === 'attestation' || (m.digest !== null && attested.has(m.digest)))
    return 'attestation';
  if (m.kind === 'artifact') return chipText(m) === 'signature' ? 'signature' : 'artifact';
  return 'image';
}

/** Returns the one digest every manifest of a ref is about, else null (no referrer). */
function subjectOf(image: ImageReport): string | null {
  const subjects = new Set(image.manifests.map((m) => m.subject));
  if (subjects.size !== 1) return null;
  return [...subjects][0] ?? null;
}

/** Returns the refs of a report as table rows, each referrer right after its subject. */
export function refRows(report: Report): RefRow[] {
  const images = report.images;
  const stem = fileStem(report.source.name);
  const attested = new Set<string>();
  // The first ref of each digest, as an index or as one of its platforms.
  const byOwn = new Map<string, number>();
  const byPlatform = new Map<string, number>();
  images.forEach((image, i) => {
    const own = ownDigest(image);
    if (own !== null && !byOwn.has(own)) byOwn.set(own, i);
    for (const m of image.manifests) {
      if (m.digest === null) continue;
      if (m.kind === 'attestation') attested.add(m.digest);
      if (m.kind === 'image' && image.digest !== null && !byPlatform.has(m.digest))
        byPlatform.set(m.digest, i);
    }
  });
  const parentOf = images.map((image, i) => {
    const subject = subjectOf(image);
    if (subject === null) return null;
    const parent = byOwn.get(subject) ?? byPlatform.get(subject);
    return parent === undefined || parent === i ? null : parent;
  });
  // One level only: a referrer of a referrer stays at the top, so that nesting has no cycles.
  const nestedUnder = parentOf.map((p) => (p !== null && parentOf[p] === null ? p : null));
  const children = new Map<number, number[]>();
  nestedUnder.forEach((p, i) => {
    if (p === null) return;
    const list = children.get(p) ?? [];
    list.push(i);
    children.set(p, list);
  });

  const names = images.map((image) => {
    if (image.name !== null || !image.ref.startsWith(stem)) return image.ref;
    if (image.ref === stem) return '(no tag)';
    return image.ref.startsWith(`${stem}:`)
      ? shortTag(image.ref.slice(stem.length + 1))
      : image.ref;
  });

  const row = (i: number, depth: 0 | 1): RefRow => {
    const image = images[i]!;
    const own = ownDigest(image);
    // A manifest some index calls an attestation is none, even where a ref names it alone.
    const platforms = image.manifests
      .filter((m) => m.kind === 'image' && !(m.digest !== null && attested.has(m.digest)))
      .map(platformName);
    const shownPlatforms =
      platforms.length > ROW_PLATFORMS
        ? `${platforms.slice(0, ROW_PLATFORMS).join(', ')} +${platforms.length - ROW_PLATFORMS}`
        : platforms.join(', ');
    const sizes = new Map<string, number>();
    image.manifests.forEach((m, k) =>
      m.layers.forEach((l, n) => sizes.set(l.digest ?? `${k}/${n}`, l.size ?? 0)),
    );
    let about: string | null = null;
    const subject = subjectOf(image);
    if (depth === 1 && subject !== null) {
      const parent = images[nestedUnder[i]!]!;
      const platform = parent.manifests.find((m) => m.digest === subject && m.kind === 'image');
      about = platform
        ? `${names[nestedUnder[i]!]} · ${platformName(platform)}`
        : names[nestedUnder[i]!]!;
    }
    return {
      index: i,
      name: names[i]!,
      ref: image.ref,
      digest: own === null ? null : shortDigest(own),
      kind: refKind(image, attested),
      platforms: shownPlatforms || 'none',
      size: peopleSize([...sizes.values()].reduce((a, b) => a + b, 0)),
      depth,
      about,
    };
  };

  const rows: RefRow[] = [];
  images.forEach((_, i) => {
    if (nestedUnder[i] !== null) return;
    rows.push(row(i, 0));
    for (const child of children.get(i) ?? []) rows.push(row(child, 1));
  });
  // Rows that would still read the same (a ref listed twice) are told apart by their place.
  const seen = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.name} ${r.digest}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) r.name = `${r.name} (${n})`;
  }
  return rows;
}

/** Returns the text a row is found by in the filter: its name, ref, kind, platforms, digest. */
export function refText(row: RefRow): string {
  return [row.name, row.ref, row.kind, row.platforms, row.digest ?? '', row.about ?? ''].join(' ');
}
