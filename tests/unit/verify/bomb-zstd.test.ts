import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { VerifyReply } from '../../../workers/messages.ts';
import { handleRequest } from '../../../workers/verify-job.ts';
import { openBlobArchive, BAD } from './helpers.ts';
import { planVerification } from '../../../src/lib/verify/plan.ts';

const DIFF_ID = 'sha256:3748aa4da5231fb4c92ca9b7e6d225b0cd685da2306565d5379ac7195f3b2f39';

describe('decompression bombs', () => {
  it('verifies the 1 GiB zstd bomb in the worker job, the process growing by less than 200 MB', async () => {
    const path = BAD + 'oci-zstd-bomb-1GiB.tar';
    const { archive, report } = await openBlobArchive(path);
    const plan = await planVerification(archive, report);
    const layer = plan.blobs.find((b) => b.job.decode === 'zstd')!;
    const range = archive.blobRange(layer.entry)!;
    const replies: VerifyReply[] = [];
    const before = process.memoryUsage().rss;
    let peak = before;
    await handleRequest(
      { type: 'digest', id: 1, job: layer.job, ...range, blob: await openAsBlob(path) },
      (reply) => {
        peak = Math.max(peak, process.memoryUsage().rss);
        replies.push(reply);
      },
    );
    expect(peak - before).toBeLessThan(200e6);
    const progress = replies.filter((r) => r.type === 'progress');
    // Progress keeps coming while 33 KB decode to 1 GiB (the pool does not take it for dead):
    // several replies (twice a second), the first well before the end, each as far on or further.
    const decoded = progress.map((r) => r.bytesDecoded);
    expect(progress.length).toBeGreaterThan(2);
    expect(decoded[0]).toBeLessThan(0.75 * 2 ** 30);
    expect(decoded.every((d, i) => i === 0 || d >= decoded[i - 1]!)).toBe(true);
    expect(Math.max(...decoded)).toBeGreaterThan(500e6);
    expect(replies.slice(-2)).toEqual([
      {
        type: 'result',
        id: 1,
        result: {
          id: layer.job.id,
          sha256: 'sha256:a3b00fd264b2405767920bb4a623d7e1decbfe516ad12785090902c900a3c113',
          length: 33069,
          content: { format: 'zstd', sha256: DIFF_ID, length: 1073743360 },
        },
      },
      { type: 'done', id: 1 },
    ]);
  }, 120_000);
});
