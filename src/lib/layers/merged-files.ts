/**
 * Files of the merged filesystem as of one layer, read as a process in the container would:
 * symlinks followed inside the root (an absolute target starts at the image's root, `..` stops
 * there), whiteouts applied, the bytes those of the layer that last wrote the path. Only files
 * whose bytes the layer read kept (kept-files.ts) can be read; any other regular file reads as
 * null and is counted in `unread`, with the reason where the read dropped it.
 */
import type { KeptFiles } from './kept-files.ts';
import { ABSENT, IMPLICIT, type MergedFilesystem } from './merge.ts';
import { componentsOf } from './path.ts';
import { childrenAt, compareNames, eventAt } from './tree.ts';

/** Symlinks followed in one lookup before giving up, as Linux's ELOOP (40). */
export const MAX_SYMLINK_HOPS = 40;

/** A regular file present in the tree whose bytes were not kept, and why. */
export interface UnreadFile {
  path: string;
  layer: number;
  kind: 'too-large' | 'incomplete' | 'not-kept';
  reason: string;
}

/** Reads files of the merged filesystem as of a layer. */
export interface MergedFiles {
  /** Bytes of the regular file at a path (symlinks followed), or null. */
  read(path: string): Uint8Array | null;
  /** Names in a directory (symlinks followed), sorted; null when it is not a directory. */
  list(dir: string): string[] | null;
  /** Returns the layer whose entry the path resolves to, or null when absent. */
  writer(path: string): number | null;
  /** Regular files asked for whose bytes the layer read did not keep. */
  readonly unread: UnreadFile[];
}

/** What a path resolves to: a node and the layer entry that wrote it (entry -1: implied dir). */
interface Resolved {
  node: number;
  layer: number;
  entry: number;
}

/** Returns a reader of the tree as of layer `asOf` (the top by default); `kept[l]` are the
 * files layer l's read kept (null where none were). */
export function mergedFiles(
  fs: MergedFilesystem,
  kept: readonly (KeptFiles | null | undefined)[],
  asOf = fs.layers.length - 1,
): MergedFiles {
  const bytes = kept.map((k) => new Map(k?.files.map((f) => [f.entry, f.bytes]) ?? []));
  const dropped = kept.map((k) => new Map(k?.dropped.map((d) => [d.entry, d]) ?? []));
  const unread: UnreadFile[] = [];

  /** The state of a node as of asOf: its writer, or null when absent. */
  const stateOf = (node: number): Resolved | null => {
    if (node === 0) return { node, layer: -1, entry: -1 };
    const e = eventAt(fs, node, asOf);
    if (e < 0) return null;
    const entry = fs.ev.entry(e);
    if (entry === ABSENT) return null;
    return { node, layer: fs.ev.layer(e), entry: entry === IMPLICIT ? -1 : entry };
  };
  const typeOf = (r: Resolved) => (r.entry < 0 ? 'dir' : fs.layers[r.layer]!.type(r.entry));

  /** Resolves a path, following every symlink on the way (and the last one if `follow`). */
  const resolve = (path: string, follow: boolean): Resolved | null => {
    let todo = componentsOf(path).filter((c) => c !== '' && c !== '.');
    let at: Resolved = { node: 0, layer: -1, entry: -1 };
    let hops = 0;
    while (todo.length > 0) {
      const name = todo.shift()!;
      if (name === '..') {
        const up = fs.parentOf(at.node);
        at = up < 0 ? at : (stateOf(up) ?? at);
        continue;
      }
      if (typeOf(at) !== 'dir') return null;
      const child = fs.childNamed(at.node, name);
      const next = child < 0 ? null : stateOf(child);
      if (!next) return null;
      if (typeOf(next) === 'symlink' && (todo.length > 0 || follow)) {
        if (++hops > MAX_SYMLINK_HOPS) return null;
        const target = fs.layers[next.layer]!.linkTarget(next.entry) ?? '';
        // Absolute targets start again at the root; relative ones at the link's directory.
        if (target.startsWith('/')) at = { node: 0, layer: -1, entry: -1 };
        todo = [...target.split('/').filter((c) => c !== '' && c !== '.'), ...todo];
        continue;
      }
      at = next;
    }
    return at;
  };

  const read = (path: string, hops = 0): Uint8Array | null => {
    const r = resolve(path, true);
    if (!r || r.entry < 0) return null;
    const listing = fs.layers[r.layer]!;
    const type = listing.type(r.entry);
    // A hard link names a file by its path in the image; read that one (bounded like symlinks).
    if (type === 'hardlink') {
      const target = listing.linkTarget(r.entry);
      return target && hops < MAX_SYMLINK_HOPS ? read(target, hops + 1) : null;
    }
    if (type !== 'file') return null;
    const got = bytes[r.layer]?.get(r.entry);
    if (got) return got;
    const d = dropped[r.layer]?.get(r.entry);
    unread.push({
      path: fs.pathOf(r.node),
      layer: r.layer,
      kind: d?.kind ?? 'not-kept',
      reason: d?.reason ?? 'its bytes were not kept by the layer read',
    });
    return null;
  };

  return {
    read: (path) => read(path),
    list(dir) {
      const r = resolve(dir, true);
      if (!r || typeOf(r) !== 'dir') return null;
      return childrenAt(fs, r.node, asOf, false)
        .map((c) => fs.nameOf(c))
        .sort(compareNames);
    },
    writer(path) {
      const r = resolve(path, true);
      return r && r.layer >= 0 ? r.layer : null;
    },
    unread,
  };
}
