// The WebAssembly modules' committed bytes are the recorded ones, and, where clang-14 and
// wasi-libc are installed, scripts/build-wasm.sh gives the same files again from Debian's
// sources (CI lacks the toolchain and skips that part).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as gunzip from '../../../src/lib/archive/wasm/gunzip-wasm.ts';
import * as unzstd from '../../../src/lib/archive/wasm/unzstd-wasm.ts';
import * as sha256x4 from '../../../src/lib/archive/wasm/sha256x4-wasm.ts';

const modules = [
  {
    file: 'gunzip-wasm.ts',
    base64: gunzip.GUNZIP_WASM,
    said: gunzip.GUNZIP_WASM_SHA256,
    recorded: '79fdd5fb388416f81ef4a2ee252b430e037d55608cea7e04b506aaca0fd0286f',
  },
  {
    file: 'unzstd-wasm.ts',
    base64: unzstd.UNZSTD_WASM,
    said: unzstd.UNZSTD_WASM_SHA256,
    recorded: 'd77e87437faff71df3f668ae81a3c6e74e12a36d079248a1512b01d645cd8d9c',
  },
  {
    file: 'sha256x4-wasm.ts',
    base64: sha256x4.SHA256X4_WASM,
    said: sha256x4.SHA256X4_WASM_SHA256,
    recorded: 'b3eb6060d74c446336a629d63b30be6c9b9d1a23b95dfb1b5c16807e9c3e67d6',
  },
];
const dir = new URL('../../../src/lib/archive/wasm/', import.meta.url);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('the WebAssembly modules', () => {
  it.each(modules)('$file holds the recorded module, needing no imports', (m) => {
    const bytes = Buffer.from(m.base64, 'base64');
    expect(m.said).toBe(m.recorded);
    expect(sha(bytes)).toBe(m.recorded);
    expect(WebAssembly.Module.imports(new WebAssembly.Module(bytes))).toEqual([]);
  });

  it.skipIf(!existsSync('/usr/bin/clang-14') || !existsSync('/usr/lib/wasm32-wasi/libc.a'))(
    'are rebuilt byte for byte by scripts/build-wasm.sh (skipped: needs clang-14 and wasi-libc, which CI lacks)',
    () => {
      const out = mkdtempSync(join(tmpdir(), 'stevedore-wasm-'));
      try {
        execFileSync('scripts/build-wasm.sh', [out], { stdio: 'ignore' });
        for (const m of modules)
          expect(readFileSync(join(out, m.file), 'utf8')).toBe(
            readFileSync(new URL(m.file, dir), 'utf8'),
          );
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
