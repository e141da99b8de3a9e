/**
 * What the package readers return: packages of each ecosystem, the distro, and the problems
 * met on the way, each naming the file it is about. Plain data, so that it crosses a worker
 * boundary unchanged.
 */
import { MAX_PROBLEMS_PER_FILE } from './limits.ts';

/** Every code a package problem may carry. */
export type PackageProblemCode =
  /** The file ends inside a structure it declares (a page, a header, a record). */
  | 'package-db-truncated'
  /** A structure is malformed: bad magic, page type, header layout, varint. */
  | 'package-db-corrupt'
  /** A page chain or tree revisits a page. */
  | 'package-db-loop'
  /** A declared or actual size is beyond a bound in packages/limits.ts. */
  | 'package-db-too-large'
  /** The bytes are none of the formats this reader knows. */
  | 'package-db-unknown-format'
  /** One package record could not be read; the others were. */
  | 'package-record-invalid'
  /** The file is in the image but the layer read did not keep its bytes: a symlink led out of
   * the paths kept (packages/paths.ts), or the layer ended inside it. */
  | 'package-file-unread';

/** Something wrong with a package database that did not stop the others: what, and where. */
export interface PackageProblem {
  code: PackageProblemCode;
  /** The file (path in the image) the problem is about, with a position when known. */
  where: string | null;
  message: string;
}

/** Returns a package problem record. */
export function packageProblem(
  code: PackageProblemCode,
  message: string,
  where: string | null,
): PackageProblem {
  return { code, where, message };
}

/** Returns the problems with at most MAX_PROBLEMS_PER_FILE kept, the rest counted in one
 * problem naming `path` (a corrupt database can otherwise give one per package). */
export function capProblems(problems: PackageProblem[], path: string): PackageProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) return problems;
  const kept = problems.slice(0, MAX_PROBLEMS_PER_FILE);
  const rest = problems.length - MAX_PROBLEMS_PER_FILE;
  kept.push(
    packageProblem(
      problems[MAX_PROBLEMS_PER_FILE]!.code,
      `and ${rest} more problems like these`,
      path,
    ),
  );
  return kept;
}

/** What a reader returns: every package it could read and what went wrong. */
export interface ReadResult<T> {
  packages: T[];
  problems: PackageProblem[];
}

/** One record of apk's `lib/apk/db/installed`; absent fields are null. */
export interface ApkPackage {
  name: string;
  version: string | null;
  arch: string | null;
  /** `o:`, the origin (source) package. */
  origin: string | null;
  license: string | null;
  /** `I:`, bytes. */
  installedSize: number | null;
  /** `S:`, bytes of the .apk. */
  size: number | null;
  description: string | null;
  url: string | null;
  commit: string | null;
  maintainer: string | null;
  buildTime: number | null;
  /** `C:`, `Q1` + base64 SHA-1 of the control section. */
  checksum: string | null;
  depends: string[];
  provides: string[];
}

/** One paragraph of dpkg's `status` (or a distroless `status.d/` file); absent fields null. */
export interface DpkgPackage {
  name: string;
  version: string | null;
  arch: string | null;
  /** `Multi-Arch:` as written (`same`, `foreign`, `allowed`), null when absent. */
  multiArch: string | null;
  /** `${source:Package}`: the `Source:` name, else the package name. */
  source: string;
  /** `${source:Version}`: the version in `Source: name (version)`, else the package's. */
  sourceVersion: string | null;
  /** `Installed-Size:`, KiB. */
  installedSizeKib: number | null;
  /** `Status:` as written; distroless entries have none (null). */
  status: string | null;
  /** `${db:Status-Abbrev}`: three characters such as `ii `, `rc `; `ii ` when no Status. */
  statusAbbrev: string;
  maintainer: string | null;
  /** First line of `Description:`. */
  summary: string | null;
  depends: string | null;
  /** The file the paragraph came from (`var/lib/dpkg/status` or a `status.d/` file). */
  file: string;
}

/** The header of one installed rpm; absent tags are null. */
export interface RpmPackage {
  name: string;
  epoch: number | null;
  version: string | null;
  release: string | null;
  /** Null for `gpg-pubkey` pseudo-packages. */
  arch: string | null;
  sourceRpm: string | null;
  license: string | null;
  /** `SIZE` (or `LONGSIZE`), bytes installed. */
  size: number | null;
  vendor: string | null;
  summary: string | null;
}

/** The distro, from `etc/os-release` (or `usr/lib/os-release`). */
export interface Distro {
  id: string | null;
  versionId: string | null;
  prettyName: string | null;
  name: string | null;
  idLike: string[];
  versionCodename: string | null;
  /** Every assignment, as the shell would see it. */
  fields: Record<string, string>;
}
