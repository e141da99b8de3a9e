/** Tiny in-memory tar writer for tests: ustar / GNU headers with correct checksums, pax and GNU
 * long-name records. Independent of src/ so that it can check src's reader. */

const enc = new TextEncoder();

export interface HeaderOptions {
  size?: number;
  /** Typeflag character: '0' file, '1' hard link, '2' symlink, '5' directory, 'x', 'L', 'K'… */
  type?: string;
  linkName?: string;
  /** ustar prefix field (POSIX long names). */
  prefix?: string;
  /** 'ustar' (POSIX, "ustar\0" "00") or 'gnu' ("ustar " " \0"). */
  format?: 'ustar' | 'gnu';
  /** Encode the size in GNU base-256 instead of octal. */
  base256Size?: boolean;
  /** Bytes to write at offset 345.. (GNU: atime/ctime; ustar: prefix). */
  at345?: Uint8Array;
  /** Raw bytes written at given offsets last, before the checksum (hostile fields: a size
   * field with leading NULs, a GNU sparse "isExtended" flag, …). */
  patch?: [offset: number, bytes: Uint8Array | string][];
}

function put(block: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = enc.encode(text);
  if (bytes.length > length) throw new Error(`"${text}" does not fit in ${length} bytes`);
  block.set(bytes, offset);
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0');
}

/** Returns one 512-byte header block. */
export function header(name: string, options: HeaderOptions = {}): Uint8Array {
  const block = new Uint8Array(512);
  const size = options.size ?? 0;
  put(block, 0, 100, name);
  put(block, 100, 8, octal(0o644, 8));
  put(block, 108, 8, octal(0, 8));
  put(block, 116, 8, octal(0, 8));
  if (options.base256Size) {
    block[124] = 0x80;
    let v = size;
    for (let i = 135; i > 124; i--) {
      block[i] = v % 256;
      v = Math.floor(v / 256);
    }
  } else put(block, 124, 12, octal(size, 12));
  put(block, 136, 12, octal(0, 12));
  put(block, 156, 1, options.type ?? '0');
  if (options.linkName) put(block, 157, 100, options.linkName);
  if (options.format === 'gnu') {
    put(block, 257, 6, 'ustar ');
    put(block, 263, 2, ' \0');
  } else {
    put(block, 257, 6, 'ustar\0');
    put(block, 263, 2, '00');
  }
  if (options.prefix) put(block, 345, 155, options.prefix);
  if (options.at345) block.set(options.at345, 345);
  for (const [at, data] of options.patch ?? []) block.set(bytes(data), at);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  put(block, 148, 8, `${octal(sum, 7)}\0`);
  return block;
}

/** Returns data padded with zeros to whole 512-byte blocks. */
export function pad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
}

export function bytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? enc.encode(data) : data;
}

/** Returns a header plus its padded data. */
export function file(name: string, data: string | Uint8Array = '', options: HeaderOptions = {}) {
  const body = bytes(data);
  return concat(header(name, { size: body.length, ...options }), pad(body));
}

export const symlink = (name: string, target: string) =>
  header(name, { type: '2', linkName: target });
export const hardlink = (name: string, target: string) =>
  header(name, { type: '1', linkName: target });
export const dir = (name: string) => header(name, { type: '5' });

/** Returns a header of type `type` whose size field claims `data`, followed by `data` padded:
 * how a hostile archive hides headers from readers that skip a header-only entry's "data". */
export const withData = (name: string, type: string, data: Uint8Array, linkName = '') =>
  file(name, data, { type, linkName });

/** Returns `count` copies of `part` back to back (large hostile archives, built in one buffer). */
export function repeat(part: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(part.length * count);
  for (let i = 0; i < count; i++) out.set(part, i * part.length);
  return out;
}

/** Returns a pax extended header ('x') record carrying the given keys. */
export function pax(records: Record<string, string>, type = 'x'): Uint8Array {
  let body = '';
  for (const [key, value] of Object.entries(records)) {
    const rest = ` ${key}=${value}\n`;
    let length = rest.length + 1;
    while (String(length).length + enc.encode(rest).length !== length) length++;
    body += `${length}${rest}`;
  }
  return file('PaxHeaders/x', body, { type });
}

/** Returns a GNU long-name ('L') or long-link ('K') record. */
export function gnuLong(name: string, type: 'L' | 'K' = 'L'): Uint8Array {
  return file('././@LongLink', `${name}\0`, { type, format: 'gnu' });
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Returns a whole archive: the parts and the two zero blocks that end a tar. */
export function tar(...parts: Uint8Array[]): Uint8Array {
  return concat(...parts, new Uint8Array(1024));
}
