/** Test-only: the merged root filesystem of a fixture archive, made independently of src/lib
 * (Node zlib + a few lines of tar reading), applying layers in order with whiteouts
 * (`.wh.<name>`, `.wh..wh..opq`) as umoci did when the truth files were written. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** tests/fixtures/packages/, with a trailing slash. */
export const PACKAGES = fileURLToPath(new URL('../../fixtures/packages/', import.meta.url));

type Node =
  | { type: 'file'; data: Uint8Array }
  | { type: 'symlink'; target: string }
  | { type: 'dir' }
  | { type: 'hardlink'; target: string };

export interface TarEntry {
  name: string;
  typeflag: string;
  linkName: string;
  data: Uint8Array;
}

/** Bytes of one entry under the research formula, written here independently of src/lib:
 * regular files by size, symlinks by target length, hard links and the rest 0. */
function diskBytes(e: TarEntry): number {
  if (e.typeflag === '0' || e.typeflag === '7') return e.data.length;
  return e.typeflag === '2' ? Buffer.byteLength(e.linkName) : 0;
}

/** One image's merged filesystem. */
export interface Rootfs {
  /** Bytes of a regular file, symlinks followed; null when absent. */
  read(p: string): Uint8Array | null;
  /** Names in a directory (symlinks followed), sorted; null when absent. */
  list(dir: string): string[] | null;
  /** Σ over all layers of regular-file sizes + symlink target lengths (hardlinks once). */
  onDiskSize: number;
  config: Record<string, unknown>;
  configDigest: string;
  /** The image name from `io.containerd.image.name` (docker.io/library/ cut), if any. */
  imageName: string | null;
  /** Every layer's tar entries, in order. */
  layers: TarEntry[][];
}

const text = new TextDecoder();

function cstr(b: Uint8Array, at: number, len: number): string {
  const s = b.subarray(at, at + len);
  const z = s.indexOf(0);
  return text.decode(z < 0 ? s : s.subarray(0, z));
}

/** Returns the entries of an uncompressed tar (ustar, pax `path`/`linkpath`, GNU `L`/`K`). */
export function readTar(tar: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let at = 0;
  let paxName: string | null = null;
  let paxLink: string | null = null;
  while (at + 512 <= tar.length) {
    const h = tar.subarray(at, at + 512);
    if (h.every((x) => x === 0)) break;
    const size = parseInt(cstr(h, 124, 12).trim() || '0', 8);
    const flag = String.fromCharCode(h[156] ?? 0);
    const typeflag = flag === '\0' ? '0' : flag;
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (typeflag === 'x') {
      for (const rec of text.decode(data).split('\n')) {
        const m = /^\d+ ([^=]+)=(.*)$/s.exec(rec);
        if (m?.[1] === 'path') paxName = m[2] ?? null;
        if (m?.[1] === 'linkpath') paxLink = m[2] ?? null;
      }
      continue;
    }
    if (typeflag === 'L' || typeflag === 'K') {
      if (typeflag === 'L') paxName = cstr(data, 0, data.length);
      else paxLink = cstr(data, 0, data.length);
      continue;
    }
    const prefix = cstr(h, 345, 155);
    const name = paxName ?? (prefix ? `${prefix}/` : '') + cstr(h, 0, 100);
    out.push({ name, typeflag, linkName: paxLink ?? cstr(h, 157, 100), data });
    paxName = paxLink = null;
  }
  return out;
}

const clean = (p: string): string =>
  p
    .split('/')
    .filter((x) => x && x !== '.')
    .join('/');

