/**
 * What both SBOM writers read: the image and platform as the report models them, the
 * packages found in its layers, and the tool. Everything a document derives from it (ids,
 * serial number, timestamp, order) is a function of these, so that the same archive gives
 * byte-identical documents in the CLI and the page.
 */
import { type LayeredPackages, type PackageRecord, recordsOf } from '../packages/by-layer.ts';
import type { Distro } from '../packages/model.ts';
import type { ImagePackages } from '../packages/read.ts';
import { compareC } from '../packages/text.ts';
import type { ImageReport, ManifestReport } from '../report/model.ts';

/** The input of sbomJson. */
export interface SbomInput {
  /** The image (its ref and repository name) as the report has it. */
  image: ImageReport;
  /** The platform the packages are of: one of `image.manifests`. */
  manifest: ManifestReport;
  /** What readImagePackages found, or packagesByLayer's result (then each package also
   * names the layer that installed it). */
  packages: ImagePackages | LayeredPackages;
  /** The writing tool, e.g. `{ name: 'stevedore-image', version: '0.1.0' }`. */
  tool: { name: string; version: string };
}

/** The input read once for both writers. */
export interface SbomFacts {
  input: SbomInput;
  distro: Distro | null;
  /** Sorted by ecosystem, name, arch, version (C order). */
  records: PackageRecord[];
  /** `os/arch[/variant]`, '' where unknown. */
  platform: string;
  /** [algorithm, hex] of the manifest digest, else the image ID, else a hash of the ref. */
  identity: [string, string];
  /** RFC 3339 UTC, seconds: the image's created date. */
  timestamp: string;
}

/** Returns the facts both documents are written from. */
export function sbomFacts(input: SbomInput): SbomFacts {
  const p = input.packages;
  const records = ('records' in p ? [...p.records] : recordsOf(p)).sort(
    (a, b) =>
      compareC(a.type, b.type) ||
      compareC(a.name, b.name) ||
      compareC(a.arch ?? '', b.arch ?? '') ||
      compareC(a.version ?? '', b.version ?? '') ||
      compareC(a.file, b.file),
  );
  const m = input.manifest;
  const platform = [m.platform.os, m.platform.architecture, m.platform.variant]
    .filter((s): s is string => !!s)
    .join('/');
  return {
    input,
    distro: p.distro,
    records,
    platform,
    identity: identityOf(input),
    timestamp: sbomTimestamp(m.created),
  };
}

function identityOf(input: SbomInput): [string, string] {
  for (const d of [input.manifest.digest, input.manifest.imageId]) {
    const m = d ? /^([a-z0-9]+):([0-9a-f]{32,})$/.exec(d) : null;
    if (m) return [m[1]!, m[2]!];
  }
  // Neither digest is known (an unreadable config in a legacy save): the ref and platform.
  const text = `${input.image.ref}\0${input.manifest.platformString}`;
  return ['fnv1a', fnv1a(text) + fnv1a(`${text}\0`)];
}

/** Returns 16 hex digits of the 64-bit FNV-1a hash of the text's UTF-16 code units. */
function fnv1a(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** The timestamp of an image whose config has no usable `created`: the Unix epoch, as
 * reproducible builds write (SOURCE_DATE_EPOCH=0). "Now" would make two runs differ. */
export const NO_DATE = '1970-01-01T00:00:00Z';

/** Returns an RFC 3339 date as UTC to the second (`2019-04-09T23:20:18Z`), the form SPDX's
 * pattern takes; NO_DATE when it is not one. Years 0001–9999 are kept (Go's zero time is
 * `0001-01-01T00:00:00Z`, written by some builders). */
export function sbomTimestamp(created: string | null): string {
  const m = created
    ? /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|z|[+-]\d{2}:\d{2})$/.exec(
        created,
      )
    : null;
  if (!m) return NO_DATE;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return NO_DATE;
  const zone = m[7]!.toUpperCase();
  const offset =
    zone === 'Z'
      ? 0
      : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCDate() !== d) return NO_DATE; // 31 April and the like
  date.setUTCHours(h, mi - offset, s, 0);
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) return NO_DATE;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}Z`;
}

/** Returns a UUID made from the image identity's first 128 bits, version 8 (RFC 9562's
 * custom UUID: derived, not random) with the RFC variant bits: the same image gives the same
 * serial number. */
export function derivedUuid(identity: [string, string]): string {
  const hex = identity[1].padEnd(32, '0').slice(0, 32).toLowerCase();
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Returns the 1-based layer of a record and its diff_id, when known. */
export function layerOf(
  facts: SbomFacts,
  record: PackageRecord,
): { number: number; diffId: string | null } | null {
  if (record.layer === null) return null;
  return {
    number: record.layer + 1,
    diffId: facts.input.manifest.layers[record.layer]?.diffId ?? null,
  };
}
