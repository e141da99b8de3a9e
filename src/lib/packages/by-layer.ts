/**
 * The packages of one platform read from its layers: the databases of the merged filesystem as
 * of the top layer, and for each package the layer that installed it or last changed it.
 *
 * Attribution, kept simple: the readers run on the tree as of every layer that could have
 * changed a database (it kept a package file, dropped one, holds a whiteout or an opaque
 * marker, or a symlink at or above a package path), and each package of the top layer is attributed to the first layer of
 * the last unbroken run of those reads in which it appears with its final identity (name,
 * arch and full version): a package upgraded in layer 5 is layer 5's, one removed and added back
 * is the layer that added it back. Problems are those of the top layer's read only.
 */
import type { KeptFiles } from '../layers/kept-files.ts';
import type { MergedFilesystem } from '../layers/merge.ts';
import { mergedFiles } from '../layers/merged-files.ts';
import type { DpkgEntry } from './copyright.ts';
import { type ApkPackage, type Distro, type PackageProblem, packageProblem } from './model.ts';
import type { RpmPackage } from './model.ts';
import { affectsPackageFiles } from './paths.ts';
import { type ImagePackages, readImagePackages } from './read.ts';

/** One installed package, whatever its ecosystem, with the layer that installed it. */
export interface PackageRecord {
  type: 'apk' | 'deb' | 'rpm';
  name: string;
  /** As the ecosystem writes it: apk and dpkg versions whole, rpm `[epoch:]version-release`. */
  version: string | null;
  epoch: number | null;
  release: string | null;
  arch: string | null;
  /** The source package: apk origin, dpkg `${source:Package}`, rpm source rpm. */
  source: string | null;
  /** Licences as the database (or, for dpkg, the copyright file) names them. */
  licences: string[];
  /** Installed bytes (dpkg's KiB × 1024). */
  size: number | null;
  /** The layer (0 = base) that installed or last changed it; null where no read says. */
  layer: number | null;
  /** The database file it was read from. */
  file: string;
  /** The reader's record, every field. */
  detail: ApkPackage | DpkgEntry | RpmPackage;
}

/** What one platform holds. */
export interface LayeredPackages {
  distro: Distro | null;
  records: PackageRecord[];
  /** The top layer's read, as readImagePackages gives it (for the local report). */
  found: ImagePackages;
  /** The top layer's problems, and files the layer read could not keep. */
  problems: PackageProblem[];
  /** The layers the readers ran on (0 = base). */
  layersRead: number[];
}

/** Returns the records of one read, each with no layer yet. */
export function recordsOf(found: ImagePackages): PackageRecord[] {
  const out: PackageRecord[] = [];
  for (const p of found.apk?.packages ?? [])
    out.push({
      type: 'apk',
      name: p.name,
      version: p.version,
      epoch: null,
      release: null,
      arch: p.arch,
      source: p.origin,
      licences: p.license ? [p.license] : [],
      size: p.installedSize,
      layer: null,
      file: found.apk!.file,
      detail: p,
    });
  for (const e of found.dpkg?.entries ?? []) {
    const p = e.package;
    out.push({
      type: 'deb',
      name: p.name,
      version: p.version,
      epoch: null,
      release: null,
      arch: p.arch,
      source: p.source,
      licences: e.licence.licences,
      size: p.installedSizeKib === null ? null : p.installedSizeKib * 1024,
      layer: null,
      file: p.file,
      detail: e,
    });
  }
  for (const p of found.rpm?.packages ?? []) {
    const evr = p.version === null ? null : `${p.epoch ? `${p.epoch}:` : ''}${p.version}`;
    out.push({
      type: 'rpm',
      name: p.name,
      version: evr === null ? null : p.release === null ? evr : `${evr}-${p.release}`,
      epoch: p.epoch,
      release: p.release,
      arch: p.arch,
      source: p.sourceRpm,
      licences: p.license ? [p.license] : [],
      size: p.size,
      layer: null,
      file: found.rpm!.file,
      detail: p,
    });
  }
  return out;
}

/** Returns a record's identity across layers: ecosystem, name, arch, full version. */
function identity(r: PackageRecord): string {
  return `${r.type}\0${r.name}\0${r.arch ?? ''}\0${r.version ?? ''}`;
}

/** Returns true when layer l may have changed what the readers find. */
function mayChangePackages(fs: MergedFilesystem, kept: KeptFiles | null | undefined, l: number) {
  if (kept && (kept.files.length > 0 || kept.dropped.length > 0)) return true;
  const listing = fs.layers[l]!;
  for (let i = 0; i < listing.count; i++) {
    if (listing.role(i) !== 'change') return true;
    if (listing.type(i) === 'symlink' && affectsPackageFiles(listing.path(i))) return true;
  }
  return false;
}

/** Returns the packages of a merged filesystem whose layers kept `kept[l]`, each attributed
 * to a layer. `platformArch` is the Debian arch of the platform (debianArchOf). */
export function packagesByLayer(
  fs: MergedFilesystem,
  kept: readonly (KeptFiles | null | undefined)[],
  platformArch: string | null = null,
): LayeredPackages {
  const top = fs.layers.length - 1;
  const layersRead: number[] = [];
  for (let l = 0; l < top; l++) if (mayChangePackages(fs, kept[l], l)) layersRead.push(l);
  if (top >= 0) layersRead.push(top);

  // Identities present in each read, lowest layer first; the top one's read kept whole.
  const present: Set<string>[] = [];
  let found: ImagePackages = { distro: null, apk: null, dpkg: null, rpm: null, problems: [] };
  let records: PackageRecord[] = [];
  const problems: PackageProblem[] = [];
  for (const l of layersRead) {
    const files = mergedFiles(fs, kept, l);
    const read = readImagePackages(files, platformArch);
    const recs = recordsOf(read);
    present.push(new Set(recs.map(identity)));
    if (l !== top) continue;
    found = read;
    records = recs;
    problems.push(...read.problems);
    for (const u of files.unread)
      problems.push(
        packageProblem(
          u.kind === 'too-large' ? 'package-db-too-large' : 'package-file-unread',
          `layer ${u.layer + 1} holds it but its bytes were not read: ${u.reason}`,
          u.path,
        ),
      );
  }
  for (const r of records) {
    const id = identity(r);
    let i = present.length - 1;
    while (i > 0 && present[i - 1]!.has(id)) i--;
    r.layer = layersRead[i] ?? null;
  }
  return { distro: found.distro, records, found, problems, layersRead };
}
