/**
 * docker-library/repo-info's *local* report (scan-local.sh + .local-scripts/gather-*.sh) for
 * one platform: the "Docker Metadata" header, then the apk, dpkg and rpm sections, in that
 * order, each only when its database was found. Byte for byte what repo-info prints, except:
 * - the blocks repo-info fetches from the network are not printed: dpkg's `Source:` block
 *   (`apt-get source --print-uris`, the sources.debian.net / snapshot.debian.org links, or
 *   the "unable to find source" warning) and rpm's `Source:` block (`dnf download --source
 *   --url`, or its warning). With `offlineNote` one line stands where each such block was
 *   (DPKG_OFFLINE_NOTE, RPM_OFFLINE_NOTE); without it they are left out silently, as in the
 *   replicas' expected files;
 * - `Virtual Size` is what the caller measured (see the input's doc);
 * - distroless `status.d` packages and `usr/lib/sysimage/rpm` databases are listed when the
 *   caller passes them, where repo-info's helpers would not see them (see reportPackages).
 * The header follows the 2023 template: an empty Entrypoint or Cmd prints no line (current
 * repo-info reports can print `[]`).
 */
import type { LayerListing } from '../layers/listing.ts';
import type { Config, Digest } from '../oci/model.ts';
import { apkSection, dpkgSection, rpmSection } from './local-report-sections.ts';
import type { DpkgEntry } from './copyright.ts';
import { goJson, goTime, virtualSizeText } from './go-format.ts';
import type { ApkPackage, RpmPackage } from './model.ts';
import { compareC } from './text.ts';

export { DPKG_OFFLINE_NOTE, RPM_OFFLINE_NOTE } from './local-report-sections.ts';

/** What the local report shows, however the files were found. */
export interface LocalReportInput {
  /** The heading: the image reference as scanned (`alpine:3.16.3`). */
  image: string;
  /** The config digest (the Image ID on Docker's classic store). */
  imageId: Digest | null;
  /** The config's `created`, as written there. */
  created: string | null;
  /** Bytes on disk: Σ over layers of regular-file sizes + symlink target lengths, hard links
   * not counted again (Docker's overlay2 `directory.Size`); null prints `unknown`. */
  virtualSize: number | null;
  os: string | null;
  architecture: string | null;
  entrypoint: string[] | null;
  cmd: string[] | null;
  env: string[] | null;
  labels: Record<string, string> | null;
  /** apk's packages; null when the image has no `lib/apk/db/installed`. */
  apk: ApkPackage[] | null;
  /** dpkg's packages with their licences (see dpkgEntries); null when there is no database. */
  dpkg: DpkgEntry[] | null;
  /** rpm's packages; null when there is no database. */
  rpm: RpmPackage[] | null;
}

/** Options of the rendering. */
export interface LocalReportOptions {
  /** Print one line per dpkg / rpm section saying that the network-derived blocks are left
   * out (default false: left out silently, as in the replicas' expected files). */
  offlineNote?: boolean;
}

/** One tar entry of a layer, as far as the Virtual Size needs it. */
export interface DiskEntry {
  /** Tar typeflag: `0`/`7` regular file, `1` hard link, `2` symlink, `5` directory… */
  typeflag: string;
  size: number;
  linkName: string;
}

const utf8 = new TextEncoder();

/** Returns the bytes one layer entry adds to the Virtual Size: a regular file its size, a
 * symlink the length of its target (what lstat reports), anything else 0 (a hard link is
 * counted once, at its first name). Sum it over every entry of every layer. */
export function diskBytesOf(entry: DiskEntry): number {
  if (entry.typeflag === '0' || entry.typeflag === '7' || entry.typeflag === '\0')
    return entry.size;
  if (entry.typeflag === '2') return utf8.encode(entry.linkName).length;
  return 0;
}

/** Returns the Virtual Size of the local report: Σ diskBytesOf over every entry of every layer
 * (the CLI's `report --local` and the page's download both use it). */
export function onDiskBytes(listings: readonly LayerListing[]): number {
  let n = 0;
  for (const listing of listings)
    for (let i = 0; i < listing.count; i++) {
      const type = listing.type(i);
      const typeflag = type === 'file' ? '0' : type === 'symlink' ? '2' : '5';
      n += diskBytesOf({ typeflag, size: listing.size(i), linkName: listing.linkTarget(i) ?? '' });
    }
  return n;
}

/** Returns the image-metadata part of the input from a parsed config. */
export function metadataOf(
  config: Config,
  imageId: Digest | null,
  image: string,
  virtualSize: number | null,
): Omit<LocalReportInput, 'apk' | 'dpkg' | 'rpm'> {
  return {
    image,
    imageId,
    created: config.created,
    virtualSize,
    os: config.platform.os,
    architecture: config.platform.architecture,
    entrypoint: config.entrypoint,
    cmd: config.cmd,
    env: config.env,
    labels: config.labels,
  };
}

/** Returns the "Docker Metadata" header: `docker inspect`'s template output, then its `\n`. */
export function localReportHeader(input: LocalReportInput): string {
  const size = input.virtualSize === null ? 'unknown' : virtualSizeText(input.virtualSize);
  let out =
    `# \`${input.image}\`\n\n## Docker Metadata\n\n` +
    `- Image ID: \`${input.imageId ?? ''}\`\n` +
    `- Created: \`${goTime(input.created)}\`\n` +
    `- Virtual Size: ${size}  \n  (total size of all layers on-disk)\n` +
    `- Arch: \`${input.os ?? ''}\`/\`${input.architecture ?? ''}\`\n`;
  // {{if .Config.Entrypoint}}: an empty list prints nothing, as a missing one.
  if (input.entrypoint?.length) out += `- Entrypoint: \`${goJson(input.entrypoint)}\`\n`;
  if (input.cmd?.length) out += `- Command: \`${goJson(input.cmd)}\`\n`;
  out += `- Environment:${(input.env ?? []).map((e) => `\n  - \`${e}\``).join('')}`;
  const labels = Object.keys(input.labels ?? {}).sort(compareC);
  if (labels.length > 0)
    out += `\n- Labels:${labels.map((k) => `\n  - \`${k}=${input.labels![k]}\``).join('')}`;
  return `${out}\n`;
}

/** Returns the whole local report in Markdown. */
export function localReport(input: LocalReportInput, options: LocalReportOptions = {}): string {
  const note = options.offlineNote ?? false;
  return (
    localReportHeader(input) +
    (input.apk ? apkSection(input.apk) : '') +
    (input.dpkg ? dpkgSection(input.dpkg, note) : '') +
    (input.rpm ? rpmSection(input.rpm, note) : '')
  );
}
