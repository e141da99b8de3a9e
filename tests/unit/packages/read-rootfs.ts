/** Test-only: runs the readers of src/lib/packages on a merged root filesystem, finding the
 * database files as the layer reader (issue 12) will: the topmost surviving file wins. */
import { readApkInstalled, APK_INSTALLED } from '../../../src/lib/packages/apk.ts';
import { dpkgLicence } from '../../../src/lib/packages/copyright.ts';
import {
  binaryPackageName,
  DPKG_STATUS,
  DPKG_STATUS_D,
  readDpkgStatus,
  readDpkgStatusD,
} from '../../../src/lib/packages/dpkg.ts';
import type { PackageProblem } from '../../../src/lib/packages/model.ts';
import { OS_RELEASE_PATHS, readOsRelease } from '../../../src/lib/packages/os-release.ts';
import { RPM_DB_DIRS, RPM_DB_FILES, readRpmDatabase } from '../../../src/lib/packages/rpm/index.ts';
import type { Rootfs } from './extract.ts';

/** Returns everything the readers find in a root filesystem. */
export function readRootfs(fs: Rootfs, nativeArch: string | null = 'amd64') {
  const problems: PackageProblem[] = [];
  const osBytes = OS_RELEASE_PATHS.map((p) => fs.read(p)).find((b) => b !== null) ?? null;
  const distro = osBytes ? readOsRelease(osBytes) : null;
  const apkBytes = fs.read(APK_INSTALLED);
  const apk = apkBytes ? readApkInstalled(apkBytes) : null;
  const statusBytes = fs.read(DPKG_STATUS);
  const statusD = fs.list(DPKG_STATUS_D);
  const dpkgRead = statusBytes
    ? readDpkgStatus(statusBytes)
    : statusD
      ? readDpkgStatusD(
          statusD.map((name) => ({ name, bytes: fs.read(`${DPKG_STATUS_D}/${name}`)! })),
        )
      : null;
  const dpkg = dpkgRead && {
    ...dpkgRead,
    licences: dpkgRead.packages.map((p) =>
      dpkgLicence(binaryPackageName(p, nativeArch), p.version, (f) => fs.read(f), problems),
    ),
  };
  let rpm = null;
  // usr/lib/sysimage/rpm first: where var/lib/rpm is a symlink to it, that is the real path.
  for (const dir of [...RPM_DB_DIRS].reverse()) {
    for (const file of [RPM_DB_FILES.sqlite, RPM_DB_FILES.ndb, RPM_DB_FILES.bdb]) {
      const bytes = fs.read(`${dir}/${file}`);
      if (!bytes || rpm) continue;
      rpm = {
        db: `${dir}/${file}`,
        ...readRpmDatabase(bytes, `${dir}/${file}`, fs.read(`${dir}/${file}-wal`)),
      };
    }
  }
  return { distro, apk, dpkg, rpm, problems };
}
