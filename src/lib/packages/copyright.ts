/**
 * Licences of dpkg packages, found exactly as repo-info's `.local-scripts/gather-dpkg.sh`
 * finds them: the first of three tried `usr/share/doc/…/copyright` paths that is a regular
 * file, its DEP-5 `License:` lines (awk) and `/usr/share/common-licenses/<name>` references
 * (grep -o), then `sed -r 's/ (and|or) /\n/g; s/[.,]+$//' | sort -u` in the C locale.
 * Not reproduced: the shell's glob expansion of unquoted values (repo-info's helper runs in
 * a directory where such globs match nothing, so they stay as written, as here).
 */
import { binaryPackageName } from './dpkg.ts';
import { MAX_COPYRIGHT_BYTES } from './limits.ts';
import { type DpkgPackage, type PackageProblem, packageProblem } from './model.ts';
import { compareC, decodeText } from './text.ts';

/** Reads a file of the merged filesystem (symlinks followed); null unless a regular file. */
export type ReadFile = (path: string) => Uint8Array | null;

/** What gather-dpkg.sh finds for one binary package. */
export interface DpkgLicence {
  /** The tried path that exists (`/usr/share/doc/<pkg>/copyright`), as repo-info prints it;
   * null when none does. */
  file: string | null;
  /** The licence names from that file after sed and `sort -u`: may be empty. */
  licences: string[];
  /** Non-empty values before sed: gather-dpkg.sh prints a "Licenses:" block when this is
   * above 0, even if sed leaves nothing (a value of only `.`). */
  valueCount: number;
}

/** Returns the raw licence values of a copyright file, in gather-dpkg.sh's order: every
 * `License:` line's value, then every common-licenses reference's basename. */
export function copyrightValues(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  // awk -F ':[ \t]+' '$1 == "License" && NF > 1 { gsub(/^License:[ \t]+/, ""); print }'
  for (const line of lines) {
    const m = /^License:[ \t]+/.exec(line);
    if (m) out.push(line.slice(m[0].length));
  }
  // grep -oE … | cut -d/ -f5- ; grep reports a file with NUL bytes as binary, printing no match.
  if (!text.includes('\0')) {
    for (const m of text.matchAll(/\/usr\/share\/common-licenses\/([0-9a-zA-Z_.+-]+)/g))
      out.push(m[1] ?? '');
  }
  return out;
}

/** Returns licence values after gather-dpkg.sh's sed and `sort -u` (C order), empty ones
 * dropped as the shell's word splitting drops them. */
export function normaliseLicences(values: string[]): string[] {
  const pieces = new Set<string>();
  for (const value of values) {
    // sed works line by line: the trailing [.,] strip sees only the end of each original value.
    const split = value.replace(/ (and|or) /g, '\n').replace(/[.,]+$/, '');
    for (const piece of split.split('\n')) if (piece !== '') pieces.add(piece);
  }
  return [...pieces].sort(compareC);
}

/** Returns the copyright file gather-dpkg.sh reads for a binary package (`binaryPackage` is
 * `${binary:Package}`, e.g. `libc6:amd64`) and its licences. */
export function dpkgLicence(
  binaryPackage: string,
  version: string | null,
  readFile: ReadFile,
  problems: PackageProblem[],
): DpkgLicence {
  const only = binaryPackage.split(':')[0];
  const tries = [
    `/usr/share/doc/${binaryPackage}=${version ?? ''}/copyright`,
    `/usr/share/doc/${binaryPackage}/copyright`,
    `/usr/share/doc/${only}/copyright`,
  ];
  for (const file of tries) {
    const bytes = readFile(file.slice(1));
    if (bytes === null) continue;
    if (bytes.length > MAX_COPYRIGHT_BYTES) {
      problems.push(
        packageProblem(
          'package-db-too-large',
          `a copyright file of ${bytes.length} bytes (more than ${MAX_COPYRIGHT_BYTES}); its licences are not read`,
          file.slice(1),
        ),
      );
      return { file, licences: [], valueCount: 0 };
    }
    const values = copyrightValues(decodeText(bytes)).filter((v) => v !== '');
    return { file, licences: normaliseLicences(values), valueCount: values.length };
  }
  return { file: null, licences: [], valueCount: 0 };
}

/** A dpkg package as the local report lists it: `${binary:Package}` and its licences. */
export interface DpkgEntry {
  package: DpkgPackage;
  /** `${binary:Package}` (see binaryPackageName). */
  binaryPackage: string;
  licence: DpkgLicence;
}

/** Returns each package with its `${binary:Package}` and licences, files read through
 * `readFile` (the merged filesystem); `nativeArch` is the arch dpkg-query treats as native. */
export function dpkgEntries(
  packages: DpkgPackage[],
  readFile: ReadFile,
  nativeArch: string | null,
  problems: PackageProblem[],
): DpkgEntry[] {
  return packages.map((p) => {
    const binaryPackage = binaryPackageName(p, nativeArch);
    return {
      package: p,
      binaryPackage,
      licence: dpkgLicence(binaryPackage, p.version, readFile, problems),
    };
  });
}
