/**
 * Test-side truth for the layer tests, written without any of Stevedore's readers: a few lines
 * of tar header parsing, GNU tar's own listing, layers found through manifest.json or the OCI
 * index with Node's zlib, and an extraction into a temp directory with Node's fs that applies
 * whiteouts the way the OCI layer spec says.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { xxhash64 } from 'hash-wasm';
import { expect } from 'vitest';
import {
  LayerListingBuilder,
  type EntryType,
  type LayerListing,
  type TarEntryInput,
} from '../../../src/lib/layers/listing.ts';

/** One tar entry with its body. */
export interface RawEntry {
  name: string;
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkName: string;
  body: Uint8Array;
}

const text = (b: Uint8Array, at: number, len: number) => {
  const s = Buffer.from(b.subarray(at, at + len)).toString('utf8');
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
};
const octal = (b: Uint8Array, at: number, len: number) =>
  parseInt(text(b, at, len).trim() || '0', 8);

/** Returns the entries of a tar (ustar, GNU L/K long names, pax path/linkpath/size). */
export function readTar(tar: Uint8Array): RawEntry[] {
  const out: RawEntry[] = [];
  let at = 0;
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Record<string, string> = {};
  while (at + 512 <= tar.length) {
    const h = tar.subarray(at, at + 512);
    if (h.every((x) => x === 0)) break;
    const typeflag = String.fromCharCode(h[156]!);
    let size = octal(h, 124, 12);
    const body = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (typeflag === 'L' || typeflag === 'K') {
      const v = text(body, 0, body.length);
      if (typeflag === 'L') longName = v;
      else longLink = v;
      continue;
    }
    if (typeflag === 'x' || typeflag === 'g') {
      let s = Buffer.from(body).toString('utf8');
      while (s.length > 0) {
        const sp = s.indexOf(' ');
        const len = parseInt(s.slice(0, sp), 10);
        const rec = s.slice(sp + 1, len - 1);
        const eq = rec.indexOf('=');
        if (typeflag === 'x') pax[rec.slice(0, eq)] = rec.slice(eq + 1);
        s = s.slice(len);
      }
      continue;
    }
    const prefix = text(h, 345, 155);
    let name = text(h, 0, 100);
    if (prefix && text(h, 257, 6).startsWith('ustar')) name = `${prefix}/${name}`;
    name = pax.path ?? longName ?? name;
    if (pax.size) size = Number(pax.size);
    out.push({
      name,
      typeflag,
      mode: octal(h, 100, 8),
      uid: octal(h, 108, 8),
      gid: octal(h, 116, 8),
      size,
      mtime: pax.mtime ? Number(pax.mtime) : octal(h, 136, 12),
      linkName: pax.linkpath ?? longLink ?? text(h, 157, 100),
      body,
    });
    longName = longLink = null;
    pax = {};
  }
  return out;
}

/** One line of `tar -tv`, read back. */
export interface GnuLine {
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  name: string;
  link: string | null;
}

/** Returns GNU tar's listing of a tar (`tar -tv --numeric-owner --full-time`, UTC). */
export function gnuTarList(tar: Uint8Array): GnuLine[] {
  const out = execFileSync('tar', ['-tv', '--numeric-owner', '--full-time', '-f', '-'], {
    input: tar,
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    maxBuffer: 1 << 28,
  }).toString('utf8');
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^(\S)(\S{9}) (\d+)\/(\d+) +(\d+) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.*)$/.exec(
        line,
      );
      if (!m) throw new Error(`unexpected tar -tv line: ${line}`);
      let name = m[7]!;
      let link: string | null = null;
      const sep = m[1] === 'h' ? ' link to ' : m[1] === 'l' ? ' -> ' : null;
      if (sep)
        [name, link] = [
          name.slice(0, name.indexOf(sep)),
          name.slice(name.indexOf(sep) + sep.length),
        ];
      const perms = m[2]!;
      let mode = 0;
      for (let i = 0; i < 9; i++)
        if (perms[i] !== '-' && perms[i] !== 'S' && perms[i] !== 'T') mode |= 1 << (8 - i);
      if ('sS'.includes(perms[2]!)) mode |= 0o4000;
      if ('sS'.includes(perms[5]!)) mode |= 0o2000;
      if ('tT'.includes(perms[8]!)) mode |= 0o1000;
      return {
        type: m[1]!,
        mode,
        uid: Number(m[3]),
        gid: Number(m[4]),
        size: Number(m[5]),
        mtime: Date.parse(`${m[6]!.replace(' ', 'T')}Z`) / 1000,
        name,
        link,
      };
    });
}

/** Returns a layer's or archive's bytes decoded: gzip by Node's zlib (every member), zstd by
 * the zstd command; anything else as it is. */
export function inflate(b: Uint8Array): Uint8Array {
  if (b[0] === 0x1f && b[1] === 0x8b) return new Uint8Array(gunzipSync(b));
  if (b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd)
    return new Uint8Array(execFileSync('zstd', ['-dc'], { input: b, maxBuffer: 1 << 30 }));
  return b;
}

/** Returns the layers (uncompressed tars) of each image of an archive, lowest first: through
 * manifest.json where there is one, else every manifest under index.json. */
