import { createHash } from 'node:crypto';
import type { TarEntryInput } from '../../src/lib/layers/listing.ts';
import { header } from './tar-builder.ts';

/** One entry of a tar written by tests. */
export interface TarSpec {
  name: string;
  data?: Uint8Array | string;
  /** '0' file (default), '1' hard link, '2' symlink, '5' directory, 'x' pax record. */
  type?: string;
  linkName?: string;
}

const encoder = new TextEncoder();

/** Returns the bytes of a tar holding the given entries, ended by two zero blocks. */
export function writeTar(entries: TarSpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data =
      typeof e.data === 'string' ? encoder.encode(e.data) : (e.data ?? new Uint8Array(0));
    parts.push(
      header(e.name, { size: data.length, type: e.type ?? '0', linkName: e.linkName ?? '' }),
    );
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

/** Returns a tar entry as the listing takes it: a regular file `name` of 1 byte, mode 644,
 * owned by root, mtime 0; with `over`'s fields instead. */
export function listingEntry(name: string, over: Partial<TarEntryInput> = {}): TarEntryInput {
  return {
    name,
    typeflag: '0',
    size: 1,
    mode: 0o644,
    uid: 0,
    gid: 0,
    mtime: 0,
    linkName: '',
    ...over,
  };
}
