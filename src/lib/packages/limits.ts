/**
 * Bounds on the work and memory a hostile package database can ask for. Kept here, beside the
 * readers, rather than in src/lib/limits.ts, until the integration decides where they live.
 */

/** A database file larger than this is not read (the layer reader keeps at most this much). */
export const MAX_PACKAGE_DB_BYTES = 256 * 1024 * 1024;
/** Packages read from one database; the rest are dropped with a problem. */
export const MAX_PACKAGES = 100_000;
/** One dpkg control paragraph (a package's status entry): real ones stay under ~200 KB. */
export const MAX_PARAGRAPH_BYTES = 1024 * 1024;
/** One line of an apk `installed` file: real ones are a few hundred bytes. */
export const MAX_APK_LINE_BYTES = 1024 * 1024;
/** One rpm header blob. rpm itself allows 256 MiB; real headers are a few MB at most, and a
 * blob is copied once when it spans overflow pages, so the cap bounds that copy. */
export const MAX_RPM_HEADER_BYTES = 64 * 1024 * 1024;
/** Index entries in one rpm header (rpm's own hdrchkTags bound is 0x00ffffff). */
export const MAX_RPM_HEADER_TAGS = 0x10000;
/** A copyright file larger than this is not scanned for licences. */
export const MAX_COPYRIGHT_BYTES = 16 * 1024 * 1024;
/** Problems kept for one database file; the rest are counted in one last problem. */
export const MAX_PROBLEMS_PER_FILE = 50;
/** Files read from `var/lib/dpkg/status.d/`. */
export const MAX_STATUS_D_FILES = 100_000;
/** Bytes of package files one layer read keeps in all; past this the rest are dropped, each
 * with a problem (a layer of many huge databases cannot hold memory without bound). */
export const MAX_KEPT_BYTES_PER_LAYER = 512 * 1024 * 1024;
/** Package files one layer read keeps (status.d files and copyrights are many but small). */
export const MAX_KEPT_FILES_PER_LAYER = 200_000;