/** Returns the merged filesystem of the (first) image in a fixture archive. */
export function rootfsOf(archivePath: string): Rootfs {
  let outer = new Uint8Array(readFileSync(archivePath));
  if (outer[0] === 0x1f && outer[1] === 0x8b) outer = new Uint8Array(gunzipSync(outer));
  const files = new Map(readTar(outer).map((e) => [clean(e.name), e.data]));
  const json = (p: string): any => JSON.parse(text.decode(files.get(p)!));
  let layers: Uint8Array[];
  let configBytes: Uint8Array;
  let imageName: string | null = null;
  if (files.has('index.json')) {
    const desc = json('index.json').manifests[0];
    imageName =
      desc.annotations?.['io.containerd.image.name']?.replace('docker.io/library/', '') ?? null;
    const blob = (d: string): Uint8Array => files.get(`blobs/sha256/${d.slice(7)}`)!;
    const manifest = JSON.parse(text.decode(blob(desc.digest)));
    configBytes = blob(manifest.config.digest);
    layers = manifest.layers.map((l: { digest: string }) => blob(l.digest));
  } else {
    const m = json('manifest.json')[0];
    configBytes = files.get(clean(m.Config))!;
    layers = m.Layers.map((p: string) => files.get(clean(p))!);
  }
  const fs = new Map<string, Node>([['', { type: 'dir' }]]);
  let onDiskSize = 0;
  const layerEntries: TarEntry[][] = [];
  const removeUnder = (p: string, self: boolean) => {
    for (const k of [...fs.keys()]) {
      if ((self && k === p) || k.startsWith(p === '' ? '' : `${p}/`)) if (k !== '') fs.delete(k);
    }
  };
  for (let raw of layers) {
    if (raw[0] === 0x1f && raw[1] === 0x8b) raw = new Uint8Array(gunzipSync(raw));
    const entries = readTar(raw);
    layerEntries.push(entries);
    // Whiteouts hide what the lower layers hold, never this layer's own entries.
    for (const e of entries) {
      const p = clean(e.name);
      const base = path.posix.basename(p);
      const dir = path.posix.dirname(p) === '.' ? '' : path.posix.dirname(p);
      if (base === '.wh..wh..opq') removeUnder(dir, false);
      else if (base.startsWith('.wh.')) removeUnder(clean(`${dir}/${base.slice(4)}`), true);
    }
    for (const e of entries) {
      const p = clean(e.name);
      const base = path.posix.basename(p);
      onDiskSize += diskBytes(e);
      if (base.startsWith('.wh.')) continue;
      const old = fs.get(p);
      if (e.typeflag === '5') {
        if (old && old.type !== 'dir') removeUnder(p, true);
        fs.set(p, { type: 'dir' });
        continue;
      }
      if (old?.type === 'dir') removeUnder(p, true);
      if (e.typeflag === '2') fs.set(p, { type: 'symlink', target: e.linkName });
      else if (e.typeflag === '1') fs.set(p, { type: 'hardlink', target: clean(e.linkName) });
      else fs.set(p, { type: 'file', data: e.data });
    }
  }
  const resolve = (p: string, hops = 0): string | null => {
    const parts = clean(p).split('/').filter(Boolean);
    let cur = '';
    for (let i = 0; i < parts.length; i++) {
      const next = cur ? `${cur}/${parts[i]}` : (parts[i] ?? '');
      const n = fs.get(next);
      if (!n) return null;
      if (n.type === 'symlink') {
        if (hops > 16) return null;
        const t = n.target.startsWith('/') ? n.target : `${cur}/${n.target}`;
        const norm = path.posix.normalize(`/${t}`).slice(1);
        const r = resolve([norm, ...parts.slice(i + 1)].join('/'), hops + 1);
        return r;
      }
      cur = next;
    }
    return cur;
  };
  const configDigest = `sha256:${createHash('sha256').update(configBytes).digest('hex')}`;
  return {
    read(p) {
      const r = resolve(p);
      if (r === null) return null;
      let n = fs.get(r);
      if (n?.type === 'hardlink') n = fs.get(n.target);
      return n?.type === 'file' ? n.data : null;
    },
    list(dir) {
      const r = resolve(dir);
      if (r === null || fs.get(r)?.type !== 'dir') return null;
      const pre = r === '' ? '' : `${r}/`;
      return [...fs.keys()]
        .filter((k) => k.startsWith(pre) && k !== r && !k.slice(pre.length).includes('/'))
        .map((k) => k.slice(pre.length))
        .sort();
    },
    onDiskSize,
    config: JSON.parse(text.decode(configBytes)),
    configDigest,
    imageName,
    layers: layerEntries,
  };
}

/** Returns the path of a file in tests/fixtures/packages. */
export const packageFixture = (name: string): string => path.join(PACKAGES, name);
