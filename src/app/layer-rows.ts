/**
 * Layers meet their history: the config's history steps joined to the manifest's layers, in
 * order, each step that made no layer (`empty_layer`) a row of its own. Pure, tested in Node.
 */
import type { HistoryEntry, LayerReport, ManifestReport } from '../lib/report/model.ts';

/** One row of the layer table: a layer with the step that made it, or a step with no layer. */
export type LayerRow =
  | { kind: 'layer'; index: number; layer: LayerReport; step: HistoryEntry | null }
  | { kind: 'step'; step: HistoryEntry };

/** The rows, and whether the history could be joined to the layers at all. */
export interface LayerRows {
  rows: LayerRow[];
  /** False where the history's steps with a layer are not as many as the layers: then no
   * instruction is put next to any layer (it could be the wrong one). */
  joined: boolean;
}

/** Returns a manifest's layers with their history steps, in the config's order. */
export function layerRows(manifest: ManifestReport): LayerRows {
  const { history, layers } = manifest;
  const made = history.filter((h) => !h.emptyLayer).length;
  if (made !== layers.length || history.length === 0) {
    const rows = layers.map((layer, index): LayerRow => ({
      kind: 'layer',
      index,
      layer,
      step: null,
    }));
    return { rows, joined: history.length === 0 && layers.length === 0 };
  }
  const rows: LayerRow[] = [];
  let index = 0;
  for (const step of history) {
    if (step.emptyLayer) rows.push({ kind: 'step', step });
    else {
      rows.push({ kind: 'layer', index, layer: layers[index]!, step });
      index++;
    }
  }
  return { rows, joined: true };
}

/** Returns the instruction a step shows: its Dockerfile line, else what made it, else null. */
export function instructionText(step: HistoryEntry | null): string | null {
  if (step === null) return null;
  return step.dockerfile.trim() || step.createdBy?.trim() || null;
}
