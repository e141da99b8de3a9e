/**
 * The file views' logic, on the lib's merged filesystem: what a layer changed, the tree as of a
 * layer (flattened for a virtual list), the largest files, search by path or glob, which layer
 * wrote a path, and the notes a listing or the merge made, in plain words. Pure, tested in Node
 * on listings of the real fixtures; the components only draw what these return.
 */
import picomatch from 'picomatch/posix';
import { layerChanges, type ChangeKind, type DeleteCause } from '../../lib/layers/changes.ts';
import type { EntryType, LayerListing, ListingNote } from '../../lib/layers/listing.ts';
import type { MergeNote, MergedFilesystem } from '../../lib/layers/merge.ts';
import {
  changeAt,
  childrenAt,
  compareNames,
  eventAt,
  existsAt,
  lastWriter,
} from '../../lib/layers/tree.ts';
import { oneLine } from '../../lib/text.ts';

/** Returns a path as the views show it: absolute, on one line, invisible characters escaped. */
export function shownPath(path: string): string {
  return oneLine(`/${path}`);
}

/** Returns the people's number of layer index l (the base layer is layer 1). */
export const layerNumber = (l: number): number => l + 1;

// ---------------------------------------------------------------------------------------------
// What one layer changed

/** One path a layer changed, for the list. */
export interface ChangeRow {
  node: number;
  kind: ChangeKind;
  size: number;
  cause: DeleteCause | null;
  /** The layer (index) that held the path before, for a modification or deletion. */
  before: number | null;
}

/** Returns the paths layer l changed, in the order the merge met them; `kinds` filters. */
export function changeRows(
  fs: MergedFilesystem,
  l: number,
  kinds: ReadonlySet<ChangeKind> | null = null,
): ChangeRow[] {
  const out: ChangeRow[] = [];
  for (const c of layerChanges(fs, l)) {
    if (kinds && !kinds.has(c.kind)) continue;
    out.push({
      node: c.node,
      kind: c.kind,
      size: c.size,
      cause: c.cause,
      before: c.before?.layer ?? null,
    });
  }
  return out;
}

/** Returns how a change row reads: `deleted (opaque whiteout)`, `metadata only`. */
export function changeText(kind: ChangeKind, cause: DeleteCause | null = null): string {
  switch (kind) {
    case 'metadata':
      return 'metadata only';
    case 'unchanged':
      return 'rewritten, same content';
    case 'rewritten':
      return 'rewritten, content not compared';
    case 'deleted':
      return cause === 'opaque'
        ? 'deleted (opaque whiteout)'
        : cause === 'replaced'
          ? 'deleted (parent replaced)'
          : 'deleted';
    default:
      return kind;
  }
}

// ---------------------------------------------------------------------------------------------
// The tree as of a layer

/** The visible rows of a tree: node and depth of each, in display order. */
export interface TreeRows {
  nodes: Int32Array;
  depths: Uint16Array;
  count: number;
}

/** Returns a node's children as the tree of layer l shows them (present, or deleted by l),
 * sorted by name; cached per node in `cache` (one cache per layer). */
export function kidsAt(
  fs: MergedFilesystem,
  node: number,
  l: number,
  cache: Map<number, number[]>,
): number[] {
  let kids = cache.get(node);
  if (!kids) cache.set(node, (kids = childrenAt(fs, node, l, true)));
  return kids;
}

/** Returns the rows of the tree as of layer l: the root's children, and the children of every
 * expanded directory below them, depth first. */
export function treeRows(
  fs: MergedFilesystem,
  l: number,
  expanded: ReadonlySet<number>,
  cache: Map<number, number[]>,
): TreeRows {
  let nodes = new Int32Array(1024);
  let depths = new Uint16Array(1024);
  let count = 0;
  const stack: number[] = [];
  const push = (parent: number, depth: number) => {
    const kids = kidsAt(fs, parent, l, cache);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!, depth);
  };
  push(0, 0);
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const node = stack.pop()!;
    if (count === nodes.length) {
      const n = new Int32Array(count * 2);
      n.set(nodes);
      nodes = n;
      const d = new Uint16Array(count * 2);
      d.set(depths);
      depths = d;
    }
    nodes[count] = node;
    depths[count] = Math.min(depth, 0xffff);
    count++;
    if (expanded.has(node) && existsAt(fs, node, l)) push(node, depth + 1);
  }
  return { nodes, depths, count };
}