export function imageLayers(archive: string): { name: string; layers: Uint8Array[] }[] {
  const files = new Map<string, RawEntry>();
  const whole = new Uint8Array(fs.readFileSync(archive));
  for (const e of readTar(inflate(whole))) files.set(e.name.replace(/^\.\//, ''), e);
  const get = (name: string, hops = 0): Uint8Array => {
    const e = files.get(name);
    if (!e) throw new Error(`no ${name}`);
    if (e.typeflag === '2' && hops < 8)
      return get(path.posix.join(path.posix.dirname(name), e.linkName), hops + 1);
    return e.body;
  };
  const json = (name: string) => JSON.parse(Buffer.from(get(name)).toString('utf8'));
  const blob = (digest: string) => `blobs/${digest.replace(':', '/')}`;
  if (files.has('manifest.json')) {
    return json('manifest.json').map((m: { Layers: string[]; RepoTags?: string[] }, i: number) => ({
      name: m.RepoTags?.[0] ?? `image ${i}`,
      layers: m.Layers.map((l) => inflate(get(l))),
    }));
  }
  const out: { name: string; layers: Uint8Array[] }[] = [];
  const walk = (
    doc: {
      manifests?: { digest: string; platform?: { architecture: string } }[];
      layers?: { digest: string }[];
    },
    name: string,
  ) => {
    if (doc.layers) out.push({ name, layers: doc.layers.map((l) => inflate(get(blob(l.digest)))) });
    for (const m of doc.manifests ?? [])
      walk(json(blob(m.digest)), m.platform ? `${name} ${m.platform.architecture}` : name);
  };
  walk(json('index.json'), path.basename(archive));
  return out;
}

/** Returns the listing of a layer tar, fed from the test-side parser with xxhash64 of bodies. */
export async function listingOf(tar: Uint8Array): Promise<LayerListing> {
  const b = new LayerListingBuilder();
  for (const e of readTar(tar)) {
    const input: TarEntryInput = { ...e };
    const i = b.add(input);
    if ('0\0'.includes(e.typeflag) || e.typeflag === '7')
      b.setContentHash(i, await xxhash64(e.body));
  }
  return b.finish();
}

/** Extracts layers in order into `dir` with Node's fs, applying whiteouts (opaque ones first,
 * whatever their place) to what lower layers left; returns nothing. */
export function extractLayers(layers: Uint8Array[], dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const tar of layers) {
    const entries = readTar(tar).map((e) => ({
      ...e,
      name: path.posix
        .normalize(e.name)
        .replace(/^(\.\/|\/)+/, '')
        .replace(/\/$/, ''),
    }));
    for (const e of entries) {
      const base = path.posix.basename(e.name);
      const parent = path.join(dir, path.posix.dirname(e.name));
      if (base === '.wh..wh..opq') {
        if (fs.existsSync(parent))
          for (const c of fs.readdirSync(parent))
            fs.rmSync(path.join(parent, c), { recursive: true, force: true });
      } else if (base.startsWith('.wh.')) {
        fs.rmSync(path.join(parent, base.slice(4)), { recursive: true, force: true });
      }
    }
    for (const e of entries) {
      const base = path.posix.basename(e.name);
      if (e.name === '.' || e.name === '') continue;
      const target = path.join(dir, e.name);
      const parent = path.dirname(target);
      const st = fs.lstatSync(parent, { throwIfNoEntry: false });
      if (st && !st.isDirectory()) fs.rmSync(parent);
      fs.mkdirSync(parent, { recursive: true });
      if (base.startsWith('.wh.')) continue;
      const old = fs.lstatSync(target, { throwIfNoEntry: false });
      if (e.typeflag === '5') {
        if (old && !old.isDirectory()) fs.rmSync(target);
        if (!old || !old.isDirectory()) fs.mkdirSync(target);
        continue;
      }
      if (old) fs.rmSync(target, { recursive: true, force: true });
      if (e.typeflag === '2') fs.symlinkSync(e.linkName, target);
      else if (e.typeflag === '1')
        fs.linkSync(path.join(dir, e.linkName.replace(/^\.?\//, '')), target);
      else fs.writeFileSync(target, e.body);
    }
  }
}

/** Returns every path under a directory with its type letter and size (regular files only). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel))) {
      const p = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(dir, p));
      if (st.isDirectory()) {
        out.set(p, 'd');
        walk(p);
      } else if (st.isSymbolicLink()) out.set(p, 'l');
      else out.set(p, `f ${st.size}`);
    }
  };
  walk('');
  return out;
}

const GNU_TYPES: Record<string, EntryType> = {
  '-': 'file',
  d: 'dir',
  l: 'symlink',
  h: 'hardlink',
  c: 'char',
  b: 'block',
  p: 'fifo',
};

/** Asserts that a listing has GNU tar's entries: path, type, size, mode, owner, mtime, link
 * target, and a content hash for every regular file. */
export function expectGnuListing(listing: LayerListing, gnu: GnuLine[]): void {
  expect(listing.count).toBe(gnu.length);
  gnu.forEach((g, i) => {
    const e = listing.entry(i);
    const clean = g.name.replace(/^\.\//, '').replace(/\/$/, '');
    expect({
      path: e.path,
      type: e.type,
      size: e.size,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
    }).toEqual({
      path: clean === '.' ? '' : clean,
      type: GNU_TYPES[g.type],
      size: g.size,
      mode: g.mode,
      uid: g.uid,
      gid: g.gid,
    });
    expect(Math.floor(e.mtime)).toBe(g.mtime);
    if (g.type === 'l') expect(e.linkTarget).toBe(g.link);
    if (g.type === 'h') expect(e.linkTarget).toBe(g.link!.replace(/^\.\//, ''));
    if (e.type === 'file') expect(e.contentHash).toMatch(/^[0-9a-f]{16}$/);
  });
  expect(listing.totalSize).toBe(gnu.reduce((n, g) => n + g.size, 0));
}
