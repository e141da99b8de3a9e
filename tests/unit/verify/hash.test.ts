import { describe, expect, it } from 'vitest';
import { nodeEngine } from '../../../src/cli/node-hash.ts';
import {
  WHOLE_LIMIT,
  browserEngine,
  createWasmSha256,
  hashStream,
  webCryptoSha256,
} from '../../../src/lib/verify/hash.ts';

const encoder = new TextEncoder();
const MILLION_A = new Uint8Array(1_000_000).fill(0x61);
// FIPS 180-2 known answers.
const KNOWN: [string, Uint8Array, string][] = [
  ['empty', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  [
    'abc',
    encoder.encode('abc'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  ],
  ['a × 10^6', MILLION_A, 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
];

function pieces(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, (at += size)));
    },
  });
}

describe('SHA-256 engines', () => {
  for (const [name, bytes, hex] of KNOWN) {
    it(`know the answer for ${name}`, async () => {
      const wasm = await createWasmSha256();
      for (let at = 0; at < bytes.length; at += 65_537)
        wasm.update(bytes.subarray(at, at + 65_537));
      expect(wasm.digest()).toBe(`sha256:${hex}`);
      expect(await webCryptoSha256(bytes)).toBe(`sha256:${hex}`);
      const node = await nodeEngine.create();
      node.update(bytes);
      expect(node.digest()).toBe(`sha256:${hex}`);
      expect(await nodeEngine.digest(bytes)).toBe(`sha256:${hex}`);
    });
  }

  it('reuse hash-wasm instances without carrying state over', async () => {
    const first = await createWasmSha256();
    first.update(encoder.encode('not this'));
    first.digest();
    const second = await createWasmSha256();
    second.update(encoder.encode('abc'));
    expect(second.digest()).toBe(`sha256:${KNOWN[1]![2]}`);
  });

  it('use WebCrypto for whole blobs up to 512 KiB in the browser engine, never in Node', () => {
    expect(WHOLE_LIMIT).toBe(512 * 1024);
    expect(browserEngine.wholeLimit).toBe(WHOLE_LIMIT);
    expect(nodeEngine.wholeLimit).toBe(0);
  });
});

describe('hashStream', () => {
  it('hashes a stream, reporting the bytes read so far', async () => {
    const seen: number[] = [];
    const result = await hashStream(pieces(MILLION_A, 300_000), {
      onProgress: (n) => seen.push(n),
    });
    expect(result).toEqual({ sha256: `sha256:${KNOWN[2]![2]}`, length: 1_000_000 });
    expect(seen).toEqual([300_000, 600_000, 900_000, 1_000_000]);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const stream = pieces(MILLION_A, 100_000);
    const hashing = hashStream(stream, {
      signal: controller.signal,
      onProgress: (n) => n >= 200_000 && controller.abort(new Error('stop')),
    });
    await expect(hashing).rejects.toThrow('stop');
  });
});

describe('outside a secure context', () => {
  it('hashes whole blobs with hash-wasm where WebCrypto is missing', async () => {
    const subtle = Object.getOwnPropertyDescriptor(globalThis.crypto, 'subtle');
    Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true });
    try {
      expect(globalThis.crypto.subtle).toBeUndefined();
      expect(await browserEngine.digest(encoder.encode('abc'))).toBe(`sha256:${KNOWN[1]![2]}`);
    } finally {
      if (subtle) Object.defineProperty(globalThis.crypto, 'subtle', subtle);
      else delete (globalThis.crypto as { subtle?: unknown }).subtle;
    }
    expect(globalThis.crypto.subtle).toBeDefined();
  });
});
