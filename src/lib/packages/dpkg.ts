/**
 * dpkg's database: `var/lib/dpkg/status`, and distroless images' `var/lib/dpkg/status.d/<pkg>`
 * (one paragraph per file, no Status field). Fields as `dpkg-query` shows them:
 * `${source:Package}`, `${source:Version}`, `${db:Status-Abbrev}`, `${binary:Package}`.
 */
import { MAX_PACKAGE_DB_BYTES, MAX_PACKAGES, MAX_STATUS_D_FILES } from './limits.ts';
import { readParagraphs, type Paragraph } from './control.ts';
import {
  capProblems,
  type DpkgPackage,
  type PackageProblem,
  packageProblem,
  type ReadResult,
} from './model.ts';
import { decodeText, parseCount, tooLarge } from './text.ts';

/** Where dpkg keeps its database in an image. */
export const DPKG_STATUS = 'var/lib/dpkg/status';
/** The distroless directory of per-package control files. */
export const DPKG_STATUS_D = 'var/lib/dpkg/status.d';

const WANT: Record<string, string> = {
  unknown: 'u',
  install: 'i',
  hold: 'h',
  deinstall: 'r',
  purge: 'p',
};
const EFLAG: Record<string, string> = { ok: ' ', reinstreq: 'R' };
const STATE: Record<string, string> = {
  'not-installed': 'n',
  'config-files': 'c',
  'half-installed': 'H',
  unpacked: 'U',
  'half-configured': 'F',
  'triggers-awaited': 'W',
  'triggers-pending': 't',
  installed: 'i',
};

/** Returns `${db:Status-Abbrev}` of a `Status:` value (`install ok installed` → `ii `); a
 * missing Status reads as `un ` (unknown, not installed), as dpkg reads it. */
export function statusAbbrev(status: string | null): string {
  if (status === null) return 'un ';
  const [want = '', eflag = '', state = ''] = status.split(/\s+/);
  return `${WANT[want] ?? '?'}${STATE[state] ?? '?'}${EFLAG[eflag] ?? '?'}`;
}

/** Returns the packages of a dpkg `status` file, in file order, and its problems. */
export function readDpkgStatus(bytes: Uint8Array, path = DPKG_STATUS): ReadResult<DpkgPackage> {
  if (bytes.length > MAX_PACKAGE_DB_BYTES) return tooLarge(bytes.length, path);
  const problems: PackageProblem[] = [];
  const packages: DpkgPackage[] = [];
  for (const p of readParagraphs(decodeText(bytes), path, problems)) {
    if (packages.length >= MAX_PACKAGES) {
      problems.push(
        packageProblem(
          'package-db-too-large',
          `more than ${MAX_PACKAGES} packages; the rest are not read`,
          path,
        ),
      );
      break;
    }
    const pkg = toPackage(p, path, problems, false);
    if (pkg) packages.push(pkg);
  }
  return { packages, problems: capProblems(problems, path) };
}

/** Names in status.d that are not packages: md5sums, conffiles and maintainer scripts. */
const NOT_A_PACKAGE =
  /\.(md5sums|conffiles|list|preinst|postinst|prerm|postrm|config|templates|triggers|shlibs|symbols)$/;

/** Returns true when a file name in `status.d/` holds a package's control paragraph. */
export function isStatusDPackage(name: string): boolean {
  return !name.startsWith('.') && !NOT_A_PACKAGE.test(name);
}

/** Returns the packages of distroless `status.d/` files (name → bytes), in name order. */
export function readDpkgStatusD(
  files: { name: string; bytes: Uint8Array }[],
  dir = DPKG_STATUS_D,
): ReadResult<DpkgPackage> {
  const problems: PackageProblem[] = [];
  const packages: DpkgPackage[] = [];
  const chosen = files
    .filter((f) => isStatusDPackage(f.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (chosen.length > MAX_STATUS_D_FILES) {
    problems.push(
      packageProblem(
        'package-db-too-large',
        `more than ${MAX_STATUS_D_FILES} files; the rest are not read`,
        dir,
      ),
    );
    chosen.length = MAX_STATUS_D_FILES;
  }
  for (const f of chosen) {
    const path = `${dir}/${f.name}`;
    for (const p of readParagraphs(decodeText(f.bytes), path, problems)) {
      // Distroless files carry no Status: each one is an installed package.
      const pkg = toPackage(p, path, problems, true);
      if (pkg) packages.push(pkg);
    }
  }
  return { packages, problems: capProblems(problems, dir) };
}

function toPackage(
  p: Paragraph,
  path: string,
  problems: PackageProblem[],
  installedWithoutStatus: boolean,
): DpkgPackage | null {
  const f = p.fields;
  const name = f.get('package');
  if (!name) {
    problems.push(
      packageProblem(
        'package-record-invalid',
        'a paragraph has no Package field',
        `${path}:${p.line}`,
      ),
    );
    return null;
  }
  const version = f.get('version') ?? null;
  const status = f.get('status') ?? null;
  // `Source: name (version)`; without a version the binary's own is the source's.
  const m = /^(\S+)(?:\s+\((.*)\))?/.exec(f.get('source') ?? '');
  const description = f.get('description');
  return {
    name,
    version,
    arch: f.get('architecture') ?? null,
    multiArch: f.get('multi-arch') ?? null,
    source: m?.[1] ?? name,
    sourceVersion: m?.[2]?.trim() || version,
    installedSizeKib: parseCount(f.get('installed-size')),
    status,
    statusAbbrev: status === null && installedWithoutStatus ? 'ii ' : statusAbbrev(status),
    maintainer: f.get('maintainer') ?? null,
    summary: description === undefined ? null : (description.split('\n')[0] ?? ''),
    depends: f.get('depends') ?? null,
    file: path,
  };
}

/** Returns `${binary:Package}` as dpkg-query prints it: the name, with `:arch` for
 * `Multi-Arch: same` packages and for packages of an arch foreign to `nativeArch`. */
export function binaryPackageName(pkg: DpkgPackage, nativeArch: string | null): string {
  const arch = pkg.arch;
  if (!arch) return pkg.name;
  // dpkg's pkgbin_name_needs_arch(pnaw_nonambig): Multi-Arch same first, even for `all`.
  if (pkg.multiArch === 'same') return `${pkg.name}:${arch}`;
  if (arch === 'all') return pkg.name;
  if (nativeArch !== null && arch !== nativeArch) return `${pkg.name}:${arch}`;
  return pkg.name;
}

/** Returns true for the packages repo-info lists: `${db:Status-Abbrev}` `i?` or `h?` (install
 * or hold wanted, no error flag), and not `not-installed`, which dpkg-query never shows. */
export function isListed(pkg: DpkgPackage): boolean {
  const a = pkg.statusAbbrev.trimEnd();
  return a.length === 2 && (a[0] === 'i' || a[0] === 'h') && a[1] !== 'n';
}

/** Returns the arch dpkg itself is built for (the `dpkg` package's), the image's native one;
 * null when there is no dpkg package or it is `all`. */
export function dpkgNativeArch(packages: DpkgPackage[]): string | null {
  const arch = packages.find((p) => p.name === 'dpkg')?.arch ?? null;
  return arch === 'all' ? null : arch;
}
