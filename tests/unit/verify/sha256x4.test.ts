// The multi-buffer SHA-256 (src/lib/verify/sha256x4.ts over src/lib/archive/wasm/sha256x4.c)
// against node:crypto and hash-wasm: known answers, every padding boundary, lanes of different
// lengths fed in different pieces and finishing at different times, a lane that waits.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWasmSha256 } from '../../../src/lib/verify/hash.ts';
import { LANES, Sha256x4 } from '../../../src/lib/verify/sha256x4.ts';
import { noise as bytesOf } from '../../support/legacy.ts';

const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const encoder = new TextEncoder();

/** Returns a pseudo-random integer in [0, n) from `state` (advanced). */
function next(state: { x: number }, n: number): number {
  state.x ^= state.x << 13;
  state.x ^= state.x >>> 17;
  state.x ^= state.x << 5;
  return (state.x >>> 0) % n;
}

// FIPS 180-4 examples (NIST's SHA256.pdf) and the million a's of FIPS 180-2.
const NIST: [string, Uint8Array, string][] = [
  ['""', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  [
    '"abc"',
    encoder.encode('abc'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  ],
  [
    'the 448-bit message',
    encoder.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
  [
    'the 896-bit message',
    encoder.encode(
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
    ),
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
  ],
  [
    'a × 10^6',
    new Uint8Array(1_000_000).fill(0x61),
    'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  ],
];

describe('Sha256x4', () => {
  it('knows the NIST answers, in every lane at once and in one lane alone', async () => {
    const x4 = await Sha256x4.create();
    for (const [, bytes, hex] of NIST) {
      const lanes = Array.from({ length: LANES }, () => x4.lane()!);
      // The same message in four lanes, each in pieces of its own size.
      lanes.forEach((lane, i) => {
        const piece = [1, 63, 64, 65_537][i]!;
        for (let at = 0; at < bytes.length || at === 0; at += piece) {
          lane.update(bytes.subarray(at, at + piece));
          if (bytes.length === 0) break;
        }
      });
      for (const lane of lanes) expect(lane.digest()).toBe(`sha256:${hex}`);
      const one = x4.lane()!;
      one.update(bytes);
      expect(one.digest()).toBe(`sha256:${hex}`);
    }
  });

  it('pads every length around the block boundaries, four different lengths at a time', async () => {
    const x4 = await Sha256x4.create();
    const lengths = [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 191, 192, 193];
    for (let i = 0; i < lengths.length; i++) {
      const messages = Array.from({ length: LANES }, (_, l) =>
        bytesOf(lengths[(i + l) % lengths.length]!, 7 * i + l + 1),
      );
      const lanes = messages.map(() => x4.lane()!);
      messages.forEach((m, l) => lanes[l]!.update(m));
      // Finished in an order of their own, not that of the lanes.
      for (const l of [2, 0, 3, 1]) expect(lanes[l]!.digest()).toBe(sha(messages[l]!));
    }
  });

  it('agrees with node:crypto and hash-wasm on random lengths, pieces and finishing times', async () => {
    const x4 = await Sha256x4.create();
    const rng = { x: 0x2545f491 };
    for (let round = 0; round < 40; round++) {
      const messages = Array.from({ length: LANES }, (_, l) =>
        bytesOf(next(rng, 10_001), round * LANES + l + 1),
      );
      const lanes = messages.map(() => x4.lane()!);
      const at = messages.map(() => 0);
      const open = new Set(messages.keys());
      // Feed a random lane a random piece (sometimes empty) until each ends; a lane whose
      // message is done is finished at once, while the others are still being fed.
      while (open.size > 0) {
        const l = [...open][next(rng, open.size)]!;
        const m = messages[l]!;
        const piece = next(rng, 4) === 0 ? 0 : 1 + next(rng, 3000);
        lanes[l]!.update(m.subarray(at[l]!, at[l]! + piece));
        at[l] = Math.min(m.length, at[l]! + piece);
        if (at[l] === m.length && next(rng, 2) === 0) {
          const wasm = await createWasmSha256();
          wasm.update(m);
          const digest = lanes[l]!.digest();
          expect(digest).toBe(sha(m));
          expect(digest).toBe(wasm.digest());
          open.delete(l);
        }
      }
    }
  });

  it('lets the other lanes go on while one waits, and keeps its state meanwhile', async () => {
    const x4 = await Sha256x4.create();
    const waiting = x4.lane()!;
    const first = bytesOf(1000, 1);
    waiting.update(first);
    // Three lanes given far more than a lane's input area (4 MiB) while the first gets nothing.
    const big = Array.from({ length: 3 }, (_, i) => bytesOf(9 << 20, i + 2));
    const busy = big.map(() => x4.lane()!);
    for (let at = 0; at < 9 << 20; at += 1 << 20)
      busy.forEach((lane, i) => lane.update(big[i]!.subarray(at, at + (1 << 20))));
    busy.forEach((lane, i) => expect(lane.digest()).toBe(sha(big[i]!)));
    const rest = bytesOf(5000, 9);
    waiting.update(rest);
    const whole = new Uint8Array(6000);
    whole.set(first);
    whole.set(rest, 1000);
    expect(waiting.digest()).toBe(sha(whole));
  });

  it('keeps a lane ahead of the others right when its input area wraps', async () => {
    const x4 = await Sha256x4.create();
    const [ahead, behind] = [x4.lane()!, x4.lane()!];
    const a = bytesOf(11 << 20, 21);
    const b = bytesOf(5 << 20, 22);
    // `ahead` is given 3 MiB, `behind` 1 MiB (so 1 MiB of each goes), then `ahead` 2 MiB more:
    // its area's end is reached with 2 MiB still waiting, which move back to the start.
    const pieces: [typeof ahead, Uint8Array][] = [
      [ahead, a.subarray(0, 3 << 20)],
      [behind, b.subarray(0, 1 << 20)],
      [ahead, a.subarray(3 << 20, 5 << 20)],
      [behind, b.subarray(1 << 20, 5 << 20)],
      [ahead, a.subarray(5 << 20)],
    ];
    for (const [lane, piece] of pieces)
      for (let at = 0; at < piece.length; at += 777_777)
        lane.update(piece.subarray(at, at + 777_777));
    expect(behind.digest()).toBe(sha(b));
    expect(ahead.digest()).toBe(sha(a));
  });

  it('gives at most four lanes, and a released or finished lane to the next message', async () => {
    const x4 = await Sha256x4.create();
    const lanes = Array.from({ length: LANES }, () => x4.lane()!);
    expect(x4.free).toBe(0);
    expect(x4.lane()).toBeNull();
    lanes[1]!.update(bytesOf(100_000, 3));
    lanes[1]!.release();
    lanes[2]!.digest();
    expect(x4.free).toBe(2);
    expect(() => lanes[2]!.update(new Uint8Array(1))).toThrow('finished');
    // A new message on a lane a released one left: no byte of the old one in it.
    const again = x4.lane()!;
    again.update(encoder.encode('abc'));
    expect(again.digest()).toBe(`sha256:${NIST[1]![2]}`);
    // The lanes still open were not disturbed.
    lanes[0]!.update(encoder.encode('abc'));
    expect(lanes[0]!.digest()).toBe(`sha256:${NIST[1]![2]}`);
    expect(lanes[3]!.digest()).toBe(`sha256:${NIST[0]![2]}`);
  });
});
