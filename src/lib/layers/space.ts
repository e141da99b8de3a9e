/**
 * Shadowed bytes: regular-file bytes stored in some layer that the final filesystem does not
 * show. Each hidden copy is attributed to the layer that added it and the layer that hid it, and
 * classified: deleted (whiteout, opaque whiteout, or a directory replaced), identical rewrite,
 * metadata-only rewrite (chmod/chown copies the whole file), modified, or rewritten with content
 * unknown. Every regular-file byte of every layer is exactly one of visible, shadowed or ignored
 * (whiteout markers and AUFS metadata), and a hard link stores nothing: its target counts once.
 *
 * This is the honest "wasted" number; dive's figures (dive.ts) differ: dive counts every copy of
 * a path written twice, the kept one too (dive#684), and ignores opaque whiteouts.
 */
import { compareEntries, fileBytes } from './changes.ts';
import { ABSENT, Cause, type Duplicate, type MergedFilesystem } from './merge.ts';

/** How a hidden copy was hidden. */
export type ShadowClass = 'deleted' | 'identical' | 'metadata' | 'modified' | 'rewritten';

/** All shadow classes, in display order. */
export const SHADOW_CLASSES: readonly ShadowClass[] = [
  'deleted',
  'identical',
  'metadata',
  'modified',
  'rewritten',
];

/** One stored copy the final filesystem does not show. */
export interface ShadowedCopy {
  node: number;
  addedBy: number;
  entry: number;
  hiddenBy: number;
  class: ShadowClass;
  bytes: number;
  /** For `deleted`: by a whiteout, an opaque whiteout, or a non-directory replacing a parent. */
  cause: 'whiteout' | 'opaque' | 'replaced' | null;
}

/** Bytes and copies per class. */
export type ClassTotals = Record<ShadowClass, { copies: number; bytes: number }>;

/** Per-layer space accounting. */
export interface LayerSpace {
  layer: number;
  /** Regular-file bytes the layer stores. */
  fileBytes: number;
  /** Of those, bytes a later layer (or a duplicate in this one) hides. */
  shadowedHere: number;
  /** Bytes of lower layers this layer hides. */
  hidesBelow: number;
}

/** The whole image's space accounting. */
export interface SpaceSummary {
  totalFileBytes: number;
  visibleBytes: number;
  shadowedBytes: number;
  /** Bytes of whiteout markers and AUFS metadata (never part of any filesystem). */
  ignoredBytes: number;
  byClass: ClassTotals;
  layers: LayerSpace[];
}

/** Returns every hidden copy holding at least one byte, in the order layers hid them. */
export function* shadowedCopies(fs: MergedFilesystem): Generator<ShadowedCopy> {
  const dupes = [...fs.duplicates];
  let d = 0;
  for (let e = 0; e < fs.ev.count; e++) {
    const l = fs.ev.layer(e);
    // Copies hidden by a duplicate in the same layer come with that layer's events.
    while (d < dupes.length && dupes[d]!.layer <= l) {
      const c = dupeCopy(fs, dupes[d++]!);
      if (c) yield c;
    }
    const p = fs.ev.prev(e);
    const pEntry = fs.ev.entry(p);
    if (pEntry < 0) continue;
    const below = fs.layers[fs.ev.layer(p)]!;
    const bytes = fileBytes(below, pEntry);
    if (bytes === 0) continue;
    const entry = fs.ev.entry(e);
    const node = fs.ev.node(e);
    if (entry === ABSENT) {
      const c = fs.ev.cause(e);
      const cause = c === Cause.Opaque ? 'opaque' : c === Cause.Replaced ? 'replaced' : 'whiteout';
      yield { ...copy(node, fs.ev.layer(p), pEntry, l, 'deleted', bytes), cause };
    } else {
      const cls = entry < 0 ? 'modified' : compareEntries(below, pEntry, fs.layers[l]!, entry);
      yield copy(node, fs.ev.layer(p), pEntry, l, cls, bytes);
    }
  }
  for (; d < dupes.length; d++) {
    const c = dupeCopy(fs, dupes[d]!);
    if (c) yield c;
  }
}

/** Returns the copy a same-layer rewrite hid, or null when it held no bytes. */
function dupeCopy(fs: MergedFilesystem, dup: Duplicate): ShadowedCopy | null {
  const { node, layer, earlier, later } = dup;
  const listing = fs.layers[layer]!;
  const bytes = fileBytes(listing, earlier);
  if (bytes === 0) return null;
  if (later === ABSENT)
    return { ...copy(node, layer, earlier, layer, 'deleted', bytes), cause: 'replaced' };
  const cls = later < 0 ? 'modified' : compareEntries(listing, earlier, listing, later);
  return copy(node, layer, earlier, layer, cls, bytes);
}

function copy(
  node: number,
  addedBy: number,
  entry: number,
  hiddenBy: number,
  cls: 'deleted' | 'unchanged' | 'metadata' | 'modified' | 'rewritten',
  bytes: number,
): ShadowedCopy {
  const c: ShadowClass = cls === 'unchanged' ? 'identical' : cls;
  return { node, addedBy, entry, hiddenBy, class: c, bytes, cause: null };
}

/** Returns the image's space accounting: visible, shadowed (by class and layer), ignored. */
export function spaceSummary(fs: MergedFilesystem): SpaceSummary {
  const layers: LayerSpace[] = fs.layers.map((_, layer) => ({
    layer,
    fileBytes: 0,
    shadowedHere: 0,
    hidesBelow: 0,
  }));
  let total = 0;
  let ignored = 0;
  fs.layers.forEach((listing, l) => {
    for (let i = 0; i < listing.count; i++) {
      const b = fileBytes(listing, i);
      total += b;
      layers[l]!.fileBytes += b;
      if (listing.role(i) !== 'change') ignored += b;
    }
  });
  const byClass = Object.fromEntries(
    SHADOW_CLASSES.map((k) => [k, { copies: 0, bytes: 0 }]),
  ) as ClassTotals;
  let shadowed = 0;
  for (const c of shadowedCopies(fs)) {
    shadowed += c.bytes;
    byClass[c.class].copies++;
    byClass[c.class].bytes += c.bytes;
    layers[c.addedBy]!.shadowedHere += c.bytes;
    if (c.hiddenBy !== c.addedBy) layers[c.hiddenBy]!.hidesBelow += c.bytes;
  }
  let visible = 0;
  for (let n = 0; n < fs.nodeCount; n++) {
    const e = fs.lastEvent(n);
    const entry = fs.ev.entry(e);
    if (entry >= 0) visible += fileBytes(fs.layers[fs.ev.layer(e)]!, entry);
  }
  return {
    totalFileBytes: total,
    visibleBytes: visible,
    shadowedBytes: shadowed,
    ignoredBytes: ignored,
    byClass,
    layers,
  };
}
