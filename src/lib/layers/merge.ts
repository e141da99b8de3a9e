/**
 * The merged filesystem of one platform, applied layer by layer as OCI `layer.md` says:
 * `.wh.<name>` removes the lower `<name>` and everything under it, `.wh..wh..opq` hides every
 * lower child of its directory wherever it sits in the layer (whiteouts of a layer are applied
 * before its other entries, and only to lower layers), a non-directory replacing a directory
 * removes its children, and whiteouts never appear in the result.
 *
 * Every path ever written is one node of a trie; each node keeps a short chain of events, one per
 * layer that touched it (present with an entry, present as an implied directory, or absent), so
 * the tree as of any layer, "which layer last wrote it" and "added / changed / deleted by N" are
 * read from the chains. Each living directory also keeps a linked list of its living children, so
 * removing a subtree visits only what is alive: every removal pays for one earlier addition, and
 * the whole merge is linear in the entries (`operations` counts the steps, for tests).
 */
import { decodeName, fit, type LayerListing } from './listing.ts';
import { freed, resized } from './columns.ts';
import { cleanPath, componentsOf } from './path.ts';
import { Events, ABSENT, IMPLICIT, Cause } from './merge-events.ts';

/** Children a directory may have and still be walked by a lookup after the merge. */
const SMALL_DIRECTORY = 16;

export { ABSENT, IMPLICIT, Cause } from './merge-events.ts';

/** Something the merge had to decide about a layer. */
export type MergeNoteKind =
  | 'whiteout-missing'
  | 'hardlink-target-missing'
  | 'parent-not-directory'
  | 'duplicate-entry'
  | 'too-many-layers';

/** Odd entries of one kind in one layer: how many, and the first one's path. */
export interface MergeNote {
  layer: number;
  kind: MergeNoteKind;
  count: number;
  example: string;
}

/** An entry hidden within its own layer: by a later entry of the same path, or (later = ABSENT)
 * by a later non-directory replacing its parent directory. */
export interface Duplicate {
  node: number;
  layer: number;
  earlier: number;
  later: number;
}

/** Layers one merge applies (event layers are 16-bit). */
export const MAX_LAYERS = 65_535;

/** Returns the merged filesystem of the listings, lowest layer first. */
export function mergeLayers(listings: readonly LayerListing[]): MergedFilesystem {
  const applied = listings.slice(0, MAX_LAYERS);
  // Nodes at most: one per entry, and one per component of each listing's directories (those
  // made implicitly); arrays sized to it once are not grown by doubling, then copied to trim.
  let expected = 1;
  let nameBytes = 0;
  for (const listing of applied) {
    expected += listing.count;
    for (let d = 0; d < listing.dirCount; d++) {
      const parts = componentsOf(listing.dirById(d));
      expected += parts.length;
      for (const part of parts) nameBytes += 4 + 3 * part.length;
    }
  }
  const fs = new MergedFilesystem(applied, expected, nameBytes);
  if (listings.length > MAX_LAYERS) fs.note(MAX_LAYERS, 'too-many-layers', '');
  for (let l = 0; l < fs.layers.length; l++) fs.apply(l);
  fs.finish();
  return fs;
}

/** The merged filesystem: a trie of every path ever written, with per-layer events. Nodes are
 * columns of typed arrays (no object or string per node): a node's name is the base name of the
 * listing entry that made it, read in that listing's pool (6 bytes a node, not a second copy of
 * every name), or for a directory only implied by its children's paths, in a small pool of the
 * merge's own; children are a linked list per node, and while merging one open-addressing table
 * finds the child of a name (let go by `finish()`: a lookup afterwards walks the children). */
