/**
 * Search of the paths present as of one layer, by glob or by text, on the merged tree's columns.
 * The paths of a layer are indexed once (rows depth first, each with its parent's row); a query
 * then walks the rows keeping, per row, how much of the query the path down to it has matched, so
 * no path string is made for a row that is not a hit. Names are compared as UTF-8 bytes wherever
 * that gives the expression's answer (a literal a glob segment must hold, ASCII text without
 * case); a name becomes a string only when the bytes cannot decide. Queries the walk cannot
 * answer (braces, escapes, extglobs, `/` inside brackets) are tested on whole paths, as before.
 */
import picomatch from 'picomatch/posix';
import type { MergedFilesystem } from '../../lib/layers/merge.ts';
import { eventAt, existsAt } from '../../lib/layers/tree.ts';

/** A file of the tree with its path and size. */
export interface FileHit {
  node: number;
  path: string;
  size: number;
}

/** One component of a query: its expression on a name, and `mark`, which reads a node's name as
 * bytes and says NO, YES or ASK (the expression must decide); null when bytes cannot help. */
interface NameTest {
  re: RegExp;
  mark: ((fs: MergedFilesystem, node: number) => number) | null;
}

const NO = 0;
const YES = 1;
const ASK = 2;

/** A query as steps over path components. `glob`: segments (null for `**`), one row matching
 * when the path down to it matches them all. `text`: the parts between the `/`s, a row matching
 * when it or a row above it completes them. */
type Steps = { kind: 'glob'; segments: (NameTest | null)[] } | { kind: 'text'; parts: NameTest[] };

/** A compiled search: a glob (`*`, `**`, `?`, `[…]`) or a plain, case-insensitive substring.
 * `names`: it can be answered from names alone (a glob without `/` matches base names; a text
 * without `/` lies within one component, so a path matches when one of its names does). */
export interface PathQuery {
  kind: 'glob' | 'text';
  names: boolean;
  /** Tests a whole path (no leading slash). */
  test(path: string): boolean;
  /** The same question as steps over the components; null when only whole paths can answer. */
  steps: Steps | null;
}

/** Segments a walk follows at most (their states are bits of one 32-bit number). */
const MAX_STEPS = 30;

/** Returns the query of what was typed, or null for nothing (or a glob that does not parse).
 * A glob without `/` matches base names (`*.so`); with one, whole paths from the root
 * (`usr/**\/*.so`, a leading `/` optional). */
export function pathQuery(input: string): PathQuery | null {
  const q = input.trim();
  if (q === '') return null;
  if (/[*?[\]{}]/.test(q)) {
    const glob = q.replace(/^\/+/, '');
    try {
      const base = !glob.includes('/');
      const re = globRe(glob, base);
      return {
        kind: 'glob',
        names: base,
        test: (path) => re.test(base ? path.slice(path.lastIndexOf('/') + 1) : path),
        steps: globSteps(glob, base),
      };
    } catch {
      return null;
    }
  }
  const needle = q.replace(/^\/+/, '');
  // A case-insensitive expression: no lower-cased copy of every path.
  const re = new RegExp(escape(needle), 'iu');
  const parts = needle.split('/');
  const steps: Steps | null =
    parts.length > MAX_STEPS
      ? null
      : {
          kind: 'text',
          parts: parts.map((p, k) =>
            textTest(
              p,
              parts.length === 1
                ? 'in'
                : k === 0
                  ? 'end'
                  : k === parts.length - 1
                    ? 'start'
                    : 'all',
            ),
          ),
        };
  return { kind: 'text', names: parts.length === 1, test: (path) => re.test(path), steps };
}

