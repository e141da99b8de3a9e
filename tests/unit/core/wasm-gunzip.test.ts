// The zlib WebAssembly inflate measured by tests/bench/inflate.ts (issue 15): its committed bytes
// are the recorded ones (and, where clang-14 is installed, the build script gives them again),
// and it inflates or refuses gzip streams as zlib should.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WasmGunzip, WasmGunzipError } from '../../../src/lib/verify/wasm/gunzip.ts';

const wasmPath = new URL('../../../src/lib/verify/wasm/gunzip.wasm', import.meta.url);
const WASM_SHA256 = '68d521bcf864a6d4c2e544c87edfeb3d7e826f397c2f83c4ce3bb3a014049ca1';
const module = new WebAssembly.Module(readFileSync(wasmPath));

/** Inflates `input` fed in `piece`-byte pieces; returns the output's sha256 or the failure kind. */
function gunzip(input: Uint8Array, piece = 7): string {
  const out: Buffer[] = [];
  try {
    const g = new WasmGunzip(module, (chunk) => out.push(Buffer.from(chunk)));
    for (let at = 0; at < input.length; at += piece) g.push(input.subarray(at, at + piece));
    g.finish();
    return sha(Buffer.concat(out));
  } catch (error) {
    if (error instanceof WasmGunzipError) return error.kind;
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
  it('is the committed build', () => {
    expect(createHash('sha256').update(readFileSync(wasmPath)).digest('hex')).toBe(WASM_SHA256);
  });

  it.skipIf(!existsSync('/usr/bin/clang-14') || !existsSync('/usr/lib/wasm32-wasi/libc.a'))(
    'is rebuilt byte for byte by scripts/build-wasm-gunzip.sh (skipped: needs clang-14 and wasi-libc, which CI lacks)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'stevedore-wasm-'));
      try {
        const out = join(dir, 'gunzip.wasm');
        execFileSync('scripts/build-wasm-gunzip.sh', [out], { stdio: 'ignore' });
        expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(WASM_SHA256);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );

  it('inflates one member, in small pieces and in large ones', () => {
    expect(gunzip(gzipSync(text), 7)).toBe(sha(text));
    expect(gunzip(gzipSync(big), 1 << 20)).toBe(sha(big));
  });

  it('inflates every member of a multi-member stream', () => {
    const two = Buffer.concat([gzipSync(text), gzipSync(big)]);
    expect(gunzip(two, 4096)).toBe(sha(Buffer.concat([text, big])));
  });

  it('refuses a stream cut short, junk after the end, and bytes that are not gzip', () => {
    const z = gzipSync(big);
    expect(gunzip(z.subarray(0, z.length - 3))).toBe('truncated');
    expect(gunzip(z.subarray(0, z.length >> 1), 1000)).toBe('truncated');
    expect(gunzip(Buffer.concat([z, Buffer.from('junk')]))).toBe('junk');
    expect(gunzip(Buffer.from('this is not gzip at all'))).toBe('invalid');
  });

  it('refuses a member whose CRC-32 is wrong', () => {
    const z = Buffer.from(gzipSync(text));
    z[z.length - 8]! ^= 0xff; // the trailer's CRC-32
    expect(gunzip(z)).toBe('invalid');
  });
});
