/**
 * dive's own figures, computed exactly as dive computes them (wagoodman/dive
 * `dive/filetree/efficiency.go`, `file_tree.go`, `file_node.go`, `dive/image/analysis.go`), so
 * that a user of dive gets the same numbers here, quirks included:
 *
 * - each layer is a tree of its entries; a path's intermediate directories that the layer does
 *   not list are nodes with an empty record (size 0, not a directory), and stacking such a layer
 *   resets the lower record of that directory to empty;
 * - only the *leaves* of each layer's tree count; a whiteout leaf counts the bytes under the
 *   path in the layers below if that path was a directory there, else 0; a whiteout of a path
 *   that did not exist below stops the visit of the rest of that layer (dive's visitor error);
 * - any path component starting `.wh..wh..` drops the entry, so opaque whiteouts are ignored;
 * - efficiency = Σ_paths min / Σ_paths cumulative; wasted bytes = Σ cumulative over paths seen
 *   in two layers or more, *the copy kept included* (dive#684 double counting); user size = all
 *   layers but the first; wasted user percent = wasted / user size.
 *
 * Where Stevedore differs (space.ts): it applies opaque whiteouts, counts a directory deleted
 * whatever its entries said, counts only the copies the final filesystem hides, and classifies
 * each. `reclaimableBytes` = Σ (cumulative − min), as dive#685 proposes, is given beside dive's.
 */
import type { LayerListing } from './listing.ts';
import { componentsOf } from './path.ts';
import { compareNames } from './tree.ts';

const WH = '.wh.';
const WH_DOUBLE = '.wh..wh..';

interface DNode {
  name: string;
  parent: DNode | null;
  children: Map<string, DNode> | null;
  size: number;
  isDir: boolean;
}

/** A path dive calls inefficient: seen in two layers or more. */
export interface InefficientFile {
  path: string;
  count: number;
  cumulativeSize: number;
  minSize: number;
}

/** dive's analysis of one image, plus the reclaimable figure dive#685 proposes. */
export interface DiveAnalysis {
  efficiency: number;
  sizeBytes: number;
  userSizeBytes: number;
  wastedBytes: number;
  wastedUserPercent: number;
  /** Largest cumulative size first (dive sorts ascending, unstably; ties here by path). */
  inefficientFiles: InefficientFile[];
  reclaimableBytes: number;
  /** Layers whose visit stopped at a whiteout of a missing path (dive logs and goes on). */
  abortedLayers: number[];
}

const node = (name: string, parent: DNode | null): DNode => ({
  name,
  parent,
  children: null,
  size: 0,
  isDir: false,
});

/** dive's `AddPath`: creates missing parents with empty records; sets the record at the end. */
function addPath(root: DNode, parts: string[], size: number, isDir: boolean): void {
  let n = root;
  for (const name of parts) {
    const next = n.children?.get(name);
    if (next) n = next;
    else {
      if (name.startsWith(WH_DOUBLE)) return;
      const c = node(name, n);
      (n.children ??= new Map()).set(name, c);
      n = c;
    }
  }
  if (n !== root) {
    n.size = size;
    n.isDir = isDir;
  }
}

/** dive's `Path()` split in parts: the node's own `.wh.` prefix is dropped. */
function partsOf(n: DNode): string[] {
  const parts: string[] = [];
  for (let c: DNode | null = n; c && c.parent; c = c.parent) {
    parts.push(c === n && c.name.startsWith(WH) ? c.name.slice(WH.length) : c.name);
  }
  return parts.reverse();
}

function getNode(root: DNode, parts: string[]): DNode | null {
  let n: DNode | undefined = root;
  for (const p of parts) if (p !== '' && !(n = n.children?.get(p))) return null;
  return n;
}

