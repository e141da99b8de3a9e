/**
 * `stevedore packages <archive> [--platform …] [--format text|json]` and
 * `stevedore report <archive> --local [--platform …] [--offline-note]`: the OS packages of one
 * platform, read from its layers in the same read that verifies them (the job's `keep` flag
 * keeps the package files' bytes as the diff_id is hashed), through the merged filesystem, each
 * attributed to the layer that installed or last changed it (src/lib/packages/by-layer.ts).
 * A package database that cannot be read is a problem on stderr (and in the JSON) naming the
 * file; the other sections still print and the exit code stays 0: the listing is produced, and
 * the problem is about the image's content, not a failed check. 1 means verification failed,
 * 2 that nothing could be listed.
 */
import { packagesByLayer, type LayeredPackages } from '../lib/packages/by-layer.ts';
import { localReport, metadataOf, onDiskBytes } from '../lib/packages/local-report.ts';
import { debianArchOf, reportPackages } from '../lib/packages/read.ts';
import { compareC } from '../lib/packages/text.ts';
import {
  escapeName,
  listImage,
  platformOption,
  runNotes,
  splitArgs,
  runListingCommand,
  verificationFailed,
  type ListedImage,
} from './list-layers.ts';

export const PACKAGES_USAGE = `       stevedore-image packages <archive> [--platform os/arch[/variant]] [--format text|json]
       stevedore-image report <archive> --local [--platform os/arch[/variant]] [--offline-note]`;

interface PackagesOptions {
  path: string;
  platform: string | null;
  format: 'text' | 'json';
  offlineNote: boolean;
}

/** Returns the parsed options of `packages` or `report --local` (argv after the command). */
export function parsePackagesArgs(
  command: 'packages' | 'report',
  argv: readonly string[],
): PackagesOptions | string {
  const local = command === 'report';
  const a = splitArgs(
    argv,
    local ? ['platform'] : ['platform', 'format'],
    local ? ['local', 'offline-note'] : [],
  );
  if (typeof a === 'string') return a === 'needs an archive path' ? `${command} ${a}` : a;
  const platform = platformOption(a.values);
  if (platform && typeof platform === 'object') return platform.error;
  const format = a.values.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json')
    return `--format takes text or json, not ${JSON.stringify(format)}`;
  return { path: a.path, platform, format, offlineNote: a.flags.has('offline-note') };
}

/** Returns the packages of one listed platform. */
export function packagesOf(listed: ListedImage): LayeredPackages {
  const p = listed.manifest.platform;
  const arch = debianArchOf(p?.architecture ?? null, p?.variant ?? null);
  return packagesByLayer(listed.layers.fs, listed.kept, arch);
}

/** Runs `stevedore packages` (command 'packages') or `stevedore report --local` ('report');
 * returns the exit code. */
export async function packagesCommand(
  command: 'packages' | 'report',
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const parse = (args: readonly string[]) => parsePackagesArgs(command, args);
  return runListingCommand(argv, PACKAGES_USAGE, parse, err, async (archive, o) => {
    const listed = await listImage(archive, o.platform, undefined, { keep: true });
    for (const n of runNotes(listed, o.platform)) err(`stevedore: ${escapeName(n)}\n`);
    const found = packagesOf(listed);
    for (const p of found.problems)
      err(`stevedore: problem: ${escapeName(`${p.where ?? ''}: ${p.message}`)}\n`);
    if (command === 'report') out(localMarkdown(listed, found, o.offlineNote));
    else if (o.format === 'json') out(jsonOf(listed, found));
    else out(textTable(found));
    return verificationFailed(listed) ? 1 : 0;
  });
}

/** Returns the repo-info local report of the listed platform. */
function localMarkdown(listed: ListedImage, found: LayeredPackages, offlineNote: boolean): string {
  const { manifest, image } = listed;
  const size = onDiskBytes(listed.layers.fs.layers);
  const meta = metadataOf(manifest.config, manifest.imageId, image.ref, size);
  return localReport({ ...meta, ...reportPackages(found.found) }, { offlineNote });
}

/** Returns the records sorted by ecosystem, then name (C order), arch and version. */
function sorted(found: LayeredPackages) {
  return [...found.records].sort(
    (a, b) =>
      compareC(a.type, b.type) ||
      compareC(a.name, b.name) ||
      compareC(a.arch ?? '', b.arch ?? '') ||
      compareC(a.version ?? '', b.version ?? ''),
  );
}

/** Returns the JSON document: platform, distro, the records (layer numbered from 1, as
 * `files --layer` numbers them) and the problems. */
function jsonOf(listed: ListedImage, found: LayeredPackages): string {
  const packages = sorted(found).map((r) => ({
    ...r,
    layer: r.layer === null ? null : r.layer + 1,
    diffId: r.layer === null ? null : (listed.layers.layers[r.layer]?.diffId ?? null),
  }));
  const doc = {
    platform: listed.platform || null,
    distro: found.distro,
    packages,
    problems: found.problems,
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

/** Returns the text table: name, version, arch, source, licences, size, layer. */
function textTable(found: LayeredPackages): string {
  const head = ['NAME', 'VERSION', 'ARCH', 'SOURCE', 'LICENCES', 'SIZE', 'LAYER'];
  const rows = sorted(found).map((r) =>
    [
      r.name,
      r.version ?? '-',
      r.arch ?? '-',
      r.source ?? '-',
      clip(r.licences.join(', ') || '-'),
      r.size === null ? '-' : String(r.size),
      r.layer === null ? '-' : String(r.layer + 1),
    ].map(escapeName),
  );
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const distro = found.distro?.prettyName ?? found.distro?.id ?? 'unknown distro';
  const summary = `${distro}: ${rows.length} package${rows.length === 1 ? '' : 's'}`;
  return [line(head), ...rows.map(line), '', summary, ''].join('\n');
}

/** Licence lists can run to hundreds of characters (Debian copyrights): the table shows the
 * first 60, the JSON all of them. */
function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
