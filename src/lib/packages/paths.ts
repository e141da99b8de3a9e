/**
 * The few paths whose bytes the package readers need, as a rule the layer read applies to every
 * regular file it passes: os-release, apk's `installed`, dpkg's status (and distroless
 * `status.d/*`), `usr/share/doc/<pkg>/copyright`, and rpm's database files (with the SQLite WAL)
 * in both of rpm's directories. Built from the readers' own constants.
 */
import { APK_INSTALLED } from './apk.ts';
import { DPKG_STATUS, DPKG_STATUS_D } from './dpkg.ts';
import { MAX_COPYRIGHT_BYTES, MAX_PACKAGE_DB_BYTES } from './limits.ts';
import { OS_RELEASE_PATHS } from './os-release.ts';
import { RPM_DB_DIRS, RPM_DB_FILES } from './rpm/index.ts';

const EXACT = new Set<string>([
  ...OS_RELEASE_PATHS,
  APK_INSTALLED,
  DPKG_STATUS,
  ...RPM_DB_DIRS.flatMap((dir) => [
    ...Object.values(RPM_DB_FILES).map((f) => `${dir}/${f}`),
    `${dir}/${RPM_DB_FILES.sqlite}-wal`,
  ]),
]);
const STATUS_D = `${DPKG_STATUS_D}/`;
const DOC = 'usr/share/doc/';
const COPYRIGHT = '/copyright';

/** Returns the most bytes kept of a file at a cleaned path (no leading `/`) the package readers
 * read, or null when they never read it. */
export function packageFileLimit(path: string): number | null {
  // Most paths are none of these: one character test before any lookup.
  const c = path.charCodeAt(0);
  if (c !== 0x65 /* e */ && c !== 0x6c /* l */ && c !== 0x75 /* u */ && c !== 0x76 /* v */)
    return null;
  if (EXACT.has(path)) return MAX_PACKAGE_DB_BYTES;
  if (path.startsWith(STATUS_D) && path.indexOf('/', STATUS_D.length) < 0)
    return MAX_PACKAGE_DB_BYTES;
  if (
    path.startsWith(DOC) &&
    path.endsWith(COPYRIGHT) &&
    path.indexOf('/', DOC.length) === path.length - COPYRIGHT.length
  )
    // A larger copyright is not scanned anyway.
    return MAX_COPYRIGHT_BYTES;
  return null;
}

/** Directories above the paths the readers read (`var`, `var/lib`, `var/lib/rpm`…). */
const ANCESTORS = new Set<string>(
  [...EXACT, `${STATUS_D}x`, `${DOC}x/copyright`].flatMap((p) => {
    const parts = p.split('/');
    return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
  }),
);

/** Returns true when a symlink at this cleaned path could change what the readers find: it is
 * one of their files, a directory above one, or a `usr/share/doc/<pkg>` directory. */
export function affectsPackageFiles(path: string): boolean {
  if (packageFileLimit(path) !== null || ANCESTORS.has(path)) return true;
  return path.startsWith(DOC) && path.indexOf('/', DOC.length) < 0;
}
