import { describe, expect, it } from 'vitest';
import { BAD, verifyFile } from './helpers.ts';

const DIFF_ID = 'sha256:3748aa4da5231fb4c92ca9b7e6d225b0cd685da2306565d5379ac7195f3b2f39';

describe('decompression bombs', () => {
  it('verifies the 1 GiB gzip bomb correctly, the process growing by less than 200 MB', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = () => void (peak = Math.max(peak, process.memoryUsage().rss));
    const timer = setInterval(sample, 50);
    try {
      const { verification } = await verifyFile(BAD + 'oci-gzip-bomb-1GiB.tar', {
        onProgress: sample,
      });
      expect(verification.status).toBe('ok');
      expect(verification.checks.find((c) => c.kind === 'diff-id')).toMatchObject({
        expected: DIFF_ID,
        actual: DIFF_ID,
        ok: true,
      });
    } finally {
      clearInterval(timer);
    }
    expect(peak - before).toBeLessThan(200e6);
  }, 120_000);
});
