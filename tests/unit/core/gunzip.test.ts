// The project's one gzip inflate, zlib 1.2.13 in WebAssembly (src/lib/archive/gunzip.ts; its
// build: wasm-build.test.ts): it inflates or refuses gzip streams as zlib (Node's) does, saying
// what is wrong in zlib's words.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Gunzip, GzipError, gunzipModule } from '../../../src/lib/archive/gunzip.ts';

const module = await gunzipModule();

/** Inflates `input` fed in `piece`-byte pieces; returns the output's sha256, or the GzipError's
 * fault and message. */
function gunzip(input: Uint8Array, piece = 7): string {
  const out: Buffer[] = [];
  try {
    const g = new Gunzip(module, (chunk) => out.push(Buffer.from(chunk)));
    for (let at = 0; at < input.length; at += piece) g.push(input.subarray(at, at + piece));
    g.finish();
    return sha(Buffer.concat(out));
  } catch (error) {
    if (error instanceof GzipError) return `${error.fault}: ${error.message}`;
    throw error;
  }
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const text = Buffer.from('stevedore '.repeat(50_000));
const noise = createHash('sha512').update('seed').digest();
const big = Buffer.concat(
  Array.from({ length: 40_000 }, (_, i) => Buffer.from([...noise.subarray(0, 20), i & 255])),
);

describe('the zlib WebAssembly gunzip', () => {
  it('inflates one member, in small pieces and in large ones', () => {
    expect(gunzip(gzipSync(text), 7)).toBe(sha(text));
    expect(gunzip(gzipSync(big), 1 << 20)).toBe(sha(big));
  });

  it('inflates every member of a multi-member stream, with empty members', () => {
    const two = Buffer.concat([gzipSync(text), gzipSync(Buffer.alloc(0)), gzipSync(big)]);
    expect(gunzip(two, 4096)).toBe(sha(Buffer.concat([text, big])));
    expect(gunzip(two, 1)).toBe(sha(gunzipSync(two)));
  });

  it('refuses a stream cut short, junk after the end, and bytes that are not gzip', () => {
    const z = gzipSync(big);
    const cut = 'truncated: the gzip stream ends early: the data is cut short';
    expect(gunzip(z.subarray(0, z.length - 3))).toBe(cut);
    expect(gunzip(z.subarray(0, z.length >> 1), 1000)).toBe(cut);
    expect(gunzip(z.subarray(0, 0))).toBe(cut);
    expect(gunzip(Buffer.concat([z, Buffer.from('junk')]))).toBe(
      'trailing: not a valid gzip stream: junk after the end of the compressed data',
    );
    expect(gunzip(Buffer.concat([z, Buffer.alloc(512)]))).toMatch(/^trailing: /);
    expect(gunzip(Buffer.from('this is not gzip at all'))).toBe(
      'invalid: not a valid gzip stream: incorrect header check',
    );
  });

  it('refuses a member whose CRC-32 or length is wrong', () => {
    const z = Buffer.from(gzipSync(text));
    const crc = Buffer.from(z);
    crc[crc.length - 8]! ^= 0xff;
    expect(gunzip(crc)).toBe('invalid: not a valid gzip stream: incorrect data check');
    const size = Buffer.from(z);
    size[size.length - 1]! ^= 0xff;
    expect(gunzip(size)).toBe('invalid: not a valid gzip stream: incorrect length check');
  });

  it('calls a corrupt second member invalid, not junk after the first', () => {
    const second = Buffer.from(gzipSync(big));
    second[second.length - 8]! ^= 0xff; // its CRC-32
    expect(gunzip(Buffer.concat([gzipSync(text), second]))).toBe(
      'invalid: not a valid gzip stream: incorrect data check',
    );
    const flags = Buffer.from(gzipSync(big));
    flags[3] = 0xe0; // reserved header flags
    expect(gunzip(Buffer.concat([gzipSync(text), flags]))).toBe(
      'invalid: not a valid gzip stream: unknown header flags set',
    );
  });

  it('inflates a bomb with flat memory: output comes in views of one reused buffer', () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20), { level: 9 }); // 64 MiB of zeros, ~64 KB
    const buffers = new Set<ArrayBufferLike>();
    let out = 0;
    let largest = 0;
    const g = new Gunzip(module, (chunk) => {
      buffers.add(chunk.buffer);
      out += chunk.length;
      largest = Math.max(largest, chunk.length);
    });
    g.push(bomb);
    g.finish();
    expect(out).toBe(64 << 20);
    expect(buffers.size).toBe(1);
    expect(largest).toBeLessThanOrEqual(1 << 20);
  });

  it('stops when its consumer throws, and refuses more input after finishing', () => {
    const g = new Gunzip(module, () => {
      throw new Error('enough');
    });
    expect(() => g.push(gzipSync(text))).toThrow('enough');
    g.cancel();
    const done = new Gunzip(module, () => {});
    done.push(gzipSync(text));
    done.finish();
    expect(() => done.push(gzipSync(text))).toThrow(/already finished/);
  });
});
