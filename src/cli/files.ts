/**
 * `stevedore files <archive> [--platform os/arch[/variant]] [--layer N] [--format text|json]`:
 * the merged filesystem of one platform (or what layer N changed), one line per entry in the
 * manner of `tar -tv`, with the layer that last wrote each path and how; JSON gives one record
 * per entry. Every layer is read once, through the verifier's digest+list path.
 */
import type { EntryType, LayerListing } from '../lib/layers/listing.ts';
import { CHANGE_KINDS, layerChanges, type ChangeKind } from '../lib/layers/changes.ts';
import { ABSENT, IMPLICIT, type MergedFilesystem } from '../lib/layers/merge.ts';
import { walkAt } from '../lib/layers/tree.ts';
import {
  LayersError,
  escapeName,
  listImage,
  platformOption,
  runNotes,
  splitArgs,
  runListingCommand,
  verificationFailed,
} from './list-layers.ts';

export const FILES_USAGE = `       stevedore-image files <archive> [--platform os/arch[/variant]] [--layer N] [--format text|json]`;

/** One line of the listing: a path of the merged tree, or a change of one layer. */
export interface FileRecord {
  /** Absolute, as inside the container: `/etc/passwd`. */
  path: string;
  type: EntryType;
  size: number;
  /** Permission bits (with setuid, setgid, sticky). */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch; null for a directory no entry names (implied by its children). */
  mtime: number | null;
  linkTarget: string | null;
  /** The layer (1 = base) whose entry last wrote the path; for an implied directory, the
   * layer that made it appear. */
  layer: number;
  /** How that layer changed the path; `implied` for a directory no entry names. */
  change: ChangeKind | 'implied';
  /** For `deleted`: by a whiteout, an opaque whiteout, or a non-directory replacing a parent. */
  cause: 'whiteout' | 'opaque' | 'replaced' | null;
  /** xxhash64 of a regular file's content. */
  contentHash: string | null;
}

interface FilesOptions {
  path: string;
  platform: string | null;
  layer: number | null;
  format: 'text' | 'json';
}

/** Returns the parsed options of `files` (argv after the command), or an error message. */
export function parseFilesArgs(argv: readonly string[]): FilesOptions | string {
  const a = splitArgs(argv, ['platform', 'layer', 'format'], []);
  if (typeof a === 'string') return a === 'needs an archive path' ? `files ${a}` : a;
  const platform = platformOption(a.values);
  if (platform && typeof platform === 'object') return platform.error;
  const format = a.values.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json')
    return `--format takes text or json, not ${JSON.stringify(format)}`;
  const layerText = a.values.get('layer');
  let layer: number | null = null;
  if (layerText !== undefined) {
    layer = /^[1-9]\d{0,5}$/.test(layerText) ? Number(layerText) : NaN;
    if (Number.isNaN(layer)) return `--layer takes a layer number from 1 (the base layer)`;
  }
  return { path: a.path, platform, layer, format };
}

/** Runs `stevedore files`; returns the exit code (0 listed, 1 listed but verification failed,
 * 2 nothing listed). */
export async function filesCommand(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  return runListingCommand(argv, FILES_USAGE, parseFilesArgs, err, async (archive, o) => {
    const listed = await listImage(archive, o.platform);
    const fs = listed.layers.fs;
    if (o.layer !== null && o.layer > fs.layers.length) {
      throw new LayersError(
        `--layer ${o.layer}: ${listed.platform || 'the image'} has ${fs.layers.length} layers`,
      );
    }
    for (const n of runNotes(listed, o.platform)) err(`stevedore: ${escapeName(n)}\n`);
    const records = o.layer === null ? treeRecords(fs) : layerRecords(fs, o.layer - 1);
    const sink = batched(out);
    if (o.format === 'json') {
      let first = true;
      sink('[');
      for (const r of records) {
        sink(`${first ? '\n' : ',\n'}${JSON.stringify(r)}`);
        first = false;
      }
      sink(first ? ']\n' : '\n]\n');
    } else for (const r of records) sink(`${textLine(r)}\n`);
    sink.flush();
    return verificationFailed(listed) ? 1 : 0;
  });
}

/** Returns every path of the merged tree (depth first, names in byte order), each with the
 * layer that last wrote it and how that layer changed it. */
export function* treeRecords(fs: MergedFilesystem): Generator<FileRecord> {
  const n = fs.nodeCount;
  const writer = new Int32Array(n).fill(-1);
  const entryOf = new Int32Array(n).fill(-1);
  const kindOf = new Uint8Array(n);
  for (let l = 0; l < fs.layers.length; l++) {
    for (const c of layerChanges(fs, l)) {
      if (c.entry >= 0) {
        writer[c.node] = l;
        entryOf[c.node] = c.entry;
        kindOf[c.node] = CHANGE_KINDS.indexOf(c.kind);
      } else if (c.entry === ABSENT) writer[c.node] = -1;
    }
  }
  for (const { node } of walkAt(fs, fs.layers.length - 1)) {
    const l = writer[node]!;
    const path = `/${fs.pathOf(node)}`;
    if (l < 0) yield implied(path, appearedIn(fs, node) + 1, 'implied');
    else yield record(path, fs.layers[l]!, entryOf[node]!, l + 1, CHANGE_KINDS[kindOf[node]!]!);
  }
}

