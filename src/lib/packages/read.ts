/**
 * Every package database of one image's merged filesystem, found at the paths the tools use
 * and read: os-release, apk, dpkg (status, else distroless status.d) with licences, rpm (any
 * backend, in usr/lib/sysimage/rpm or var/lib/rpm). The filesystem is the caller's: two
 * functions over the merged layers (issue 12), with symlinks followed and whiteouts applied.
 */
import { APK_INSTALLED, readApkInstalled } from './apk.ts';
import { type DpkgEntry, dpkgEntries, type ReadFile } from './copyright.ts';
import {
  DPKG_STATUS,
  DPKG_STATUS_D,
  dpkgNativeArch,
  readDpkgStatus,
  readDpkgStatusD,
} from './dpkg.ts';
import type { LocalReportInput } from './local-report.ts';
import type { ApkPackage, Distro, PackageProblem, RpmPackage } from './model.ts';
import { OS_RELEASE_PATHS, readOsRelease } from './os-release.ts';
import { type RpmBackend, RPM_DB_FILES, readRpmDatabase } from './rpm/index.ts';

/** The merged filesystem of one image, as the package readers need it. */
export interface ImageFiles {
  /** Bytes of a regular file at a path without a leading `/` (symlinks followed); else null. */
  read: ReadFile;
  /** Names in a directory (symlinks followed); null when there is no such directory. */
  list(dir: string): string[] | null;
}

/** What one image holds: each ecosystem null when its database is absent. */
export interface ImagePackages {
  distro: Distro | null;
  apk: { file: string; packages: ApkPackage[] } | null;
  dpkg: { file: string; entries: DpkgEntry[] } | null;
  rpm: { file: string; backend: RpmBackend | null; packages: RpmPackage[] } | null;
  /** Every problem met, each naming its file. */
  problems: PackageProblem[];
}

/** Where rpm keeps its database, newest layout first (on Fedora ≥ 36 and SUSE var/lib/rpm
 * is a symlink to it, so the path named is the real one). */
const RPM_DIRS = ['usr/lib/sysimage/rpm', 'var/lib/rpm'];

/** Debian's names for OCI architectures, for dpkg's native arch when no `dpkg` package says. */
const DEBIAN_ARCH: Record<string, string> = {
  '386': 'i386',
  ppc64le: 'ppc64el',
  mips64le: 'mips64el',
};

/** Returns Debian's arch name of an OCI platform (`arm` v7 → `armhf`, v6/v5 → `armel`). */
export function debianArchOf(
  architecture: string | null,
  variant: string | null = null,
): string | null {
  if (architecture === null) return null;
  if (architecture === 'arm') return variant === 'v6' || variant === 'v5' ? 'armel' : 'armhf';
  return DEBIAN_ARCH[architecture] ?? architecture;
}

/** Returns every package database the image's filesystem holds, read. `platformArch` is the
 * Debian arch of the platform, used as dpkg's native arch when there is no `dpkg` package. */
export function readImagePackages(
  fs: ImageFiles,
  platformArch: string | null = null,
): ImagePackages {
  const problems: PackageProblem[] = [];
  const osRelease = OS_RELEASE_PATHS.map((p) => fs.read(p)).find((b) => b !== null) ?? null;

  let apk: ImagePackages['apk'] = null;
  const apkBytes = fs.read(APK_INSTALLED);
  if (apkBytes) {
    const r = readApkInstalled(apkBytes);
    problems.push(...r.problems);
    apk = { file: APK_INSTALLED, packages: r.packages };
  }

  let dpkg: ImagePackages['dpkg'] = null;
  const status = fs.read(DPKG_STATUS);
  const statusD = status ? null : fs.list(DPKG_STATUS_D);
  if (status || statusD) {
    const r = status
      ? readDpkgStatus(status)
      : readDpkgStatusD(
          (statusD ?? []).flatMap((name) => {
            const bytes = fs.read(`${DPKG_STATUS_D}/${name}`);
            return bytes ? [{ name, bytes }] : [];
          }),
        );
    problems.push(...r.problems);
    const native = dpkgNativeArch(r.packages) ?? platformArch;
    dpkg = {
      file: status ? DPKG_STATUS : DPKG_STATUS_D,
      entries: dpkgEntries(r.packages, fs.read, native, problems),
    };
  }

  let rpm: ImagePackages['rpm'] = null;
  for (const dir of RPM_DIRS) {
    for (const name of [RPM_DB_FILES.sqlite, RPM_DB_FILES.ndb, RPM_DB_FILES.bdb]) {
      const file = `${dir}/${name}`;
      const bytes = rpm ? null : fs.read(file);
      if (!bytes) continue;
      const wal = name === RPM_DB_FILES.sqlite ? fs.read(`${file}-wal`) : null;
      const r = readRpmDatabase(bytes, file, wal);
      problems.push(...r.problems);
      rpm = { file, backend: r.backend, packages: r.packages };
    }
  }
  return { distro: osRelease ? readOsRelease(osRelease) : null, apk, dpkg, rpm, problems };
}

/** Returns the package part of the local report's input. By default every database found is
 * listed, beyond what repo-info sees; `asRepoInfo` keeps only what its helpers could read:
 * no distroless `status.d` (dpkg-query ignores it), no rpm database under
 * `usr/lib/sysimage/rpm` (its data container does not mount /usr/lib) and none in NDB
 * format (its OL8 rpm 4.14 has no NDB backend). */
export function reportPackages(
  found: ImagePackages,
  options: { asRepoInfo?: boolean } = {},
): Pick<LocalReportInput, 'apk' | 'dpkg' | 'rpm'> {
  const strict = options.asRepoInfo ?? false;
  const dpkg =
    found.dpkg && !(strict && found.dpkg.file === DPKG_STATUS_D) ? found.dpkg.entries : null;
  const rpmHidden =
    strict &&
    (found.rpm?.file.startsWith('usr/lib/sysimage/') === true || found.rpm?.backend === 'ndb');
  return {
    apk: found.apk?.packages ?? null,
    dpkg,
    rpm: found.rpm && !rpmHidden ? found.rpm.packages : null,
  };
}