export class MergedFilesystem {
  /** Steps taken (node visits and state changes); linear in the entries. */
  operations = 0;
  readonly ev: Events;
  readonly duplicates: Duplicate[] = [];
  private readonly noteMap = new Map<string, MergeNote>();
  private nodes = 1;
  private parent: Int32Array;
  // Node n's name: entry nameRef[n] of listing nameLayer[n] made it; a negative nameRef is -1 -
  // where its length (4 bytes, little-endian) and then its bytes sit in `own` (implied
  // directories). The root's is empty.
  private nameRef: Int32Array;
  private nameLayer: Uint16Array;
  private own: Uint8Array;
  private ownUsed = 0;
  // Where the name of the node asked last by `locate` is: pool[at .. end).
  private at = 0;
  private end = 0;
  // Every child ever written, in the order first met: a list per node (newest first while
  // merging, turned round by finish(): no array of last children).
  private firstChild: Int32Array;
  private nextSibling: Int32Array;
  // (parent, name) → node, by open addressing (-1: empty slot); at most half full. Empty once
  // the merge is finished.
  private table: Int32Array;
  // Living children as doubly linked lists, so removals never walk the dead (merge time only,
  // made at the first removal: a merge that removes nothing, as of a single layer, never pays
  // their 12 bytes a node).
  private firstAlive = new Int32Array(0);
  private nextAlive = new Int32Array(0);
  private prevAlive = new Int32Array(0);
  private tracking = false;
  private last: Int32Array;
  private finished = false;
  // The seed of the name hash, drawn for each merge: names crafted to collide under a hash an
  // attacker can compute would make every insertion walk a cluster (n² steps).
  private readonly seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
  // After the merge: the tables of the big directories looked into (see `walk`).
  private readonly childTables = new Map<number, Int32Array>();
  private scratch = new Uint8Array(256);
  private readonly encoder = new TextEncoder();
  // Each layer's name pool and ends of names (LayerListing.namePool, nameEnds): read for every
  // node's name, a million times a search.
  private readonly namePools: Uint8Array[];
  private readonly nameEnds: Uint32Array[];
  /** Events of layer l are `layerStart[l] .. layerStart[l+1]`. */
  readonly layerStart: number[] = [];

  /** `expected`: about how many nodes the merge will make, and `nameBytes` the bytes of their
   * names (the arrays start that big, not grown by doubling and copying). */
  constructor(
    readonly layers: readonly LayerListing[],
    expected = 1024,
    nameBytes = 4096,
  ) {
    const cap = Math.max(1024, Math.min(expected, 1 << 30));
    const empty = () => new Int32Array(cap).fill(-1);
    this.parent = empty();
    this.nameRef = new Int32Array(cap);
    this.nameLayer = new Uint16Array(cap);
    this.own = new Uint8Array(Math.max(4096, Math.min(nameBytes, 2 ** 31)));
    this.firstChild = empty();
    this.nextSibling = empty();
    let slots = 2048;
    while (slots < 2 * cap) slots *= 2;
    this.table = new Int32Array(slots).fill(-1);
    this.last = empty();
    this.ev = new Events(cap);
    this.namePools = layers.map((l) => l.namePool);
    this.nameEnds = layers.map((l) => l.nameEnds);
  }

  /** Returns the notes, one per (layer, kind). */
  get notes(): MergeNote[] {
    return [...this.noteMap.values()];
  }
  /** Returns the number of nodes (every path ever written, and the root). */
  get nodeCount(): number {
    return this.nodes;
  }
  /** Returns the bytes the structure holds (its arrays and the event log). */
  get byteLength(): number {
    return (
      this.parent.byteLength +
      this.nameRef.byteLength +
      this.nameLayer.byteLength +
      this.own.byteLength +
      this.firstChild.byteLength +
      this.nextSibling.byteLength +
      this.table.byteLength +
      this.firstAlive.byteLength +
      this.nextAlive.byteLength +
      this.prevAlive.byteLength +
      this.last.byteLength +
      this.ev.byteLength
    );
  }
  /** Returns the index of a node's newest event, or -1. */
  lastEvent(node: number): number {
    return this.last[node]!;
  }
  /** Returns a node's parent (-1 for the root). */
  parentOf(node: number): number {
    return this.parent[node]!;
  }
  /** Returns a node's last path component. */
  nameOf(node: number): string {
    const pool = this.locate(node);
    return decodeName(pool, this.at, this.end);
  }
  /** Returns the pool holding a node's name as UTF-8 (`nameStartOf(n) .. nameEndOf(n)` in it),
   * for readers that compare names without making strings (the search). */
  namePoolOf(node: number): Uint8Array {
    return this.locate(node);
  }
  /** Returns where a node's name starts in `namePoolOf(node)`. */
  nameStartOf(node: number): number {
    this.locate(node);
    return this.at;
  }
  /** Returns where a node's name ends in `namePoolOf(node)`. */
  nameEndOf(node: number): number {
    this.locate(node);
    return this.end;
  }

