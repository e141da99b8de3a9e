/**
 * The space figures side by side: Stevedore's shadowed bytes (each hidden copy by class and by
 * the layers that added and hid it) and dive's own figures (efficiency, wasted bytes, wasted
 * user percent, inefficient files) with "reclaimable", and why they differ, in one sentence
 * carrying the numbers. Pure.
 */
import { diveAnalysis, type DiveAnalysis } from '../../lib/layers/dive.ts';
import type { MergedFilesystem } from '../../lib/layers/merge.ts';
import { SHADOW_CLASSES, type ShadowClass, type SpaceSummary } from '../../lib/layers/space.ts';
import { peopleSize } from '../summary-view.ts';

/** How each class of hidden copy reads. */
export const CLASS_TEXT: Record<ShadowClass, string> = {
  deleted: 'deleted by a later layer',
  identical: 'written again, same content',
  metadata: 'written again for a mode or owner change only',
  modified: 'replaced by other content',
  rewritten: 'written again, content not compared',
};

/** One class's line: copies and bytes. */
export interface ClassLine {
  cls: ShadowClass;
  text: string;
  copies: number;
  bytes: number;
}

/** Returns the classes that hold any copy, in display order. */
export function classLines(space: SpaceSummary): ClassLine[] {
  return SHADOW_CLASSES.map((cls) => ({
    cls,
    text: CLASS_TEXT[cls],
    ...space.byClass[cls],
  })).filter((c) => c.copies > 0);
}

/** Returns a share as a percentage with one decimal: `98.4 %`. */
export function percent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : 'not defined';
}

/** dive's figures, as shown. */
export interface DiveView {
  analysis: DiveAnalysis;
  efficiency: string;
  wastedUserPercent: string;
  /** Why Stevedore's shadowed bytes and dive's wasted bytes differ here, with the numbers. */
  why: string;
}

/** Returns dive's figures for the merged layers, and the sentence on why they differ. */
export function diveView(fs: MergedFilesystem, space: SpaceSummary): DiveView {
  const analysis = diveAnalysis(fs.layers);
  const why =
    `dive counts as wasted every copy of a path written in two layers or more, the copy still in ` +
    `use included (${peopleSize(analysis.wastedBytes)} here), and does not apply opaque ` +
    `whiteouts; "reclaimable" leaves out the smallest copy of each such path ` +
    `(${peopleSize(analysis.reclaimableBytes)}); Stevedore's shadowed bytes count only the copies ` +
    `the final filesystem hides, whiteouts of both kinds applied ` +
    `(${peopleSize(space.shadowedBytes)}).`;
  return {
    analysis,
    efficiency: percent(analysis.efficiency),
    wastedUserPercent: percent(analysis.wastedUserPercent),
    why,
  };
}
