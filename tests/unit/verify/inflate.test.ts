import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  YIELD_MS,
  breather,
  createDecoder,
  decoderModules,
} from '../../../src/lib/verify/inflate.ts';

describe('decoders give the event loop a turn', () => {
  it('a breather yields only once YIELD_MS has passed, and then on a fresh task', async () => {
    const breathe = breather(20);
    expect(breathe()).toBeUndefined();
    const until = performance.now() + 25;
    while (performance.now() < until) {
      // busy, as a decoder is
    }
    const turn = breathe();
    expect(turn).toBeInstanceOf(Promise);
    await turn;
    expect(breathe()).toBeUndefined(); // not due again yet
    expect(YIELD_MS).toBe(50);
  });

  it('a long inflate lets a timer run before it ends (a worker can be stopped at once)', async () => {
    // 64 MiB of zeros, ~64 KB of gzip, and a sink that spends 2 ms on each piece it gets (at
    // most 1 MiB): decoding takes well over YIELD_MS however fast the inflate is.
    const total = 64 << 20;
    const gz = gzipSync(new Uint8Array(total), { level: 9 });
    let decoded = 0;
    // A task from elsewhere, as the message that stops a worker is.
    let timerFired = false;
    let firedMidway = false;
    const decoder = createDecoder(
      'gzip',
      (data) => {
        decoded += data.length;
        if (timerFired && decoded < total) firedMidway = true;
        for (const start = performance.now(); performance.now() - start < 2; );
      },
      await decoderModules(),
    );
    setTimeout(() => (timerFired = true), 0);
    await decoder.push(gz);
    await decoder.end();
    expect(decoded).toBe(total);
    expect(firedMidway).toBe(true);
  });
});