/** One row of the tree, as drawn. */
export interface TreeRowView {
  node: number;
  name: string;
  type: EntryType;
  isDir: boolean;
  /** Regular-file bytes. */
  size: number;
  /** The layer (index) whose entry wrote what is there; null for an implied directory. */
  writtenBy: number | null;
  change: 'added' | 'changed' | 'deleted' | null;
  exists: boolean;
  linkTarget: string | null;
}

/** Returns how layer l's tree shows a node. */
export function treeRow(fs: MergedFilesystem, node: number, l: number): TreeRowView {
  const change = changeAt(fs, node, l);
  const exists = existsAt(fs, node, l);
  const at = eventAt(fs, node, l);
  const e = exists ? at : fs.ev.prev(at);
  const entry = fs.ev.entry(e);
  let type: EntryType = 'dir';
  let size = 0;
  let linkTarget: string | null = null;
  if (entry >= 0) {
    const listing = fs.layers[fs.ev.layer(e)]!;
    type = listing.type(entry);
    size = type === 'file' ? listing.size(entry) : 0;
    linkTarget = listing.linkTarget(entry);
  }
  const writer = exists && entry >= 0 ? lastWriter(fs, node, l) : null;
  return {
    node,
    name: fs.nameOf(node),
    type,
    isDir: type === 'dir',
    size,
    writtenBy: writer?.layer ?? null,
    change,
    exists,
    linkTarget,
  };
}

/** Returns the mark of a row in layer l's tree: `added in layer 3`, or null. */
export function changeMark(change: TreeRowView['change'], l: number): string | null {
  if (change === null) return null;
  const n = layerNumber(l);
  return change === 'added'
    ? `added in layer ${n}`
    : change === 'changed'
      ? `changed in layer ${n}`
      : `deleted by layer ${n}`;
}

/** Returns the index of the row of a node's parent, searching up from row `at`; -1 at the top. */
export function parentRow(rows: TreeRows, at: number): number {
  const depth = rows.depths[at]!;
  for (let r = at - 1; r >= 0; r--) if (rows.depths[r]! < depth) return r;
  return -1;
}

/** Returns the position of a row among its siblings and their number (aria-posinset/setsize);
 * siblings are sorted by name, so the position is found by bisection. */
export function siblingPosition(
  fs: MergedFilesystem,
  node: number,
  l: number,
  cache: Map<number, number[]>,
): { pos: number; size: number } {
  const kids = kidsAt(fs, fs.parentOf(node), l, cache);
  const name = fs.nameOf(node);
  let lo = 0;
  let hi = kids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareNames(fs.nameOf(kids[mid]!), name) < 0) lo = mid + 1;
    else hi = mid;
  }
  return { pos: lo + 1, size: kids.length };
}

// ---------------------------------------------------------------------------------------------
// Walks: largest files, search

/** Calls `visit` for every path present as of layer l, with its path (no leading slash). */
export function forEachPresent(
  fs: MergedFilesystem,
  l: number,
  visit: (node: number, path: string) => void,
): void {
  const stack: (number | string)[] = [0, ''];
  while (stack.length > 0) {
    const prefix = stack.pop() as string;
    const node = stack.pop() as number;
    for (const c of fs.childrenOf(node)) {
      if (!existsAt(fs, c, l)) continue;
      const path = prefix === '' ? fs.nameOf(c) : `${prefix}/${fs.nameOf(c)}`;
      visit(c, path);
      stack.push(c, path);
    }
  }
}

/** Returns the regular-file bytes of a node as of layer l, or -1 when it is no regular file. */
export function fileSizeAt(fs: MergedFilesystem, node: number, l: number): number {
  const e = eventAt(fs, node, l);
  const entry = fs.ev.entry(e);
  if (entry < 0) return -1;
  const listing = fs.layers[fs.ev.layer(e)]!;
  return listing.type(entry) === 'file' ? listing.size(entry) : -1;
}

/** A file of the tree with its path and size. */
export interface FileHit {
  node: number;
  path: string;
  size: number;
}

/** Returns the `n` largest regular files of the tree as of layer l, largest first (ties by
 * path), and how many files there are. */
