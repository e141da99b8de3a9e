/**
 * What the Packages section of a platform shows: the package table's rows (searchable, sortable,
 * capped), the distro, the problems naming their file, and the repo-info local report for the
 * download. Pure functions over the tab's contents, tested in Node.
 */
import type { ImageLayers } from '../lib/layers/image-layers.ts';
import type { LayeredPackages, PackageRecord } from '../lib/packages/by-layer.ts';
import { localReport, onDiskBytes } from '../lib/packages/local-report.ts';
import type { Distro, PackageProblem } from '../lib/packages/model.ts';
import { reportPackages } from '../lib/packages/read.ts';
import { compareC } from '../lib/packages/text.ts';
import type { ImageReport, ManifestReport } from '../lib/report/model.ts';
import { oneLine as oneLineText } from '../lib/text.ts';

/** The table's columns, in order. */
export const PACKAGE_COLUMNS = [
  'name',
  'version',
  'arch',
  'source',
  'licences',
  'size',
  'layer',
] as const;
export type PackageColumn = (typeof PACKAGE_COLUMNS)[number];

/** Column headings as shown. */
export const COLUMN_TITLES: Record<PackageColumn, string> = {
  name: 'Name',
  version: 'Version',
  arch: 'Arch',
  source: 'Source package',
  licences: 'Licences',
  size: 'Installed size',
  layer: 'Layer',
};

/** One row of the package table, its cells as text. */
export interface PackageRow {
  key: string;
  type: PackageRecord['type'];
  name: string;
  version: string;
  arch: string;
  source: string;
  licences: string;
  /** Bytes; null where the database does not say. */
  size: number | null;
  /** 1 = base layer; null where no read says. */
  layer: number | null;
  /** The instruction that made that layer, where the history says. */
  layerStep: string | null;
  file: string;
}

/** How the table is sorted. */
export interface PackageSort {
  column: PackageColumn;
  descending: boolean;
}

/** Returns the rows of a platform's packages, in the table's default order (type, then name
 * in C order, as the CLI's table). */
export function packageRows(packages: LayeredPackages, layers: ImageLayers | null): PackageRow[] {
  const rows = packages.records.map((r, i): PackageRow => {
    const step = r.layer === null ? null : (layers?.layers[r.layer]?.createdBy ?? null);
    return {
      key: `${i}`,
      type: r.type,
      name: r.name,
      version: r.version ?? '',
      arch: r.arch ?? '',
      source: r.source ?? '',
      licences: r.licences.join(', '),
      size: r.size,
      layer: r.layer === null ? null : r.layer + 1,
      layerStep: step === null ? null : oneLineText(step),
      file: r.file,
    };
  });
  return rows.sort(
    (a, b) =>
      compareC(a.type, b.type) ||
      compareC(a.name, b.name) ||
      compareC(a.arch, b.arch) ||
      compareC(a.version, b.version),
  );
}

/** Returns the rows whose name, version, source or licences contain every word of `query`
 * (case-insensitive); all rows for a blank query. */
export function filterRows(rows: readonly PackageRow[], query: string): PackageRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((r) => {
    const text = `${r.name}\n${r.version}\n${r.source}\n${r.licences}\n${r.arch}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** Returns the rows sorted by a column (stable: ties keep their order); empty values last. */
export function sortRows(rows: readonly PackageRow[], sort: PackageSort): PackageRow[] {
  const sign = sort.descending ? -1 : 1;
  const c = sort.column;
  const numeric = c === 'size' || c === 'layer';
  return [...rows].sort((a, b) => {
    if (numeric) {
      const x = a[c];
      const y = b[c];
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
      return sign * (x - y);
    }
    const x = a[c];
    const y = b[c];
    if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
    return sign * compareC(x, y);
  });
}

/** Returns the next sort when a column's heading is activated: that column ascending, or the
 * other way round if it was sorted by already. */
export function nextSort(current: PackageSort, column: PackageColumn): PackageSort {
  return current.column === column
    ? { column, descending: !current.descending }
    : { column, descending: false };
}

/** Returns the distro as one line: `Debian GNU/Linux 12 (bookworm)`; null where unknown. */
export function distroText(distro: Distro | null): string | null {
  if (!distro) return null;
  const text =
    distro.prettyName ??
    ([distro.name ?? distro.id, distro.versionId].filter(Boolean).join(' ') || null);
  return text === null ? null : oneLineText(text);
}

/** Returns a problem as one line naming its file: `var/lib/rpm/rpmdb.sqlite: …`. */
export function problemText(p: PackageProblem): string {
  return oneLineText(p.where ? `${p.where}: ${p.message}` : p.message);
}

/** Returns the counts line: `90 packages (dpkg)`, `15 packages (apk)`, `no OS packages found`. */
export function countText(packages: LayeredPackages): string {
  const n = packages.records.length;
  const kinds = [...new Set(packages.records.map((r) => KIND_NAMES[r.type]))];
  if (n === 0) return 'no OS package database found';
  return `${n} package${n === 1 ? '' : 's'} (${kinds.join(', ')})`;
}

const KIND_NAMES: Record<PackageRecord['type'], string> = { apk: 'apk', deb: 'dpkg', rpm: 'rpm' };

/** Returns the repo-info local report of a platform, byte for byte what
 * `stevedore-image report --local --platform …` prints for it. */
export function localMarkdown(
  image: ImageReport,
  manifest: ManifestReport,
  layers: ImageLayers,
  packages: LayeredPackages,
): string {
  return localReport({
    image: image.ref,
    imageId: manifest.imageId,
    created: manifest.created,
    virtualSize: onDiskBytes(layers.fs.layers),
    os: manifest.platform.os,
    architecture: manifest.platform.architecture,
    entrypoint: manifest.entrypoint,
    cmd: manifest.cmd,
    env: manifest.env,
    labels: manifest.labels,
    ...reportPackages(packages.found),
  });
}

/** Returns the download's file name: `<ref>-<os>-<arch>[-<variant>].local.md`, safe on disks. */
export function localMarkdownName(image: ImageReport, manifest: ManifestReport): string {
  const p = manifest.platform;
  const parts = [image.ref, p.os, p.architecture, p.variant].filter((x): x is string => !!x);
  const base = parts
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 120);
  return `${base || 'image'}.local.md`;
}

/** Returns the package summary the embed's `report` event carries for one platform. */
export function packageSummary(packages: LayeredPackages): {
  distro: string | null;
  count: number;
  byType: Record<string, number>;
  problems: string[];
} {
  const byType: Record<string, number> = {};
  for (const r of packages.records)
    byType[KIND_NAMES[r.type]] = (byType[KIND_NAMES[r.type]] ?? 0) + 1;
  return {
    distro: distroText(packages.distro),
    count: packages.records.length,
    byType,
    problems: packages.problems.map(problemText),
  };
}
