import { createHash } from 'node:crypto';

/** One entry of a tar written by tests. */
export interface TarSpec {
  name: string;
  data?: Uint8Array | string;
  /** '0' file (default), '1' hard link, '2' symlink, '5' directory, 'x' pax record. */
  type?: string;
  linkName?: string;
}

const encoder = new TextEncoder();

/** Returns a ustar header block for `name` with a correct checksum. */
export function tarHeader(name: string, size: number, type = '0', linkName = ''): Uint8Array {
  const h = new Uint8Array(512);
  const put = (text: string, at: number, length: number) =>
    h.set(encoder.encode(text).subarray(0, length), at);
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(size.toString(8).padStart(11, '0') + '\0', 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put(type, 156, 1);
  put(linkName, 157, 100);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  const sum = h.reduce((a, b) => a + b, 0);
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

/** Returns the bytes of a tar holding the given entries, ended by two zero blocks. */
export function writeTar(entries: TarSpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data =
      typeof e.data === 'string' ? encoder.encode(e.data) : (e.data ?? new Uint8Array(0));
    parts.push(tarHeader(e.name, data.length, e.type ?? '0', e.linkName ?? ''));
    parts.push(data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Returns `sha256:<hex>` of the bytes or text. */
export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}