  /** Returns where the name of the node last given to `namePoolOf` starts in its pool (the
   * search reads a million names: one lookup of the node each). */
  get spanStart(): number {
    return this.at;
  }
  /** Returns where the name of the node last given to `namePoolOf` ends in its pool. */
  get spanEnd(): number {
    return this.end;
  }

  /** Returns the pool holding a node's name, its place in it set in `at` .. `end`. */
  private locate(node: number): Uint8Array {
    if (node === 0) {
      this.at = this.end = 0;
      return this.own;
    }
    const ref = this.nameRef[node]!;
    if (ref >= 0) {
      const l = this.nameLayer[node]!;
      const ends = this.nameEnds[l]!;
      this.at = ref === 0 ? 0 : ends[ref - 1]!;
      this.end = ends[ref]!;
      return this.namePools[l]!;
    }
    const own = this.own;
    const k = -1 - ref;
    this.at = k + 4;
    this.end = this.at + (own[k]! | (own[k + 1]! << 8) | (own[k + 2]! << 16) | (own[k + 3]! << 24));
    return own;
  }
  /** Returns a node's path (`''` for the root). */
  pathOf(node: number): string {
    const parts: string[] = [];
    for (let n = node; n > 0; n = this.parent[n]!) parts.push(this.nameOf(n));
    return parts.reverse().join('/');
  }
  /** Returns every child node ever written under a node (alive or not at any layer). */
  childrenOf(node: number): number[] {
    const out: number[] = [];
    for (let c = this.firstChild[node]!; c >= 0; c = this.nextSibling[c]!) out.push(c);
    return out;
  }
  /** Returns the first child ever written under a node, or -1 (then `nextSiblingOf`): walks the
   * children without an array. */
  firstChildOf(node: number): number {
    return this.firstChild[node]!;
  }
  /** Returns the child written after this one under the same parent, or -1. */
  nextSiblingOf(node: number): number {
    return this.nextSibling[node]!;
  }
  /** Returns the children alive after the top layer, unordered. */
  aliveChildren(node: number): number[] {
    const out: number[] = [];
    for (let c = this.firstChild[node]!; c >= 0; c = this.nextSibling[c]!)
      if (this.alive(c)) out.push(c);
    return out;
  }
  /** Returns the node of a path (cleaned first), or -1 when no layer ever wrote it. */
  lookup(path: string): number {
    return this.find(cleanPath(path).path);
  }
  /** Returns the child of a node named `name` (one path component), or -1 when no layer ever
   * wrote it: a path walked one step at a time, not looked up again from the root at each. */
  childNamed(node: number, name: string): number {
    this.operations++;
    return this.named(node, name, false);
  }
  /** Returns true when a node is present after the top layer. */
  alive(node: number): boolean {
    return node === 0 || this.ev.present(this.last[node]!);
  }

  /** Trims every array to what the merge used and lets go of what only merging needs; no layer
   * can be applied afterwards. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const n = this.nodes;
    this.parent = fit(this.parent, n);
    this.nameRef = fit(this.nameRef, n);
    this.nameLayer = fit(this.nameLayer, n);
    this.own = fit(this.own, this.ownUsed);
    this.firstChild = fit(this.firstChild, n);
    this.nextSibling = fit(this.nextSibling, n);
    this.last = fit(this.last, n);
    // What only merging needs goes now, not at the next collection: megabytes in a big image.
    for (const a of [this.table, this.firstAlive, this.nextAlive, this.prevAlive]) freed(a);
    this.table = new Int32Array(0);
    this.firstAlive = this.nextAlive = this.prevAlive = new Int32Array(0);
    // Each node's children were put first as met: turn every list round, oldest first.
    const first = this.firstChild;
    const next = this.nextSibling;
    for (let p = 0; p < n; p++) {
      let prev = -1;
      for (let c = first[p]!; c >= 0;) {
        const after = next[c]!;
        next[c] = prev;
        prev = c;
        c = after;
      }
      first[p] = prev;
    }
    this.scratch = new Uint8Array(256);
    this.ev.trim();
  }

  /** Adds one to the (layer, kind) note. */
  note(layer: number, kind: MergeNoteKind, path: string): void {
    const key = `${layer}\0${kind}`;
    const seen = this.noteMap.get(key);
    if (seen) seen.count++;
    else this.noteMap.set(key, { layer, kind, count: 1, example: path.slice(0, 200) });
  }