/** Returns picomatch's expression of a glob, `*` and `**` matching line breaks too (dotAll). */
function globRe(glob: string, basename = false): RegExp {
  const made = picomatch.makeRe(glob, { dot: true, basename });
  return new RegExp(made.source, `${made.flags.replace('s', '')}s`);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Returns a glob's segments as name tests, or null when splitting it at `/` could change its
 * meaning (braces, parentheses, escapes, negation, `/` inside brackets, empty segments). */
function globSteps(glob: string, base: boolean): Steps | null {
  if (/[{}()\\!]/.test(glob) || /\[[^\]]*\//.test(glob)) return null;
  const parts = base ? ['**', glob] : glob.split('/');
  if (parts.length > MAX_STEPS || parts.some((p) => p === '')) return null;
  return { kind: 'glob', segments: parts.map((p) => (p === '**' ? null : globTest(p))) };
}

const encoder = new TextEncoder();

/** Returns the test of one glob segment: picomatch's expression on the name, asked only of names
 * holding the longest literal run the segment requires (compared as bytes). */
function globTest(segment: string): NameTest {
  const re = globRe(segment);
  const plain = !/[[\]+@]/.test(segment);
  const runs = plain ? segment.split(/[*?]+/).filter((r) => r !== '') : [];
  if (runs.length === 0) return { re, mark: null };
  const literal = encoder.encode(runs.reduce((a, b) => (b.length > a.length ? b : a)));
  return { re, mark: (fs, node) => markOf(fs, node, literal, false, 'in', ASK) };
}

/** Where a text part must sit in a name: anywhere, at its end, at its start, or all of it. */
type Place = 'in' | 'end' | 'start' | 'all';

/** Returns the test of one part of a text query, without case. ASCII parts are compared as bytes
 * on ASCII names (folding A–Z); other names, or other parts, by the Unicode expression. */
function textTest(part: string, place: Place): NameTest {
  const p = escape(part);
  const source =
    place === 'all' ? `^${p}$` : place === 'start' ? `^${p}` : place === 'end' ? `${p}$` : p;
  const re = new RegExp(source, 'iu');
  if (/[^\x00-\x7f]/.test(part)) return { re, mark: null };
  const literal = Uint8Array.from(part.toLowerCase(), (c) => c.charCodeAt(0));
  return { re, mark: (fs, node) => markOf(fs, node, literal, true, place, YES) };
}

/** Returns whether a node's name holds `literal` at `place`: `found` (YES, or ASK when the
 * expression must confirm) or NO. `fold`: A–Z read as a–z (the literal is lower case then), and
 * a name with non-ASCII bytes is ASKed (Unicode case folding maps some to ASCII: K, ſ). */
function markOf(
  fs: MergedFilesystem,
  node: number,
  literal: Uint8Array,
  fold: boolean,
  place: Place,
  found: number,
): number {
  const pool = fs.namePoolOf(node);
  const start = fs.spanStart;
  const end = fs.spanEnd;
  if (fold) for (let k = start; k < end; k++) if (pool[k]! >= 0x80) return ASK;
  const n = literal.length;
  const len = end - start;
  if (n > len || (place === 'all' && n !== len)) return NO;
  if (place === 'start' || place === 'all') return sameAt(pool, start, literal, fold) ? found : NO;
  if (place === 'end') return sameAt(pool, end - n, literal, fold) ? found : NO;
  if (n === 0) return found;
  const first = literal[0]!;
  for (let k = start; k <= end - n; k++) {
    let b = pool[k]!;
    if (fold && b >= 65 && b <= 90) b += 32;
    if (b === first && sameAt(pool, k, literal, fold)) return found;
  }
  return NO;
}

/** Returns true when `pool` holds `literal` at `k` (A–Z read as a–z when `fold`). */
function sameAt(pool: Uint8Array, k: number, literal: Uint8Array, fold: boolean): boolean {
  for (let j = 0; j < literal.length; j++) {
    let b = pool[k + j]!;
    if (fold && b >= 65 && b <= 90) b += 32;
    if (b !== literal[j]) return false;
  }
  return true;
}

/** A name test bound to one tree: the bytes first, the expression where they cannot decide. */
type Ready = (node: number) => boolean;

function ready(fs: MergedFilesystem, { re, mark }: NameTest): Ready {
  if (!mark) return (node) => re.test(fs.nameOf(node));
  return (node) => {
    const m = mark(fs, node);
    return m === YES || (m === ASK && re.test(fs.nameOf(node)));
  };
}

/** The paths present as of one layer in depth-first preorder (children by when first written):
 * each row's node, its parent's row, and the row after its last descendant (so a walk can skip a
 * whole subtree). */
export interface PathIndex {
  nodes: Int32Array;
  parents: Int32Array;
  ends: Int32Array;
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
  // Pairs (node, parent row); a node's children are pushed last first, so they pop in order.
  const stack: number[] = [];
  const pushChildren = (node: number, row: number) => {
    const from = stack.length;
    for (let c = fs.firstChildOf(node); c >= 0; c = fs.nextSiblingOf(c))
      if (existsAt(fs, c, l)) stack.push(c, row);
    for (let a = from, b = stack.length - 2; a < b; a += 2, b -= 2) {
      const c = stack[a]!;
      stack[a] = stack[b]!;
      stack[b] = c;
    }
  };
  pushChildren(0, -1);
  while (stack.length > 0) {
    const parentRow = stack.pop()!;
    const node = stack.pop()!;
    if (count === nodes.length) {
      const n = new Int32Array(count * 2);
      n.set(nodes);
      nodes = n;
      const p = new Int32Array(count * 2);
      p.set(parents);
      parents = p;
    }
    nodes[count] = node;
    parents[count] = parentRow;
    pushChildren(node, count++);
  }
  const ends = new Int32Array(count);
  for (let i = count - 1; i >= 0; i--) {
    if (ends[i]! < i + 1) ends[i] = i + 1;
    const p = parents[i]!;
    if (p >= 0 && ends[p]! < ends[i]!) ends[p] = ends[i]!;
  }
  const index = {
    nodes: nodes.slice(0, count),
    parents: parents.slice(0, count),
    ends,
    count,
    ms: performance.now() - t0,
  };
  byLayer.set(l, index);
  return index;
}

/** Returns true when the paths of layer l are indexed already. */
export function indexed(fs: MergedFilesystem, l: number): boolean {
  return indexes.get(fs)?.has(l) ?? false;
}

/** Returns the regular-file bytes of a node as of layer l, or -1 when it is no regular file. */
export function fileSizeAt(fs: MergedFilesystem, node: number, l: number): number {
  const e = eventAt(fs, node, l);
  const entry = fs.ev.entry(e);
  if (entry < 0) return -1;
  const listing = fs.layers[fs.ev.layer(e)]!;
  return listing.type(entry) === 'file' ? listing.size(entry) : -1;
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
  const fresh = !indexed(fs, l);
  const index = pathIndex(fs, l);
  const t0 = performance.now();
  const hits: FileHit[] = [];
  let matching = 0;
  const found = (row: number, path: string | null) => {
    matching++;
    if (hits.length >= limit) return;
    const node = index.nodes[row]!;
    hits.push({ node, path: path ?? fs.pathOf(node), size: Math.max(0, fileSizeAt(fs, node, l)) });
  };
  const steps = query.steps;
  if (steps?.kind === 'glob') walkGlob(fs, index, steps.segments, (row) => found(row, null));
  else if (steps?.kind === 'text') walkText(fs, index, steps.parts, (row) => found(row, null));
  else {
    const { nodes, parents, count } = index;
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

/** Walks the rows with, per row, the set of glob positions the path down to it reaches (bit j:
 * the first j segments matched); a row whose set holds the end is a hit. The subtree of a row
 * with no position left is skipped. */
function walkGlob(
  fs: MergedFilesystem,
  { nodes, parents, ends, count }: PathIndex,
  segments: readonly (NameTest | null)[],
  hit: (row: number) => void,
): void {
  const m = segments.length;
  const star = segments.map((s) => s === null);
  const tests = segments.map((s) => (s ? ready(fs, s) : null));
  // A `**` may match no component: reaching it reaches the position after it too.
  const close = (set: number) => {
    for (let j = 0; j < m; j++) if (set & (1 << j) && star[j]) set |= 1 << (j + 1);
    return set;
  };
  const root = close(1);
  const sets = new Int32Array(count);
  for (let i = 0; i < count;) {
    const p = parents[i]!;
    const before = p < 0 ? root : sets[p]!;
    let set = 0;
    for (let j = 0; j < m; j++) {
      if (!(before & (1 << j))) continue;
      if (star[j]) set |= 1 << j;
      else if (tests[j]!(nodes[i]!)) set |= 1 << (j + 1);
    }
    set = close(set);
    sets[i] = set;
    if (set & (1 << m)) hit(i);
    // Nothing below a row with no position left can match.
    i = set === 0 ? ends[i]! : i + 1;
  }
}

/** Walks the rows for a text of parts p0/p1/…/pk: bit j of a row says its name ends the text's
 * parts 0..j (p0 at the end of an earlier name, the middle ones whole, pk at the start of this
 * one); a row that ends them all, and every row below it, is a hit. */
function walkText(
  fs: MergedFilesystem,
  { nodes, parents, ends, count }: PathIndex,
  parts: readonly NameTest[],
  hit: (row: number) => void,
): void {
  const m = parts.length;
  const tests = parts.map((p) => ready(fs, p));
  const sets = new Int32Array(count);
  for (let i = 0; i < count;) {
    const p = parents[i]!;
    const before = p < 0 ? 0 : sets[p]!;
    const node = nodes[i]!;
    let set = tests[0]!(node) ? 1 : 0;
    for (let j = 1; j < m; j++) if (before & (1 << (j - 1)) && tests[j]!(node)) set |= 1 << j;
    if (set & (1 << (m - 1))) {
      // This row completes the text: it and everything below it match.
      const end = ends[i]!;
      for (; i < end; i++) hit(i);
      continue;
    }
    sets[i] = set;
    i++;
  }
}
