/**
 * Questions asked of a merged filesystem: the tree as of layer N, which layer last wrote a path,
 * and whether N added, changed or deleted it (dive's "show the image as of layer N").
 */
import type { EntryType } from './listing.ts';
import { ABSENT, IMPLICIT, type MergedFilesystem } from './merge.ts';

/** What layer N did to a path. */
export type NodeChange = 'added' | 'changed' | 'deleted';

/** One path of the tree as of a layer, for views. */
export interface TreeEntry {
  node: number;
  path: string;
  name: string;
  /** The type at that layer (before deletion, for a path deleted by it). */
  type: EntryType;
  /** Regular-file bytes (0 for directories, links and implied directories). */
  size: number;
  /** The layer whose entry gave the path its current state; null for an implied directory. */
  writtenBy: number | null;
  change: NodeChange | null;
  exists: boolean;
}

/** Returns the newest event of a node at or below layer l, or -1. */
export function eventAt(fs: MergedFilesystem, node: number, l: number): number {
  return fs.ev.asOf(fs.lastEvent(node), l);
}

/** Returns true when a path is present as of layer l (the root always is). */
export function existsAt(fs: MergedFilesystem, node: number, l: number): boolean {
  return node === 0 || fs.ev.present(eventAt(fs, node, l));
}

/** Returns the layer and entry that last wrote a present path as of layer l, else null. */
export function lastWriter(
  fs: MergedFilesystem,
  node: number,
  l = fs.layers.length - 1,
): { layer: number; entry: number } | null {
  // An implied directory keeps the entry of the layer that last named it, unless it was
  // removed in between (then nothing wrote what is there now).
  for (let e = eventAt(fs, node, l); e >= 0; e = fs.ev.prev(e)) {
    const entry = fs.ev.entry(e);
    if (entry === ABSENT) return null;
    if (entry >= 0) return { layer: fs.ev.layer(e), entry };
  }
  return null;
}

/** Returns what layer l did to a path: added, changed, deleted, or null (untouched). */
export function changeAt(fs: MergedFilesystem, node: number, l: number): NodeChange | null {
  const e = eventAt(fs, node, l);
  if (e < 0 || fs.ev.layer(e) !== l) return null;
  const was = node === 0 || fs.ev.present(fs.ev.prev(e));
  const is = fs.ev.present(e);
  if (is) return was ? 'changed' : 'added';
  return was ? 'deleted' : null;
}

/** Returns a node's children present as of layer l (and, if asked, those l deleted), by name. */
export function childrenAt(
  fs: MergedFilesystem,
  node: number,
  l: number,
  withDeleted = true,
): number[] {
  const out = fs
    .childrenOf(node)
    .filter((c) => existsAt(fs, c, l) || (withDeleted && changeAt(fs, c, l) === 'deleted'));
  return out.sort((a, b) => compareNames(fs.nameOf(a), fs.nameOf(b)));
}

/** Returns a node as the tree of layer l shows it. */
export function describe(fs: MergedFilesystem, node: number, l: number): TreeEntry {
  const change = changeAt(fs, node, l);
  const exists = existsAt(fs, node, l);
  // A deleted path is shown as it was just before.
  const e = exists ? eventAt(fs, node, l) : fs.ev.prev(eventAt(fs, node, l));
  const entry = fs.ev.entry(e);
  let type: EntryType = 'dir';
  let size = 0;
  if (entry >= 0) {
    const listing = fs.layers[fs.ev.layer(e)]!;
    type = listing.type(entry);
    size = type === 'file' ? listing.size(entry) : 0;
  }
  const writer = exists ? lastWriter(fs, node, l) : null;
  return {
    node,
    path: fs.pathOf(node),
    name: fs.nameOf(node),
    type,
    size,
    writtenBy: entry === IMPLICIT ? null : (writer?.layer ?? null),
    change,
    exists,
  };
}

/** Returns every path of the tree as of layer l, depth first, names in order (with depth). */
export function* walkAt(
  fs: MergedFilesystem,
  l: number,
  withDeleted = false,
): Generator<{ node: number; depth: number }> {
  const stack: { node: number; depth: number }[] = childrenAt(fs, 0, l, withDeleted)
    .reverse()
    .map((node) => ({ node, depth: 0 }));
  while (stack.length > 0) {
    const top = stack.pop()!;
    yield top;
    const kids = childrenAt(fs, top.node, l, withDeleted);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i]!, depth: top.depth + 1 });
  }
}

/** Compares names by code point (UTF-8 byte order, as Go sorts strings), not UTF-16 unit. */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
