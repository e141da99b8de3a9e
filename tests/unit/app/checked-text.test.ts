import { describe, expect, it } from 'vitest';
import { checkedText } from '../../../src/app/verify-view.ts';

const figures = (storedBytes: number, elapsedMs: number) => ({
  storedBytes,
  elapsedMs,
  decodedBytes: 0,
  decodeMs: 0,
});

describe('checkedText', () => {
  it('says what a finished run checked and how long it took', () => {
    expect(checkedText(figures(2_700_000, 912))).toBe('Checked 2.7 MB in 0.9 s');
    expect(checkedText(figures(413, 12))).toBe('Checked 413 B in 0.0 s');
    expect(checkedText(figures(1_073_743_360, 125_000))).toBe('Checked 1.1 GB in 2 min 5 s');
  });
});
