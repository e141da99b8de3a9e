/**
 * The downloads of a platform's Packages section: the repo-info local report (Markdown) and
 * the two SBOMs (SPDX 2.3 JSON, CycloneDX 1.6 JSON), each with its button label, file name and
 * bytes, and what is said when no package database was found. Pure functions over the tab's
 * contents, tested in Node; PackagesView only shows the buttons and saves the text.
 *
 * The SBOM bytes are `stevedore-image sbom`'s for the same archive and platform: the same
 * sbomJson, the same input (the report's ImageReport and ManifestReport, packagesByLayer's
 * result, the tool of package.json). Nothing in them comes from the clock or a random source:
 * the timestamp is the image's created date, ids and serial number derive from the manifest
 * digest (src/lib/sbom/input.ts).
 *
 * Without a package database (no apk, dpkg or rpm database in the merged filesystem) the
 * downloads are still offered, named for what they hold: the local report is then its
 * "Docker Metadata" header alone, which is what repo-info's scan-local.sh writes for such an
 * image (its gatherers print nothing; see fedora 37's report), and an SBOM names only the
 * image, its root component, which is a valid document of both formats.
 */
import type { ImageLayers } from '../lib/layers/image-layers.ts';
import type { LayeredPackages } from '../lib/packages/by-layer.ts';
import { APK_INSTALLED } from '../lib/packages/apk.ts';
import { DPKG_STATUS, DPKG_STATUS_D } from '../lib/packages/dpkg.ts';
import { OS_RELEASE_PATHS } from '../lib/packages/os-release.ts';
import { RPM_DB_DIRS, RPM_DB_FILES } from '../lib/packages/rpm/index.ts';
import type { ImageReport, ManifestReport } from '../lib/report/model.ts';
import { type SbomFormat, sbomFileName, sbomJson } from '../lib/sbom/index.ts';
import { STEVEDORE_TOOL } from '../lib/sbom/tool.ts';
import { localMarkdown, localMarkdownName } from './packages-view.ts';

/** One download of the Packages section. */
export interface PackageExport {
  kind: 'local-md' | SbomFormat;
  /** The button's text (its accessible name), saying what the file holds. */
  label: string;
  fileName: string;
  /** The Blob's media type. */
  type: string;
  /** Writes the file's text (only when the button is used). */
  text: () => string;
}

/** What the Packages section offers to download, and what it says first. */
export interface PackageExports {
  /** Whether any of apk's, dpkg's or rpm's databases was found in the merged filesystem. */
  database: boolean;
  /** Said when no database was found: where the readers looked, and what the downloads hold.
   * Null when a database was found. */
  notice: string | null;
  downloads: PackageExport[];
}

/** Returns true when the merged filesystem holds a package database of apk, dpkg or rpm
 * (read or not: a corrupt one is a problem, not an absence). */
export function hasPackageDatabase(packages: LayeredPackages): boolean {
  const f = packages.found;
  return (
    f.apk !== null ||
    f.dpkg !== null ||
    f.rpm !== null ||
    packages.records.length > 0 ||
    packages.problems.some(
      (p) => p.where !== null && !OS_RELEASE_PATHS.some((o) => p.where!.startsWith(o)),
    )
  );
}

/** The sentence said when no package database was found, naming every place looked at. */
export const NO_DATABASE_TEXT =
  'No package database found (looked for: ' +
  `apk ${APK_INSTALLED}, ` +
  `dpkg ${DPKG_STATUS} and ${DPKG_STATUS_D}/, ` +
  `rpm ${Object.values(RPM_DB_FILES).join(', ')} in ${RPM_DB_DIRS.join(' and ')})`;

/** What can be exported without a database, said under NO_DATABASE_TEXT. */
export const NO_DATABASE_EXPORTS =
  'What can still be exported: the local report with its Docker Metadata only (what ' +
  'repo-info writes for an image without packages), and SBOMs naming only the image itself.';

const LABELS: Record<PackageExport['kind'], [withPackages: string, without: string]> = {
  'local-md': [
    'Download the local report (Markdown)',
    'Download the local report (Markdown, Docker Metadata only)',
  ],
  'spdx-json': ['Download SPDX 2.3 JSON', 'Download SPDX 2.3 JSON (the image only, no packages)'],
  'cyclonedx-json': [
    'Download CycloneDX 1.6 JSON',
    'Download CycloneDX 1.6 JSON (the image only, no packages)',
  ],
};

/** Returns the SBOM of a platform as `stevedore-image sbom --format <format>` prints it. */
export function sbomText(
  format: SbomFormat,
  image: ImageReport,
  manifest: ManifestReport,
  packages: LayeredPackages,
): string {
  return sbomJson(format, { image, manifest, packages, tool: STEVEDORE_TOOL });
}

/** Returns the downloads of a platform's Packages section. The local report needs the layer
 * listing (its Virtual Size): without it (a report reopened without its archive whose listing
 * was not kept) only the SBOMs are offered. */
export function packageExports(
  image: ImageReport,
  manifest: ManifestReport,
  layers: ImageLayers | null,
  packages: LayeredPackages,
): PackageExports {
  const database = hasPackageDatabase(packages);
  const label = (kind: PackageExport['kind']) => LABELS[kind][database ? 0 : 1];
  const downloads: PackageExport[] = [];
  if (layers)
    downloads.push({
      kind: 'local-md',
      label: label('local-md'),
      fileName: localMarkdownName(image, manifest),
      type: 'text/markdown;charset=utf-8',
      text: () => localMarkdown(image, manifest, layers, packages),
    });
  for (const format of ['spdx-json', 'cyclonedx-json'] as const)
    downloads.push({
      kind: format,
      label: label(format),
      fileName: sbomFileName(format, { image, manifest, packages, tool: STEVEDORE_TOOL }),
      type: 'application/json;charset=utf-8',
      text: () => sbomText(format, image, manifest, packages),
    });
  return {
    database,
    notice: database ? null : `${NO_DATABASE_TEXT}. ${NO_DATABASE_EXPORTS}`,
    downloads,
  };
}