/** Returns every path layer l (from 0) changed, in the order it applies them: deletions
 * (whiteouts) first, then its entries in archive order; implied directories only where new. */
export function* layerRecords(fs: MergedFilesystem, l: number): Generator<FileRecord> {
  for (const c of layerChanges(fs, l)) {
    const path = `/${fs.pathOf(c.node)}`;
    if (c.entry >= 0) yield record(path, fs.layers[l]!, c.entry, l + 1, c.kind);
    else if (c.entry === IMPLICIT) {
      if (c.kind !== 'unchanged') yield implied(path, l + 1, c.kind);
    } else {
      const b = c.before;
      const r =
        b && b.entry >= 0
          ? record(path, fs.layers[b.layer]!, b.entry, l + 1, 'deleted')
          : implied(path, l + 1, 'deleted');
      yield { ...r, cause: c.cause };
    }
  }
}

function record(
  path: string,
  listing: LayerListing,
  i: number,
  layer: number,
  change: FileRecord['change'],
): FileRecord {
  const type = listing.type(i);
  return {
    path,
    type,
    size: listing.size(i),
    mode: listing.mode(i),
    uid: listing.uid(i),
    gid: listing.gid(i),
    mtime: listing.mtime(i),
    linkTarget: listing.linkTarget(i),
    layer,
    change,
    cause: null,
    contentHash: type === 'file' ? listing.contentHash(i) : null,
  };
}

/** A directory no entry names: made by an extractor's MkdirAll (0755, root). */
function implied(path: string, layer: number, change: FileRecord['change']): FileRecord {
  return {
    path,
    type: 'dir',
    size: 0,
    mode: 0o755,
    uid: 0,
    gid: 0,
    mtime: null,
    linkTarget: null,
    layer,
    change,
    cause: null,
    contentHash: null,
  };
}

/** Returns the layer (from 0) where a present node last came into being. */
function appearedIn(fs: MergedFilesystem, node: number): number {
  let e = fs.lastEvent(node);
  let layer = fs.ev.layer(e);
  for (let p = fs.ev.prev(e); p >= 0 && fs.ev.present(p); p = fs.ev.prev(p)) layer = fs.ev.layer(p);
  return layer;
}

const TYPE_CHAR: Record<EntryType, string> = {
  file: '-',
  dir: 'd',
  symlink: 'l',
  hardlink: 'h',
  char: 'c',
  block: 'b',
  fifo: 'p',
  other: '?',
};

/** Returns `rwxr-xr-x` for permission bits, with s/S, t/T as `ls` and tar write them. */
export function permissions(mode: number): string {
  const bit = (b: number, c: string) => (mode & b ? c : '-');
  const special = (x: string, on: boolean, lower: string, upper: string) =>
    on ? (x === '-' ? upper : lower) : x;
  const u = special(bit(0o100, 'x'), (mode & 0o4000) !== 0, 's', 'S');
  const g = special(bit(0o010, 'x'), (mode & 0o2000) !== 0, 's', 'S');
  const o = special(bit(0o001, 'x'), (mode & 0o1000) !== 0, 't', 'T');
  return `${bit(0o400, 'r')}${bit(0o200, 'w')}${u}${bit(0o040, 'r')}${bit(0o020, 'w')}${g}${bit(0o004, 'r')}${bit(0o002, 'w')}${o}`;
}

/** Returns `YYYY-MM-DD HH:MM:SS` (UTC) of seconds since the epoch, dashes where unknown. */
function timeOf(mtime: number | null): string {
  if (mtime === null) return '---------- --:--:--';
  const d = new Date(mtime * 1000);
  return Number.isNaN(d.getTime()) ? String(mtime) : d.toISOString().slice(0, 19).replace('T', ' ');
}

/** Returns the `tar -tv`-like line of a record: type and permissions, owner, size, time,
 * layer, change, path (and link). */
export function textLine(r: FileRecord): string {
  const change = r.cause ? `${r.change}(${r.cause})` : r.change;
  let link = '';
  if (r.type === 'symlink') link = ` -> ${escapeName(r.linkTarget ?? '')}`;
  if (r.type === 'hardlink') link = ` link to /${escapeName(r.linkTarget ?? '')}`;
  return [
    `${TYPE_CHAR[r.type]}${permissions(r.mode)}`,
    `${r.uid}/${r.gid}`,
    String(r.size).padStart(10),
    timeOf(r.mtime),
    `L${r.layer}`.padEnd(4),
    change.padEnd(9),
    `${escapeName(r.path)}${link}`,
  ].join(' ');
}

/** Returns a writer that hands `out` text in pieces of about 64 KiB. */
function batched(out: (text: string) => void): ((text: string) => void) & { flush(): void } {
  let buf = '';
  const write = (text: string) => {
    buf += text;
    if (buf.length >= 1 << 16) write.flush();
  };
  write.flush = () => {
    if (buf) out(buf);
    buf = '';
  };
  return write;
}
