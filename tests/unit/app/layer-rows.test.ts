import { describe, expect, it } from 'vitest';
import type { HistoryEntry, LayerReport, ManifestReport } from '../../../src/lib/report/model.ts';
import { instructionText, layerRows } from '../../../src/app/layer-rows.ts';

const step = (dockerfile: string, emptyLayer = false): HistoryEntry => ({
  created: null,
  createdBy: null,
  emptyLayer,
  dockerfile,
});
const layer = (n: number): LayerReport => ({
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}`,
  size: n,
  mediaType: null,
  diffId: null,
  compression: 'gzip',
});
const manifest = (history: HistoryEntry[], layers: LayerReport[]) =>
  ({ history, layers }) as unknown as ManifestReport;

describe('layerRows', () => {
  it('puts each layer next to the step that made it, steps with no layer between', () => {
    const { rows, joined } = layerRows(
      manifest([step('ADD a /'), step('CMD ["sh"]', true), step('RUN b')], [layer(1), layer(2)]),
    );
    expect(joined).toBe(true);
    expect(
      rows.map((r) => (r.kind === 'layer' ? `${r.index}:${instructionText(r.step)}` : 'step')),
    ).toEqual(['0:ADD a /', 'step', '1:RUN b']);
  });

  it('pairs nothing when the steps that made a layer are not as many as the layers', () => {
    const { rows, joined } = layerRows(manifest([step('RUN a')], [layer(1), layer(2)]));
    expect(joined).toBe(false);
    expect(rows.every((r) => r.kind === 'layer' && r.step === null)).toBe(true);
  });
});
