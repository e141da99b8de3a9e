import { describe, expect, it } from 'vitest';
import { deal, parallelism } from '../../../tests/bench/schedule.ts';

describe('the benchmark deals blobs as the worker pool does', () => {
  it('gives the largest first, each to the lane with the fewest bytes', () => {
    const items = [5, 1, 9, 3, 4].map((size, i) => ({ size, i }));
    const lanes = deal(items, 2);
    expect(lanes.map((l) => l.map((x) => x.size))).toEqual([
      [9, 3],
      [5, 4, 1],
    ]);
  });

  it('says how far equal blobs let two workers go: twice one worker', () => {
    expect(parallelism(Array(8).fill(285), 2)).toBe(2);
  });

  it('says that one huge blob caps the run near one worker', () => {
    expect(parallelism([900, 50, 50], 2)).toBeCloseTo(1000 / 900);
    expect(parallelism([300, 200, 200, 100], 3)).toBeCloseTo(800 / 300);
  });

  it('counts no blobs as one worker, and more workers than blobs as the blobs allow', () => {
    expect(parallelism([], 2)).toBe(1);
    expect(parallelism([10, 10], 4)).toBe(2);
  });
});
