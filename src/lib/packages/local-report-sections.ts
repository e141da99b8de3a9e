/**
 * The package sections of repo-info's local report, as its gatherers print them:
 * gather-apk.sh (apk-tools 2.12 `apk info`), gather-dpkg.sh (dpkg-query + copyright files),
 * gather-rpm.sh (`rpm -qa | sort` + `rpm --query --queryformat '%{LICENSE}\n'`). A gatherer
 * that finds no package prints nothing.
 */
import type { DpkgEntry } from './copyright.ts';
import { isListed } from './dpkg.ts';
import { apkHumanSize } from './go-format.ts';
import type { ApkPackage, RpmPackage } from './model.ts';
import { compareC } from './text.ts';

/** The line printed instead of each dpkg source's network-derived `Source:` block. */
export const DPKG_OFFLINE_NOTE =
  '*Offline report: the `apt-get source` URIs that repo-info prints here need the network and are not shown.*';
/** The line printed instead of each rpm package's network-derived `Source:` block. */
export const RPM_OFFLINE_NOTE =
  '*Offline report: the `dnf download --source` URL that repo-info prints here needs the network and is not shown.*';

/** Returns the apk section: one `apk info -d -w -s -L` block per package, names sorted,
 * virtual packages (names starting with `.`) skipped. */
export function apkSection(packages: ApkPackage[]): string {
  if (packages.length === 0) return '';
  let out = '\n## `apk` (`.apk`-based packages)\n';
  const shown = packages
    .filter((p) => !p.name.startsWith('.'))
    .sort((a, b) => compareC(a.name, b.name));
  for (const p of shown) {
    const nv = `${p.name}-${p.version ?? ''}`;
    // apk-tools prints a missing description or URL with printf("%s", NULL): musl's "(null)".
    out +=
      `\n### \`apk\` package: \`${p.name}\`\n\n\`\`\`console\n` +
      `${nv} description:\n${p.description ?? '(null)'}\n\n` +
      `${nv} webpage:\n${p.url ?? '(null)'}\n\n` +
      `${nv} installed size:\n${apkHumanSize(p.installedSize ?? 0)}\n\n` +
      `${nv} license:\n${p.license ?? ''}\n\n\`\`\`\n`;
  }
  return out;
}

/** Returns dpkg-query's `--show` order: name, then arch (unsuffixed before suffixed). */
function dpkgQueryOrder(a: DpkgEntry, b: DpkgEntry): number {
  const byName = compareC(a.package.name, b.package.name);
  if (byName !== 0) return byName;
  const sa = a.binaryPackage.includes(':');
  const sb = b.binaryPackage.includes(':');
  if (sa !== sb) return sa ? 1 : -1;
  return compareC(a.package.arch ?? '', b.package.arch ?? '');
}

/** Returns the dpkg section: installed or held packages grouped by `source=version` (sorted
 * as `sort` does in the C locale), each with its binaries and the licences of their
 * copyright files, or the DEP-5 warning. */
export function dpkgSection(entries: DpkgEntry[], offlineNote: boolean): string {
  const groups = new Map<string, DpkgEntry[]>();
  for (const e of entries.filter((x) => isListed(x.package)).sort(dpkgQueryOrder)) {
    const key = `${e.package.source}=${e.package.sourceVersion ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  if (groups.size === 0) return '';
  let out = '\n## `dpkg` (`.deb`-based packages)\n';
  for (const key of [...groups.keys()].sort(compareC)) {
    const group = groups.get(key) ?? [];
    out += `\n### \`dpkg\` source package: \`${key}\`\n\nBinary Packages:\n\n`;
    for (const e of group) out += `- \`${e.binaryPackage}=${e.package.version ?? ''}\`\n`;
    const files = group.flatMap((e) => (e.licence.file === null ? [] : [e.licence.file]));
    const values = group.reduce((n, e) => n + e.licence.valueCount, 0);
    if (values > 0) {
      const licences = [...new Set(group.flatMap((e) => e.licence.licences))].sort(compareC);
      out += `\nLicenses: (parsed from: \`${files.join('`, `')}\`)\n\n`;
      out += licences.map((l) => `- \`${l}\`\n`).join('');
    } else {
      out +=
        '\n**WARNING:** unable to detect licenses! (package likely not compliant with DEP-5)  \n' +
        'If source is available (seen below), check the contents of `debian/copyright` within it.\n\n';
    }
    if (offlineNote) out += `\n${DPKG_OFFLINE_NOTE}\n`;
  }
  return out;
}

/** Returns `%{nvra}`: name-version-release.arch, without `.arch` when there is none. */
export function nvra(p: RpmPackage): string {
  return `${p.name}-${p.version ?? '(none)'}-${p.release ?? '(none)'}${p.arch === null ? '' : `.${p.arch}`}`;
}

/** Returns the rpm section: `rpm -qa | sort`, each with `%{LICENSE}` of every header the
 * name matches (rpm --query prints one line per match), or the licence warning. */
export function rpmSection(packages: RpmPackage[], offlineNote: boolean): string {
  if (packages.length === 0) return '';
  const byLabel = new Map<string, RpmPackage[]>();
  for (const p of packages) byLabel.set(nvra(p), [...(byLabel.get(nvra(p)) ?? []), p]);
  let out = '\n## `rpm` (`.rpm`-based packages)\n';
  for (const label of packages.map(nvra).sort(compareC)) {
    const licence = (byLabel.get(label) ?? []).map((p) => p.license ?? '(none)').join('\n');
    out += `\n### \`rpm\` package: \`${label}\`\n`;
    out +=
      licence !== '' && licence !== '(none)'
        ? `\nLicenses (from \`rpm --query\`): ${licence}\n`
        : '\n**WARNING:** unable to detect licenses (`rpm --query` failed or returned no results)!\n';
    if (offlineNote) out += `\n${RPM_OFFLINE_NOTE}\n`;
  }
  return out;
}
