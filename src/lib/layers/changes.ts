/**
 * What each layer changed, path by path: added, modified, metadata-only (same content, other
 * mode or owner: the chmod/chown copy dive#684 is about), rewritten unchanged, or deleted (by a
 * whiteout, an opaque whiteout, or a non-directory replacing a directory), with sizes.
 * Modification times are not compared: every rewrite has a new one, as dive also ignores.
 */
import type { LayerListing } from './listing.ts';
import { ABSENT, Cause, IMPLICIT, type MergedFilesystem } from './merge.ts';

/** How a path changed in a layer. `rewritten`: written again, content not hashed on one side
 * (same size and attributes), so whether it changed is unknown. */
export type ChangeKind = 'added' | 'modified' | 'metadata' | 'unchanged' | 'rewritten' | 'deleted';

/** All change kinds, in display order. */
export const CHANGE_KINDS: readonly ChangeKind[] = [
  'added',
  'modified',
  'metadata',
  'unchanged',
  'rewritten',
  'deleted',
];

/** Why a path was deleted. */
export type DeleteCause = 'whiteout' | 'opaque' | 'replaced';

/** One path a layer touched. */
export interface Change {
  node: number;
  layer: number;
  kind: ChangeKind;
  /** The entry in this layer's listing; IMPLICIT for an implied directory, ABSENT if deleted. */
  entry: number;
  /** The state just below: its layer and entry, or null when the path did not exist. */
  before: { layer: number; entry: number } | null;
  /** Regular-file bytes: the new copy's, or for a deletion the removed copy's. */
  size: number;
  cause: DeleteCause | null;
}

/** Counts and regular-file bytes per kind for one layer. */
export interface LayerChangeSummary {
  layer: number;
  count: Record<ChangeKind, number>;
  bytes: Record<ChangeKind, number>;
  /** Deletions by cause (whiteout, opaque, replaced). */
  deletedBy: Record<DeleteCause, number>;
}

/** Returns the bytes a listing entry stores: a regular file's size, else 0 (hard links count
 * once, at their target). */
export function fileBytes(listing: LayerListing, i: number): number {
  return i >= 0 && listing.type(i) === 'file' ? listing.size(i) : 0;
}

/** Returns how entry j of `b` differs from entry i of `a` that it replaced. */
export function compareEntries(
  a: LayerListing,
  i: number,
  b: LayerListing,
  j: number,
): 'unchanged' | 'metadata' | 'modified' | 'rewritten' {
  const type = a.type(i);
  if (type !== b.type(j)) return 'modified';
  const sameMeta = a.mode(i) === b.mode(j) && a.uid(i) === b.uid(j) && a.gid(i) === b.gid(j);
  if (type === 'file') {
    if (a.size(i) !== b.size(j)) return 'modified';
    if (!a.hasHash(i) || !b.hasHash(j)) return 'rewritten';
    if (!a.sameHash(i, b, j)) return 'modified';
  } else if (type === 'symlink' || type === 'hardlink') {
    if (a.linkTarget(i) !== b.linkTarget(j)) return 'modified';
  }
  return sameMeta ? 'unchanged' : 'metadata';
}

const CAUSES: Record<number, DeleteCause> = {
  [Cause.Whiteout]: 'whiteout',
  [Cause.Opaque]: 'opaque',
  [Cause.Replaced]: 'replaced',
};

/** Returns every path layer l touched, in the order the merge met them. */
export function* layerChanges(fs: MergedFilesystem, l: number): Generator<Change> {
  const end = l + 1 < fs.layerStart.length ? fs.layerStart[l + 1]! : fs.ev.count;
  const listing = fs.layers[l]!;
  for (let e = fs.layerStart[l]!; e < end; e++) {
    const node = fs.ev.node(e);
    const entry = fs.ev.entry(e);
    const p = fs.ev.prev(e);
    const was = node === 0 || fs.ev.present(p);
    const pEntry = fs.ev.entry(p);
    const below = p >= 0 && pEntry >= 0 ? fs.layers[fs.ev.layer(p)]! : null;
    const before = p >= 0 && was ? { layer: fs.ev.layer(p), entry: pEntry } : null;
    let kind: ChangeKind;
    let size: number;
    if (entry === ABSENT) {
      if (!was) continue; // removed and never there: nothing changed
      kind = 'deleted';
      size = below ? fileBytes(below, pEntry) : 0;
    } else {
      size = entry >= 0 ? fileBytes(listing, entry) : 0;
      if (!was) kind = 'added';
      else if (below && entry >= 0) kind = compareEntries(below, pEntry, listing, entry);
      else {
        // One side is an implied directory (or the root no entry named): only its type is known.
        const dirBefore = !below || below.type(pEntry) === 'dir';
        const dirAfter = entry === IMPLICIT || listing.type(entry) === 'dir';
        if (!dirBefore || !dirAfter) kind = 'modified';
        else kind = entry === IMPLICIT ? 'unchanged' : 'metadata';
      }
    }
    yield {
      node,
      layer: l,
      kind,
      entry,
      before,
      size,
      cause: entry === ABSENT ? (CAUSES[fs.ev.cause(e)] ?? null) : null,
    };
  }
}

/** Returns layer l's change counts and bytes per kind. */
export function summarizeLayer(fs: MergedFilesystem, l: number): LayerChangeSummary {
  const zero = () =>
    Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  const s: LayerChangeSummary = {
    layer: l,
    count: zero(),
    bytes: zero(),
    deletedBy: { whiteout: 0, opaque: 0, replaced: 0 },
  };
  for (const c of layerChanges(fs, l)) {
    s.count[c.kind]++;
    s.bytes[c.kind] += c.size;
    if (c.cause) s.deletedBy[c.cause]++;
  }
  return s;
}