/** dive's `VisitDepthChildFirst`: children by name, then the node; the root is never visited. */
function* childFirst(root: DNode): Generator<DNode> {
  const stack: { n: DNode; kids: DNode[] | null; i: number }[] = [{ n: root, kids: null, i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    top.kids ??= [...(top.n.children?.values() ?? [])].sort((a, b) => compareNames(a.name, b.name));
    if (top.i < top.kids.length) stack.push({ n: top.kids[top.i++]!, kids: null, i: 0 });
    else {
      stack.pop();
      if (top.n !== root) yield top.n;
    }
  }
}

function treeOf(listing: LayerListing): DNode {
  const root = node('', null);
  for (let i = 0; i < listing.count; i++) {
    const path = listing.path(i);
    if (path === '') continue; // dive skips `.`
    addPath(root, componentsOf(path), listing.size(i), listing.type(i) === 'dir');
  }
  return root;
}

/** dive's `Stack`: whiteouts remove their path, every other node (parents too) is added. */
function stack(lower: DNode, upper: DNode): void {
  for (const n of [...childFirst(upper)]) {
    const parts = partsOf(n);
    if (n.name.startsWith(WH)) {
      const gone = getNode(lower, parts);
      if (gone && gone !== lower) gone.parent!.children!.delete(gone.name);
    } else addPath(lower, parts, n.size, n.isDir);
  }
}

function copyTree(n: DNode, parent: DNode | null = null): DNode {
  const c = { ...n, parent, children: null as Map<string, DNode> | null };
  if (n.children) {
    c.children = new Map();
    for (const [k, v] of n.children) c.children.set(k, copyTree(v, c));
  }
  return c;
}

function subtreeBytes(n: DNode): number {
  let sum = 0;
  const todo = [n];
  while (todo.length > 0) {
    const c = todo.pop()!;
    sum += c.size;
    if (c.children) todo.push(...c.children.values());
  }
  return sum;
}

/** Returns dive's figures for the listings of one image, lowest layer first. */
export function diveAnalysis(listings: readonly LayerListing[]): DiveAnalysis {
  const trees = listings.map(treeOf);
  const data = new Map<string, { count: number; cum: number; min: number }>();
  const inefficient: string[] = [];
  const aborted: number[] = [];
  // dive re-stacks layers 0..i-1 for each whiteout (StackTreeRange, starting from a copy of
  // layer 0, so for layer 0 itself it is layer 0); stacking once per layer gives the same tree.
  let below: DNode | null = null;
  trees.forEach((tree, i) => {
    const lower: DNode = i === 0 ? tree : below!;
    for (const n of childFirst(tree)) {
      if (n.children && n.children.size > 0) continue; // leaves only
      const parts = partsOf(n);
      let size = n.size;
      if (n.name.startsWith(WH)) {
        const prev = getNode(lower, parts);
        if (!prev) {
          aborted.push(i);
          break;
        }
        size = prev.isDir ? subtreeBytes(prev) : 0;
      }
      const key = `/${parts.join('/')}`;
      let d = data.get(key);
      if (!d) data.set(key, (d = { count: 0, cum: 0, min: -1 }));
      d.cum += size;
      if (d.min < 0 || size < d.min) d.min = size;
      if (++d.count === 2) inefficient.push(key);
    }
    if (i === 0) stack((below = copyTree(tree)), tree);
    else stack(below!, tree);
  });
  let min = 0;
  let cum = 0;
  for (const d of data.values()) {
    min += d.min;
    cum += d.cum;
  }
  const files = inefficient.map((path) => {
    const d = data.get(path)!;
    return { path, count: d.count, cumulativeSize: d.cum, minSize: d.min };
  });
  files.sort((a, b) => b.cumulativeSize - a.cumulativeSize || compareNames(a.path, b.path));
  const sizes = listings.map((l) => l.totalSize);
  const sizeBytes = sizes.reduce((a, b) => a + b, 0);
  const userSizeBytes = sizeBytes - (sizes[0] ?? 0);
  const wastedBytes = files.reduce((a, f) => a + f.cumulativeSize, 0);
  return {
    efficiency: cum === 0 ? 1 : min / cum,
    sizeBytes,
    userSizeBytes,
    wastedBytes,
    wastedUserPercent: wastedBytes / userSizeBytes,
    inefficientFiles: files,
    reclaimableBytes: cum - min,
    abortedLayers: aborted,
  };
}
