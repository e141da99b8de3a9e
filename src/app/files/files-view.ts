/**
 * The file views' logic, on the lib's merged filesystem: what a layer changed, the tree as of a
 * layer (flattened for a virtual list), the largest files, search by path or glob, which layer
 * wrote a path, and the notes a listing or the merge made, in plain words. Pure, tested in Node
 * on listings of the real fixtures; the components only draw what these return.
 */
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
import { fileSizeAt, pathIndex, type FileHit } from './path-search.ts';

export {
  fileSizeAt,
  pathIndex,
  pathQuery,
  searchPaths,
  type FileHit,
  type PathIndex,
  type PathQuery,
  type SearchResult,
} from './path-search.ts';

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

/** Returns the `n` largest regular files of the tree as of layer l, largest first (ties by
 * path), and how many files there are. Sizes are gathered in typed arrays; paths are made only
 * for the files at or above the n-th size. */
export function largestFiles(
  fs: MergedFilesystem,
  l: number,
  n = 100,
): { files: FileHit[]; total: number } {
  const { nodes, count } = pathIndex(fs, l);
  const sizes = new Float64Array(count);
  const files = new Int32Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const size = fileSizeAt(fs, nodes[i]!, l);
    if (size < 0) continue;
    sizes[total] = size;
    files[total++] = nodes[i]!;
  }
  if (total === 0 || n <= 0) return { files: [], total };
  const sorted = sizes.slice(0, total).sort();
  const least = sorted[Math.max(0, total - n)]!;
  const all: FileHit[] = [];
  for (let k = 0; k < total; k++)
    if (sizes[k]! >= least)
      all.push({ node: files[k]!, path: fs.pathOf(files[k]!), size: sizes[k]! });
  all.sort((a, b) => b.size - a.size || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: all.slice(0, n), total };
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

/** Returns what the Files view says of layers (0-based) shown from listings kept from an
 * earlier file and not yet confirmed to be this file's bytes (`TabContents.unconfirmed`);
 * null where there are none. `checking`: verification is running and may yet confirm them. */
export function unconfirmedText(layers: readonly number[], checking: boolean): string | null {
  if (layers.length === 0) return null;
  const numbers = layers.map((l) => String(l + 1));
  const named =
    numbers.length === 1
      ? `layer ${numbers[0]}`
      : numbers.length <= 6
        ? `layers ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`
        : `${numbers.length} layers`;
  return (
    `The files of ${named} are shown from the library: they were listed from an earlier file ` +
    `with the same diff_id, ` +
    (checking
      ? 'and are this file’s once verification has checked its layer.'
      : 'and have not been checked against this file.')
  );
}
