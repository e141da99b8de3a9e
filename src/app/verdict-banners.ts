/**
 * The banners at the top of a report whose verification did not pass: "corrupt" (bytes that do
 * not match their digest), "unsafe" (layer entries that would land outside the root when
 * unpacked), "ambiguous" (documents another reader would read as another image: an index that
 * lists a manifest as a platform its config is not) and "incomplete" (what was not checked),
 * each naming the layer and platform in people's words. Pure functions, tested in Node.
 */
import type { Check, ImageReport, Report } from '../lib/report/model.ts';
import type { BlobProgress } from '../lib/verify/model.ts';
import { incompleteness } from '../lib/verify/verdict.ts';
import { UNCHECKED_CODES } from '../lib/verify/plan.ts';
import { shortDigest } from './report-view.ts';
import { manifestPlatform } from './summary-view.ts';

export type BannerKind = 'corrupt' | 'unsafe' | 'ambiguous' | 'incomplete';

/** One banner: its heading, and one line per thing it is about. */
export interface Banner {
  kind: BannerKind;
  title: string;
  lines: string[];
}

const CORRUPT = new Set<Check['kind']>(['blob-digest', 'blob-size', 'diff-id', 'name']);
/** Problems that left part of the archive unread, named one by one in the banner (the rest are
 * counted; the problem list below has them all). */
const UNREAD_LINES = 5;

/** Returns what a check's target is, in people's words: `layer 3 (sha256:00bdeca78fe1) of
 * linux/amd64`, `the manifest of linux/arm64/v8`, `the index`; the target itself otherwise. */
export function targetText(image: ImageReport, check: Check): string {
  const wanted = [check.target, check.expected].filter((t): t is string => t !== null);
  const is = (digest: string | null) =>
    digest !== null &&
    wanted.some((w) => w === digest || (w.endsWith('.tar') && digest.endsWith(w.slice(0, -4))));
  if (is(image.digest)) return 'the index';
  for (const manifest of image.manifests) {
    const of = `of ${manifestPlatform(manifest, image.manifests)}`;
    const at = manifest.layers.findIndex((l) => is(l.digest) || is(l.diffId));
    if (at >= 0) {
      const digest = manifest.layers[at]!.digest;
      return `layer ${at + 1}${digest ? ` (${shortDigest(digest)})` : ''} ${of}`;
    }
    if (is(manifest.digest)) return `the manifest ${of}`;
    if (is(manifest.imageId)) return `the config ${of}`;
  }
  return check.target;
}

/** Returns where a check's target comes in the image: platform by platform, layers in order. */
function rank(image: ImageReport, check: Check): number {
  const wanted = new Set([check.target, check.expected]);
  for (const [j, m] of image.manifests.entries()) {
    if (wanted.has(m.digest)) return j * 1e6;
    if (wanted.has(m.imageId)) return j * 1e6 + 1;
    const at = m.layers.findIndex((l) => wanted.has(l.digest) || wanted.has(l.diffId));
    if (at >= 0) return j * 1e6 + 2 + at;
  }
  return Number.MAX_SAFE_INTEGER;
}

/** Returns the checks in the image's order (the verifier reads the largest blobs first). */
function inOrder(image: ImageReport, checks: readonly Check[]): Check[] {
  return checks
    .map((c, i) => ({ c, i, r: rank(image, c) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map(({ c }) => c);
}

/** Returns what a failed check found, after the thing it is about. */
function corruptText(check: Check): string {
  switch (check.kind) {
    case 'blob-digest':
      return 'its bytes do not match its digest';
    case 'name':
      return 'its bytes do not match the digest its file name gives';
    case 'blob-size':
      return `it is ${check.actual} bytes, its descriptor says ${check.expected}`;
    default: {
      if (check.actual !== null)
        return 'its unpacked content does not match the diff_id of its config';
      // A layer that does not decode: the check says why ("is not a valid gzip stream: …").
      const why = / is (not [^;]*)/.exec(check.message)?.[1];
      return why ? `it is ${why}` : 'its content could not be decoded';
    }
  }
}

/** Returns the banners of a verification of `image` (none for one that passed or did not run). */
export function verdictBanners(
  report: Report,
  image: ImageReport,
  checks: readonly Check[],
  status: Report['verification']['status'],
  jobs: readonly BlobProgress[] | null = null,
): Banner[] {
  const banners: Banner[] = [];
  const failed = inOrder(
    image,
    checks.filter((c) => !c.ok),
  );
  const grouped = new Map<string, string[]>();
  for (const c of failed.filter((c) => CORRUPT.has(c.kind))) {
    const what = targetText(image, c);
    const said = corruptText(c);
    const list = grouped.get(what) ?? [];
    if (!list.includes(said)) list.push(said);
    grouped.set(what, list);
  }
  if (grouped.size > 0) {
    banners.push({
      kind: 'corrupt',
      title: 'Corrupt: this archive is not the image its manifests describe',
      lines: [...grouped].map(([what, said]) => `${capital(what)}: ${said.join('; ')}.`),
    });
  }
  const unsafe = failed.filter((c) => c.kind === 'layer-path' && c.message.includes('outside'));
  if (unsafe.length > 0) {
    banners.push({
      kind: 'unsafe',
      title: 'Unsafe: unpacking this image would write files outside its root',
      lines: unsafe.map((c) => {
        const at = c.message.indexOf('entries that would land outside');
        const said = at >= 0 ? c.message.slice(at) : c.message;
        return `${capital(targetText(image, c))}: ${said}.`;
      }),
    });
  }
  const ambiguous = failed.filter((c) => c.kind === 'consistency');
  if (ambiguous.length > 0) {
    banners.push({
      kind: 'ambiguous',
      title: 'Ambiguous: other tools could read a different image from this archive',
      lines: [
        ...new Set(
          ambiguous.map(
            (c) =>
              `${capital(targetText(image, c))}: ${c.message}${c.message.endsWith('.') ? '' : '.'}`,
          ),
        ),
      ],
    });
  }
  const stopped = checks.filter(
    (c) => c.kind === 'layer-path' && !c.ok && !c.message.includes('outside'),
  );
  if (status === 'partial' || stopped.length > 0) {
    const lines: string[] = [];
    const absent = incompleteness(report, null);
    if (absent) lines.push(`${capital(absent.replace(/^incomplete: /, ''))}.`);
    for (const job of jobs ?? []) {
      if (
        job.detail &&
        (job.state === 'unsupported' ||
          job.state === 'error' ||
          // A platform not included is said once, above.
          (job.state === 'missing' && !absent))
      )
        lines.push(`${capital(job.detail)}${job.detail.endsWith('.') ? '' : '.'}`);
    }
    for (const c of stopped) lines.push(`${capital(targetText(image, c))}: read only in part.`);
    const unread = report.problems.filter((p) => UNCHECKED_CODES.has(p.code));
    for (const p of unread.slice(0, UNREAD_LINES))
      lines.push(`${capital(p.message)}${p.message.endsWith('.') ? '' : '.'}`);
    if (unread.length > UNREAD_LINES)
      lines.push(`And ${unread.length - UNREAD_LINES} more left unread: see the problems below.`);
    if (lines.length === 0)
      lines.push('Some blobs could not be checked: see the verification below.');
    banners.push({
      kind: 'incomplete',
      title: 'Incomplete: not everything in this archive could be checked',
      lines: [...new Set(lines)],
    });
  }
  return banners;
}

function capital(text: string): string {
  // A file name (`l0/layer.tar`, `manifest.json[0]`) is kept as the archive spells it.
  if (/^\S*[./]/.test(text)) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
