/** The space figures on dive's test image: dive's own expectations for that file, and ours. */
import { describe, expect, it } from 'vitest';
import { classLines, diveView, percent } from '../../../src/app/files/space-view.ts';
import { peopleSize } from '../../../src/app/summary-view.ts';
import { spaceSummary } from '../../../src/lib/layers/space.ts';
import { fixtureFs } from './support.ts';

describe('space view', () => {
  it("gives dive's figures for its test image beside the shadowed bytes, and why they differ", async () => {
    const fs = await fixtureFs('dive-test-docker-image.tar');
    const space = spaceSummary(fs);
    const d = diveView(fs, space);
    expect(d.analysis.efficiency).toBe(0.9844212134184309);
    expect(d.analysis.wastedBytes).toBe(32_025);
    expect(d.efficiency).toBe('98.4 %');
    expect(d.wastedUserPercent).toBe('48.3 %');
    expect(
      d.analysis.inefficientFiles.slice(0, 3).map((f) => [f.path, f.count, f.cumulativeSize]),
    ).toEqual([
      ['/root/example/somefile1.txt', 2, 12_810],
      ['/root/saved.txt', 2, 12_810],
      ['/root/example/somefile3.txt', 2, 6_405],
    ]);
    expect(d.why).toContain(`(${peopleSize(32_025)} here)`);
    expect(d.why).toContain(`(${peopleSize(space.shadowedBytes)}).`);
    expect(d.why).toContain(`(${peopleSize(d.analysis.reclaimableBytes)})`);
    const lines = classLines(space);
    expect(lines.map((l) => l.cls)).toEqual(['deleted', 'metadata']);
    expect(lines.reduce((n, l) => n + l.bytes, 0)).toBe(space.shadowedBytes);
    expect(percent(Number.NaN)).toBe('not defined');
  });
});