export function largestFiles(
  fs: MergedFilesystem,
  l: number,
  n = 100,
): { files: FileHit[]; total: number } {
  const all: FileHit[] = [];
  forEachPresent(fs, l, (node, path) => {
    const size = fileSizeAt(fs, node, l);
    if (size >= 0) all.push({ node, path, size });
  });
  all.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: all.slice(0, n), total: all.length };
}

/** A compiled search: a glob (`*`, `**`, `?`, `[…]`) or a plain, case-insensitive substring.
 * `names`: it can be answered from names alone (a glob without `/` matches base names; a text
 * without `/` lies within one component, so a path matches when one of its names does). */
export interface PathQuery {
  kind: 'glob' | 'text';
  names: boolean;
  test(path: string): boolean;
}

/** Returns the query of what was typed, or null for nothing (or a glob that does not parse).
 * A glob without `/` matches base names (`*.so`); with one, whole paths from the root
 * (`usr/**\/*.so`, a leading `/` optional). */
export function pathQuery(input: string): PathQuery | null {
  const q = input.trim();
  if (q === '') return null;
  if (/[*?[\]{}]/.test(q)) {
    const glob = q.replace(/^\/+/, '');
    try {
      const made = picomatch.makeRe(glob, { dot: true, basename: !glob.includes('/') });
      // Names may hold line breaks: `*` and `**` must match them too (dotAll).
      const re = new RegExp(made.source, `${made.flags.replace('s', '')}s`);
      const base = !glob.includes('/');
      return {
        kind: 'glob',
        names: base,
        test: (path) => re.test(base ? path.slice(path.lastIndexOf('/') + 1) : path),
      };
    } catch {
      return null;
    }
  }
  const needle = q.replace(/^\/+/, '');
  // A case-insensitive expression: no lower-cased copy of every path.
  const re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu');
  return { kind: 'text', names: !needle.includes('/'), test: (path) => re.test(path) };
}

/** The paths present as of one layer, depth first: each row's node and its parent's row. */
export interface PathIndex {
  nodes: Int32Array;
  parents: Int32Array;
  count: number;
  /** Milliseconds it took to build. */
  ms: number;
}

const indexes = new WeakMap<MergedFilesystem, Map<number, PathIndex>>();

/** Returns the index of the paths present as of layer l (built once per layer and kept). */
export function pathIndex(fs: MergedFilesystem, l: number): PathIndex {
  let byLayer = indexes.get(fs);
  if (!byLayer) indexes.set(fs, (byLayer = new Map()));
  const kept = byLayer.get(l);
  if (kept) return kept;
  const t0 = performance.now();
  let nodes = new Int32Array(1024);
  let parents = new Int32Array(1024);
  let count = 0;
  const stack: number[] = [0, -1];
  while (stack.length > 0) {
    const parentRow = stack.pop()!;
    const node = stack.pop()!;
    for (const c of fs.childrenOf(node)) {
      if (!existsAt(fs, c, l)) continue;
      if (count === nodes.length) {
        const n = new Int32Array(count * 2);
        n.set(nodes);
        nodes = n;
        const p = new Int32Array(count * 2);
        p.set(parents);
        parents = p;
      }
      nodes[count] = c;
      parents[count] = parentRow;
      stack.push(c, count);
      count++;
    }
  }
  const index = { nodes, parents, count, ms: performance.now() - t0 };
  byLayer.set(l, index);
  return index;
}

/** What a search found: the first `limit` paths, how many matched in all, how long it took,
 * and how long building the layer's index took (once per layer; 0 after). */
export interface SearchResult {
  hits: FileHit[];
  matching: number;
  ms: number;
  indexMs: number;
}

/** Returns the paths present as of layer l that match (the first `limit` met, sorted by path). */
export function searchPaths(
  fs: MergedFilesystem,
  l: number,
  query: PathQuery,
  limit = 10_000,
): SearchResult {
  const fresh = !indexes.get(fs)?.has(l);
  const index = pathIndex(fs, l);
  const t0 = performance.now();
  const { nodes, parents, count } = index;
  const hits: FileHit[] = [];
  let matching = 0;
  const found = (i: number, path: string | null) => {
    matching++;
    if (hits.length >= limit) return;
    const node = nodes[i]!;
    hits.push({ node, path: path ?? fs.pathOf(node), size: Math.max(0, fileSizeAt(fs, node, l)) });
  };
  if (query.names) {
    // Rows come after their parent's: a text found in a directory's name finds all under it.
    const matched = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const p = parents[i]!;
      const hit =
        (query.kind === 'text' && p >= 0 && matched[p] === 1) || query.test(fs.nameOf(nodes[i]!));
      if (!hit) continue;
      matched[i] = 1;
      found(i, null);
    }
  } else {
    const paths: string[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const p = parents[i]!;
      const name = fs.nameOf(nodes[i]!);
      const path = p < 0 ? name : `${paths[p]}/${name}`;
      paths[i] = path;
      if (query.test(path)) found(i, path);
    }
  }
  hits.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { hits, matching, ms: performance.now() - t0, indexMs: fresh ? index.ms : 0 };
}