  /** Applies layer l: its whiteouts against the layers below, then its entries in order. */
  apply(l: number): void {
    if (this.finished) throw new Error('the merge is finished: no layer can be applied');
    const listing = this.layers[l]!;
    this.layerStart[l] = this.ev.count;
    for (let i = 0; i < listing.count; i++) {
      const role = listing.role(i);
      if (role !== 'whiteout' && role !== 'opaque') continue;
      const path = listing.path(i);
      const base = listing.base(i);
      const target =
        role === 'opaque'
          ? listing.dir(i)
          : path.slice(0, path.length - base.length) + base.slice(4);
      const node = this.find(target);
      if (node < 0 || !this.aliveBefore(node, l)) {
        this.note(l, 'whiteout-missing', path);
        continue;
      }
      if (role === 'whiteout') this.remove(node, l, Cause.Whiteout);
      else if (this.isDir(node)) this.removeChildren(node, l, Cause.Opaque);
    }
    const dirNode = new Int32Array(listing.dirCount).fill(-1);
    for (let i = 0; i < listing.count; i++) {
      const role = listing.role(i);
      if (role === 'ignored') continue;
      const d = listing.dirId(i);
      let dir = dirNode[d]!;
      if (dir < 0 || !this.alive(dir) || !this.isDir(dir)) {
        dir = this.makeDirs(componentsOf(listing.dirById(d)), l);
        dirNode[d] = dir;
      }
      // A whiteout's directory now exists (as an extractor's MkdirAll makes it); the hiding was
      // done above, and the marker itself never appears.
      if (role !== 'change') continue;
      const from = listing.baseStart(i);
      const to = listing.baseEnd(i);
      const node = from === to ? 0 : this.child(dir, listing.namePool, from, to, true, l, i);
      if (listing.type(i) === 'hardlink') {
        const t = this.find(listing.linkTarget(i) ?? '');
        if (t < 0 || !this.alive(t)) this.note(l, 'hardlink-target-missing', listing.path(i));
      }
      const e = this.last[node]!;
      if (this.alive(node) && node !== 0) {
        if (this.ev.layer(e) === l && this.ev.entry(e) >= 0) {
          this.note(l, 'duplicate-entry', listing.path(i));
        }
        if (listing.type(i) !== 'dir' && this.isDir(node)) {
          this.removeChildren(node, l, Cause.Replaced);
        }
      }
      this.set(node, l, i, Cause.Entry);
    }
  }

  /** Returns true when a node was present before layer l's own entries. */
  private aliveBefore(node: number, l: number): boolean {
    const e = this.ev.before(this.last[node]!, l);
    return node === 0 || this.ev.present(e);
  }

  /** Returns true when a living node is a directory (explicit or implied). */
  isDir(node: number): boolean {
    if (node === 0) return true;
    const e = this.last[node]!;
    const entry = this.ev.entry(e);
    return (
      entry === IMPLICIT || (entry >= 0 && this.layers[this.ev.layer(e)]!.type(entry) === 'dir')
    );
  }

  /** Returns the node of a cleaned path, or -1. */
  private find(path: string): number {
    let n = 0;
    for (const c of componentsOf(path)) {
      this.operations++;
      n = this.named(n, c, false);
      if (n < 0) return -1;
    }
    return n;
  }

  /** Makes every component of a directory path a living directory; returns the last node. */
  private makeDirs(parts: string[], l: number): number {
    let n = 0;
    for (const part of parts) {
      n = this.named(n, part, true);
      if (this.alive(n) && this.isDir(n)) continue;
      if (this.alive(n)) this.note(l, 'parent-not-directory', this.pathOf(n));
      this.set(n, l, IMPLICIT, Cause.Implicit);
    }
    return n;
  }

  /** Returns the child of a node by name given as a string (see `child`). */
  private named(node: number, name: string, create: boolean): number {
    const need = name.length * 3;
    if (need > this.scratch.length) this.scratch = new Uint8Array(need);
    const { written } = this.encoder.encodeInto(name, this.scratch);
    return this.child(node, this.scratch, 0, written, create);
  }

