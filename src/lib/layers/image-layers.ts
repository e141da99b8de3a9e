/**
 * One platform's layers as the views show them: the merged filesystem of its listings, and a
 * row per layer joined with the history step that made it (history entries marked
 * `empty_layer` made none and are steps without a layer), with what each layer changed and the
 * space it stores or hides. A view of the image model and the listings verification produced;
 * reads nothing.
 */
import type { Digest, History, Layer } from '../oci/model.ts';
import { summarizeLayer, type LayerChangeSummary } from './changes.ts';
import type { LayerListing } from './listing.ts';
import { mergeLayers, type MergedFilesystem } from './merge.ts';
import { spaceSummary, type LayerSpace, type SpaceSummary } from './space.ts';

/** One step of the config's history, and the layer it made (null for an empty_layer step, or
 * past the manifest's layers). */
export interface HistoryStep extends History {
  index: number;
  layer: number | null;
}

/** One layer of the platform, for the layer table. */
export interface ImageLayerRow {
  /** 0 for the base layer. */
  index: number;
  digest: Digest | null;
  diffId: Digest | null;
  mediaType: string | null;
  /** Bytes as stored (compressed), from the manifest; null where it does not say. */
  size: number | null;
  /** Σ of the entries' header sizes (the unpacked size dive shows). */
  unpackedSize: number;
  entries: number;
  /** Regular files among the entries. */
  files: number;
  /** The history step that made it; null where the history does not reach it. */
  step: number | null;
  createdBy: string | null;
  changes: LayerChangeSummary;
  space: LayerSpace;
}

/** The layers of one platform, merged. */
export interface ImageLayers {
  fs: MergedFilesystem;
  layers: ImageLayerRow[];
  steps: HistoryStep[];
  space: SpaceSummary;
  /** Where history and layers disagree (counts that do not match). */
  notes: string[];
}

/** What the layer table needs of a manifest: its layers and its config's history. The model's
 * `Manifest` is one; so is a report's manifest (`{ layers, config: { history } }`). */
export interface LayeredManifest {
  layers: readonly Pick<Layer, 'digest' | 'diffId' | 'mediaType' | 'size'>[];
  config: { history: readonly History[] };
}

/** Layers whose listing is not at hand (not decoded, no diff_id): no merge without them. */
export interface MissingListings {
  missing: { layer: number; diffId: Digest | null }[];
}

/** Returns the listings of a manifest's layers, lowest first, from listings keyed by diff_id;
 * or which layers have none. */
export function listingsOf(
  manifest: LayeredManifest,
  byDiffId: ReadonlyMap<Digest, LayerListing>,
): LayerListing[] | MissingListings {
  const out: LayerListing[] = [];
  const missing: MissingListings['missing'] = [];
  manifest.layers.forEach((layer, i) => {
    const listing = layer.diffId ? byDiffId.get(layer.diffId) : undefined;
    if (listing) out.push(listing);
    else missing.push({ layer: i, diffId: layer.diffId });
  });
  return missing.length > 0 ? { missing } : out;
}

/** Returns the history steps with the layer each made: every step not marked empty_layer takes
 * the next layer, as Docker's `history` pairs them. */
export function joinHistory(history: readonly History[], layerCount: number): HistoryStep[] {
  let next = 0;
  return history.map((h, index) => {
    const layer = !h.emptyLayer && next < layerCount ? next++ : null;
    return { ...h, index, layer };
  });
}

/** Returns the merged filesystem and per-layer rows of a manifest, from listings keyed by
 * diff_id; or the layers whose listing is missing. `merge` may give a merge made already for
 * the same listings (a cache). */
export function imageLayers(
  manifest: LayeredManifest,
  byDiffId: ReadonlyMap<Digest, LayerListing>,
  merge: (listings: LayerListing[]) => MergedFilesystem = mergeLayers,
): ImageLayers | MissingListings {
  const listings = listingsOf(manifest, byDiffId);
  if (!Array.isArray(listings)) return listings;
  const fs = merge(listings);
  const space = spaceSummary(fs);
  const steps = joinHistory(manifest.config.history, listings.length);
  const stepOf = new Map(steps.filter((s) => s.layer !== null).map((s) => [s.layer!, s]));
  const notes: string[] = [];
  const made = steps.filter((s) => !s.emptyLayer).length;
  if (steps.length > 0 && made !== listings.length) {
    notes.push(
      `the history has ${made} step${made === 1 ? '' : 's'} that made a layer, the manifest ${listings.length} layer${listings.length === 1 ? '' : 's'}: steps and layers are paired in order as far as both go`,
    );
  }
  const layers = manifest.layers.map((layer, index): ImageLayerRow => {
    const listing = listings[index]!;
    let files = 0;
    for (let i = 0; i < listing.count; i++) if (listing.type(i) === 'file') files++;
    const step = stepOf.get(index) ?? null;
    return {
      index,
      digest: layer.digest,
      diffId: layer.diffId,
      mediaType: layer.mediaType,
      size: layer.size,
      unpackedSize: listing.totalSize,
      entries: listing.count,
      files,
      step: step?.index ?? null,
      createdBy: step?.createdBy ?? null,
      changes: summarizeLayer(fs, index),
      space: space.layers[index]!,
    };
  });
  return { fs, layers, steps, space, notes };
}

/** Returns true for a result that lacks listings. */
export function isMissing(r: ImageLayers | MissingListings | LayerListing[]): r is MissingListings {
  return !Array.isArray(r) && 'missing' in r;
}