// ---------------------------------------------------------------------------------------------
// Which layer wrote a path

/** One layer's doing to a path. */
export interface PathEvent {
  layer: number;
  change: 'added' | 'changed' | 'deleted';
  type: EntryType | null;
  size: number;
}

/** A path's story: every layer that touched it, and which layer last wrote it as of the top. */
export interface PathHistory {
  node: number;
  path: string;
  events: PathEvent[];
  /** The layer (index) whose entry holds what is there now; null when absent or implied. */
  lastWrittenBy: number | null;
  present: boolean;
}

/** Returns the story of a path as typed (cleaned like a tar name), or null when no layer ever
 * wrote it. */
export function pathHistory(fs: MergedFilesystem, input: string): PathHistory | null {
  const node = fs.lookup(input);
  if (node <= 0) return null;
  const events: PathEvent[] = [];
  for (let l = 0; l < fs.layers.length; l++) {
    const change = changeAt(fs, node, l);
    if (!change) continue;
    const row = treeRow(fs, node, l);
    events.push({ layer: l, change, type: row.type, size: row.size });
  }
  const top = fs.layers.length - 1;
  return {
    node,
    path: fs.pathOf(node),
    events,
    lastWrittenBy: lastWriter(fs, node, top)?.layer ?? null,
    present: existsAt(fs, node, top),
  };
}

// ---------------------------------------------------------------------------------------------
// Notes

const LISTING_NOTES: Record<ListingNote['kind'], string> = {
  'absolute-path': 'names starting with /, read from the root',
  'dot-dot': 'names with .. in them',
  'escapes-root':
    'names whose .. would climb above the root (kept at the root; Docker refuses such a layer)',
  'nul-in-name': 'names holding a NUL character (cut there)',
  'long-name': 'names longer than Linux allows (4,096 bytes)',
  'hardlink-to-self': 'hard links to themselves',
  'whiteout-invalid': 'whiteouts that name nothing valid',
  'opaque-root': 'an opaque whiteout of / (it cannot hide the root)',
  'aufs-metadata': 'AUFS metadata entries (.wh..wh.*), ignored',
  'duplicate-entry': 'paths written twice in the layer (the last one counts)',
  'bad-number': 'sizes, modes or owners that are not numbers (read as 0)',
  'too-many-entries': 'entries beyond what one listing keeps (not listed)',
};

const MERGE_NOTES: Record<MergeNote['kind'], string> = {
  'whiteout-missing': 'whiteouts of paths no lower layer has',
  'hardlink-target-missing': 'hard links to paths that are not there',
  'parent-not-directory': 'paths under something that is not a directory (it was replaced)',
  'duplicate-entry': 'paths written twice in the layer (the last one counts)',
  'too-many-layers': 'layers beyond what one merge applies (not merged)',
};

/** A note of a layer's listing or of the merge, as the view says it. */
export interface NoteView {
  layer: number | null;
  text: string;
  count: number;
  /** The first name, shown with `oneLine` (hostile names cannot disguise themselves). */
  example: string;
}

/** Returns every note of the listings and the merge, per layer, in plain words. */
export function notesOf(fs: MergedFilesystem): NoteView[] {
  const out: NoteView[] = [];
  fs.layers.forEach((listing: LayerListing, l) => {
    for (const n of listing.notes)
      out.push({
        layer: l,
        text: LISTING_NOTES[n.kind],
        count: n.count,
        example: oneLine(n.example),
      });
  });
  for (const n of fs.notes) {
    out.push({
      layer: n.layer < fs.layers.length ? n.layer : null,
      text: MERGE_NOTES[n.kind],
      count: n.count,
      example: n.example === '' ? '' : shownPath(n.example),
    });
  }
  return out.sort((a, b) => (a.layer ?? -1) - (b.layer ?? -1));
}