  /** Returns the child node of the name `bytes[from..to)` (UTF-8), creating it (not alive) when
   * new and `create`, else -1. A name from entry `entry` of layer `layer`'s listing (`bytes` its
   * pool) is read there afterwards; any other (-1) is copied into the merge's own pool. */
  private child(
    node: number,
    bytes: Uint8Array,
    from: number,
    to: number,
    create: boolean,
    layer = -1,
    entry = -1,
  ): number {
    if (create) this.operations++;
    if (this.finished) return this.walk(node, bytes, from, to);
    const mask = this.table.length - 1;
    let slot = hashName(this.seed, node, bytes, from, to) & mask;
    for (let c = this.table[slot]!; c >= 0; c = this.table[slot]!) {
      if (this.parent[c] === node && this.sameName(c, bytes, from, to)) return c;
      slot = (slot + 1) & mask;
      this.operations++;
    }
    if (!create) return -1;
    const c = this.nodes++;
    if (c >= this.parent.length) this.grow();
    this.parent[c] = node;
    if (entry >= 0) {
      this.nameRef[c] = entry;
      this.nameLayer[c] = layer;
    } else {
      const len = to - from;
      if (this.ownUsed + 4 + len > this.own.length)
        this.own = resized(this.own, Math.max(this.ownUsed + 4 + len, this.own.length * 2));
      const own = this.own;
      let at = this.ownUsed;
      this.nameRef[c] = -1 - at;
      own[at++] = len & 0xff;
      own[at++] = (len >>> 8) & 0xff;
      own[at++] = (len >>> 16) & 0xff;
      own[at++] = len >>> 24;
      for (let k = from; k < to; k++) own[at++] = bytes[k]!;
      this.ownUsed = at;
    }
    this.nextSibling[c] = this.firstChild[node]!;
    this.firstChild[node] = c;
    this.table[slot] = c;
    if (2 * this.nodes > this.table.length) this.rehash();
    return c;
  }

  /** Returns the child of a node named `bytes[from..to)`, or -1, once the merge is finished and
   * its table let go (megabytes; lookups afterwards are few): by walking the children of a small
   * directory, through a table of its own for a big one (`childTable`), so that a lookup of
   * each child of a directory of n (a package's file each) is not n² steps. */
  private walk(node: number, bytes: Uint8Array, from: number, to: number): number {
    const table = this.childTables.get(node) ?? this.childTable(node);
    if (!table) {
      for (let c = this.firstChild[node]!; c >= 0; c = this.nextSibling[c]!) {
        this.operations++;
        if (this.sameName(c, bytes, from, to)) return c;
      }
      return -1;
    }
    const mask = table.length - 1;
    let slot = hashName(this.seed, node, bytes, from, to) & mask;
    for (let c = table[slot]!; c >= 0; c = table[slot]!) {
      this.operations++;
      if (this.sameName(c, bytes, from, to)) return c;
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /** Returns a table of a directory's children by name (open addressing, at most half full),
   * made now and kept, or null for a directory of few children (walked instead). Only the
   * directories looked into get one: 8 bytes or so a child of those. */
  private childTable(node: number): Int32Array | null {
    let count = 0;
    for (let c = this.firstChild[node]!; c >= 0; c = this.nextSibling[c]!) count++;
    this.operations += count;
    if (count <= SMALL_DIRECTORY) return null;
    let slots = 16;
    while (slots < 2 * count) slots *= 2;
    const table = new Int32Array(slots).fill(-1);
    const mask = slots - 1;
    for (let c = this.firstChild[node]!; c >= 0; c = this.nextSibling[c]!) {
      const pool = this.locate(c);
      let slot = hashName(this.seed, node, pool, this.at, this.end) & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = c;
    }
    this.childTables.set(node, table);
    return table;
  }

  /** Returns true when node c's name is `bytes[from..to)`. */
  private sameName(c: number, bytes: Uint8Array, from: number, to: number): boolean {
    const pool = this.locate(c);
    const start = this.at;
    if (this.end - start !== to - from) return false;
    for (let k = 0; k < to - from; k++) if (pool[start + k] !== bytes[from + k]) return false;
    return true;
  }

  /** Doubles the name table and places every node again. */
  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let c = 1; c < this.nodes; c++) {
      const pool = this.locate(c);
      let slot = hashName(this.seed, this.parent[c]!, pool, this.at, this.end) & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = c;
    }
    this.table = table;
  }

