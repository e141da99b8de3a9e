import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { ArchiveError } from '../../../src/lib/errors.ts';
import { inspectSource } from '../../../src/lib/inspect.ts';
import { FIXTURES } from '../../support/paths.ts';

const fixtures = FIXTURES;
/** FUZZ_RUNS=5000 npm run test:unit for a longer search; a few hundred cases by default. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

const inputs = [
  ...readdirSync(fixtures).filter((f) => /\.tar(\.gz)?$/.test(f)),
  ...readdirSync(fixtures + 'bad')
    .filter((f) => /\.tar(\.gz)?$/.test(f))
    .map((f) => `bad/${f}`),
].map((name) => ({ name, bytes: new Uint8Array(readFileSync(fixtures + name)) }));

/** Opens mutated bytes; returns 'report' or 'error', failing the test on anything untyped or slow. */
async function open(bytes: Uint8Array): Promise<'report' | 'error'> {
  // Each case is bounded by its input: a few seconds is ample for archives this size.
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('inspect did not finish: a loop?')), 5_000),
  );
  try {
    const report = await Promise.race([inspectSource(bytesSource(bytes, 'fuzz.tar')), timeout]);
    expect(report.schema).toBe('stevedore.report/v1');
    expect(report.images.length).toBeGreaterThan(0);
    return 'report';
  } catch (error) {
    if (error instanceof ArchiveError) {
      expect(error.message.length).toBeGreaterThan(0);
      return 'error';
    }
    throw error;
  }
}

describe('hostile bytes give a report or a typed error, never a crash or a hang', () => {
  for (const { name, bytes } of inputs) {
    it(`${name}: truncated anywhere`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), async (cut) => {
          await open(bytes.slice(0, cut));
        }),
        { numRuns: RUNS },
      );
    });

    it(`${name}: random bytes flipped`, async () => {
      const flip = fc.record({
        at: fc.nat(bytes.length - 1),
        mask: fc.integer({ min: 1, max: 255 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(flip, { minLength: 1, maxLength: 8 }), async (flips) => {
          const copy = bytes.slice();
          for (const { at, mask } of flips) copy[at]! ^= mask;
          await open(copy);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('random garbage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4096 }), async (bytes) => {
        expect(await open(bytes)).toBe('error');
      }),
      { numRuns: RUNS * 5 },
    );
  });

  it('garbage behind a valid gzip header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 2048 }), async (tail) => {
        const bytes = new Uint8Array([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, ...tail]);
        expect(await open(bytes)).toBe('error');
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
