import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFailure, readFailure } from '../../../src/lib/verify/checks.ts';
import { FLIPPED_LAYER, gzipFlippedFixture } from '../../support/gzip-flipped.ts';
import { verifyFile } from './helpers.ts';

// What Chromium's DecompressionStream makes a failed write say (seen in the page before this).
const CHROMIUM_WRITE =
  "Failed to execute 'write' on 'WritableStreamDefaultWriter': The compressed data was not valid";

describe('a decoding that fails says what is wrong with the layer, never the browser internals', () => {
  it('names the stream and the reason in plain words', () => {
    expect(decodeFailure('gzip', 'incorrect data check')).toBe(
      'not a valid gzip stream: its checksum does not match its data',
    );
    expect(decodeFailure('gzip', 'invalid distance too far back')).toBe(
      'not a valid gzip stream: its compressed data is damaged',
    );
    expect(decodeFailure('zstd', 'unexpected EOF')).toBe(
      'not a valid zstd stream: it ends before its end marker',
    );
  });

  it("drops a browser's own wording", () => {
    const said = decodeFailure('gzip', CHROMIUM_WRITE);
    expect(said).toBe('not a valid gzip stream: its data could not be decoded');
    expect(said).not.toMatch(/Failed to execute|Writable/);
    expect(readFailure("Failed to execute 'read' on 'ReadableStreamDefaultReader'")).not.toMatch(
      /Failed to execute/,
    );
    expect(readFailure('entry "x" is cut short')).toBe('entry "x" is cut short');
  });

  describe('a real layer with a byte of its deflate data changed', () => {
    let dir = '';
    let file = '';
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'stevedore-flip-'));
      file = path.join(dir, 'flipped.tar');
      await writeFile(file, await gzipFlippedFixture());
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('fails its digest and says its gzip stream is not valid', async () => {
      const { verification, jobs } = await verifyFile(file);
      expect(verification.status).toBe('failed');
      const failed = verification.checks.filter((c) => !c.ok);
      expect(failed.map((c) => [c.kind, c.target])).toEqual([
        ['blob-digest', FLIPPED_LAYER],
        ['diff-id', FLIPPED_LAYER],
      ]);
      expect(failed[1]!.message).toMatch(
        /^layer 1 sha256:00bd\S+ of linux\/amd64 is not a valid gzip stream: [a-z ]+; its diff_id sha256:\S+ is not checked$/,
      );
      const line = jobs.find((j) => j.targets.includes(FLIPPED_LAYER))!;
      expect(line.state).toBe('mismatch');
      expect(line.detail).not.toMatch(/Failed to execute|TypeError/);
    });
  });
});