  /** Removes a node and every living descendant at layer l. */
  private remove(node: number, l: number, cause: Cause): void {
    this.removeChildren(node, l, cause);
    this.set(node, l, ABSENT, cause);
  }

  /** Removes every living descendant of a node at layer l (iteratively: paths can be deep). */
  private removeChildren(node: number, l: number, cause: Cause): void {
    this.track();
    const stack: number[] = [];
    for (let c = this.firstAlive[node]!; c >= 0; c = this.nextAlive[c]!) stack.push(c);
    while (stack.length > 0) {
      const n = stack.pop()!;
      for (let c = this.firstAlive[n]!; c >= 0; c = this.nextAlive[c]!) stack.push(c);
      this.set(n, l, ABSENT, cause);
    }
  }

  /** Sets a node's state at layer l: one event per (node, layer), updated in place. */
  private set(node: number, l: number, entry: number, cause: Cause): void {
    this.operations++;
    const wasAlive = this.alive(node);
    const e = this.last[node]!;
    if (node !== 0 || entry >= 0) {
      if (e >= 0 && this.ev.layer(e) === l) {
        // The same path again in this layer: an entry it replaces is hidden right here.
        const earlier = this.ev.entry(e);
        if (earlier >= 0) this.duplicates.push({ node, layer: l, earlier, later: entry });
        this.ev.update(e, entry, cause);
      } else this.last[node] = this.ev.push(node, l, entry, cause, e);
    }
    const nowAlive = this.alive(node);
    if (!this.tracking || node === 0 || wasAlive === nowAlive) return;
    const p = this.parent[node]!;
    if (nowAlive) {
      const head = this.firstAlive[p]!;
      this.nextAlive[node] = head;
      this.prevAlive[node] = -1;
      if (head >= 0) this.prevAlive[head] = node;
      this.firstAlive[p] = node;
    } else {
      const prev = this.prevAlive[node]!;
      const next = this.nextAlive[node]!;
      if (prev >= 0) this.nextAlive[prev] = next;
      else this.firstAlive[p] = next;
      if (next >= 0) this.prevAlive[next] = prev;
      this.nextAlive[node] = this.prevAlive[node] = -1;
    }
  }

  /** Makes the lists of living children, from every node alive now, the first time a removal
   * needs them (one pass over the nodes); set() keeps them from then on. */
  private track(): void {
    if (this.tracking) return;
    this.tracking = true;
    const cap = this.parent.length;
    this.firstAlive = new Int32Array(cap).fill(-1);
    this.nextAlive = new Int32Array(cap).fill(-1);
    this.prevAlive = new Int32Array(cap).fill(-1);
    for (let c = 1; c < this.nodes; c++) {
      if (!this.alive(c)) continue;
      const p = this.parent[c]!;
      const head = this.firstAlive[p]!;
      this.nextAlive[c] = head;
      if (head >= 0) this.prevAlive[head] = c;
      this.firstAlive[p] = c;
    }
  }

  private grow(): void {
    const cap = this.parent.length * 2;
    const g = (a: Int32Array) => {
      const b = new Int32Array(cap).fill(-1);
      b.set(a);
      return b;
    };
    this.parent = g(this.parent);
    this.firstChild = g(this.firstChild);
    this.nextSibling = g(this.nextSibling);
    if (this.tracking) {
      this.firstAlive = g(this.firstAlive);
      this.nextAlive = g(this.nextAlive);
      this.prevAlive = g(this.prevAlive);
    }
    this.last = g(this.last);
    this.nameRef = resized(this.nameRef, cap);
    this.nameLayer = resized(this.nameLayer, cap);
  }
}

/** Returns a 32-bit hash of a parent node and a name's bytes under `seed` (FNV-1a from the seed, then
 * mixed). */
export function hashName(
  seed: number,
  parent: number,
  bytes: Uint8Array,
  from: number,
  to: number,
): number {
  let h = Math.imul(parent ^ seed, 0x01000193);
  for (let k = from; k < to; k++) h = Math.imul(h ^ bytes[k]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}
