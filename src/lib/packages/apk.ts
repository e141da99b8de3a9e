/**
 * apk's `lib/apk/db/installed`: blank-line separated records of `X:value` lines (apk-tools
 * `src/package.c`, `src/database.c`). Package fields come first, then file records
 * (`F M R a Z`), which are skipped here.
 */
import { MAX_APK_LINE_BYTES, MAX_PACKAGE_DB_BYTES, MAX_PACKAGES } from './limits.ts';
import {
  type ApkPackage,
  capProblems,
  type PackageProblem,
  packageProblem,
  type ReadResult,
} from './model.ts';
import { decodeText, parseCount, tooLarge } from './text.ts';

/** Where apk keeps its database in an image. */
export const APK_INSTALLED = 'lib/apk/db/installed';

const FILE_FIELDS = new Set(['F', 'M', 'R', 'a', 'Z']);

/** Returns the packages of an apk `installed` file, in file order, and its problems. */
export function readApkInstalled(bytes: Uint8Array, path = APK_INSTALLED): ReadResult<ApkPackage> {
  if (bytes.length > MAX_PACKAGE_DB_BYTES) return tooLarge(bytes.length, path);
  const text = decodeText(bytes);
  const packages: ApkPackage[] = [];
  const problems: PackageProblem[] = [];
  let fields = new Map<string, string>();
  let multi = { D: [] as string[], p: [] as string[] };
  let startLine = 1;
  let broken = false;
  let lineNo = 0;

  const finish = () => {
    if (fields.size > 0 && !broken) {
      const name = fields.get('P');
      if (!name) {
        problems.push(
          packageProblem(
            'package-record-invalid',
            'a record has no package name (P:)',
            `${path}:${startLine}`,
          ),
        );
      } else if (packages.length >= MAX_PACKAGES) {
        if (packages.length === MAX_PACKAGES)
          problems.push(
            packageProblem(
              'package-db-too-large',
              `more than ${MAX_PACKAGES} packages; the rest are not read`,
              path,
            ),
          );
      } else {
        packages.push(toPackage(name, fields, multi));
      }
    }
    fields = new Map();
    multi = { D: [], p: [] };
    broken = false;
  };

  let at = 0;
  while (at <= text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    lineNo++;
    at = end + 1;
    if (line === '') {
      finish();
      startLine = lineNo + 1;
      if (end === text.length) break;
      continue;
    }
    if (line.length > MAX_APK_LINE_BYTES) {
      if (!broken)
        problems.push(
          packageProblem(
            'package-db-too-large',
            `a line of ${line.length} characters (more than ${MAX_APK_LINE_BYTES}); its record is skipped`,
            `${path}:${lineNo}`,
          ),
        );
      broken = true;
      continue;
    }
    if (line.length < 2 || line[1] !== ':') continue;
    const key = line.charAt(0);
    if (FILE_FIELDS.has(key)) continue;
    const value = line.slice(2);
    // The first value of a field counts, as apk-tools' and the truth parser's readers do.
    if (!fields.has(key)) fields.set(key, value);
    if (key === 'D' || key === 'p') multi[key].push(...value.split(' ').filter(Boolean));
  }
  finish();
  return { packages, problems: capProblems(problems, path) };
}

function toPackage(
  name: string,
  f: Map<string, string>,
  multi: { D: string[]; p: string[] },
): ApkPackage {
  const s = (k: string) => f.get(k) ?? null;
  return {
    name,
    version: s('V'),
    arch: s('A'),
    origin: s('o'),
    license: s('L'),
    installedSize: parseCount(f.get('I')),
    size: parseCount(f.get('S')),
    description: s('T'),
    url: s('U'),
    commit: s('c'),
    maintainer: s('m'),
    buildTime: parseCount(f.get('t')),
    checksum: s('C'),
    depends: multi.D,
    provides: multi.p,
  };
}
