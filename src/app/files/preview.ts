/**
 * Opening one file of the merged tree: which layer's entry holds its bytes (hard links followed
 * to their target), how to read them (a slice of the archive where the layer is stored
 * uncompressed and the listing knows the data offset, else the extract worker), and how to show
 * them: text when they are UTF-8 without NULs, else a hex dump drawn row by row. Pure.
 */
import type { MergedFilesystem } from '../../lib/layers/merge.ts';
import { lastWriter } from '../../lib/layers/tree.ts';
import type { Format } from '../../lib/verify/model.ts';

/** Bytes of a file shown at most. */
export const PREVIEW_LIMIT = 4 * 1024 * 1024;

/** Where a layer's stored bytes are: a range of a Blob (the dropped File), and how they are
 * compressed (null when not known: then they are sniffed). */
export interface LayerSource {
  blob: Blob;
  start: number;
  end: number;
  format: Format | null;
}

/** The entry holding a file's bytes. */
export interface FileTarget {
  layer: number;
  entry: number;
  /** The path of the entry holding the bytes (a hard link's target). */
  path: string;
  size: number;
}

/** Returns the entry whose bytes a node shows as of layer l (following hard links, at most 40),
 * or why it has none. */
export function fileTarget(fs: MergedFilesystem, node: number, l: number): FileTarget | string {
  let n = node;
  for (let hops = 0; hops <= 40; hops++) {
    const w = lastWriter(fs, n, l);
    if (!w) return 'nothing holds this path at that layer';
    const listing = fs.layers[w.layer]!;
    const type = listing.type(w.entry);
    if (type === 'file')
      return {
        layer: w.layer,
        entry: w.entry,
        path: listing.path(w.entry),
        size: listing.size(w.entry),
      };
    if (type !== 'hardlink') return `a ${typeName(type)} has no content to show`;
    const target = listing.linkTarget(w.entry) ?? '';
    const next = fs.lookup(target);
    if (next < 0 || next === n)
      return `a hard link to ${next === n ? 'itself' : 'a path that is not there'}`;
    n = next;
  }
  return 'hard links that go round in circles';
}

function typeName(type: string): string {
  return type === 'dir'
    ? 'directory'
    : type === 'symlink'
      ? 'symbolic link'
      : type === 'char' || type === 'block'
        ? `${type} device`
        : type === 'fifo'
          ? 'FIFO'
          : 'special file';
}

/** How to read a file: slice the stored layer, or decode the layer from its start. */
export type ReadPlan =
  { kind: 'slice'; start: number; end: number } | { kind: 'decode'; format: Format };

/** Returns how to read `length` bytes of a file whose data starts at `dataOffset` (null when
 * the listing does not know) in a layer stored as `source`. */
export function readPlan(
  source: LayerSource,
  dataOffset: number | null,
  length: number,
  format: Format,
): ReadPlan {
  if (format === 'none' && dataOffset !== null) {
    const start = source.start + dataOffset;
    if (start + length <= source.end) return { kind: 'slice', start, end: start + length };
  }
  return { kind: 'decode', format };
}

/** What a preview shows. */
export type Preview =
  | { kind: 'text'; text: string }
  | { kind: 'hex'; bytes: Uint8Array; rows: number }
  | { kind: 'empty' };

/** Bytes a hex row shows. */
export const HEX_ROW = 16;

/** Returns how to show a file's first bytes: text (valid UTF-8, no NUL, few control characters;
 * a character cut by the limit forgiven when `cut`), else hex. */
export function previewOf(bytes: Uint8Array, cut: boolean): Preview {
  if (bytes.length === 0) return { kind: 'empty' };
  let end = bytes.length;
  if (cut) {
    // Drop a UTF-8 sequence the limit cut in two.
    let k = end - 1;
    while (k > end - 4 && k > 0 && (bytes[k]! & 0xc0) === 0x80) k--;
    const lead = bytes[k]!;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - k < need) end = k;
  }
  const body = bytes.subarray(0, end);
  let controls = 0;
  for (let i = 0; i < Math.min(body.length, 65536); i++) {
    const b = body[i]!;
    if (b === 0) return hex(bytes);
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  }
  if (controls > Math.min(body.length, 65536) / 100) return hex(bytes);
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    return hex(bytes);
  }
}

function hex(bytes: Uint8Array): Preview {
  return { kind: 'hex', bytes, rows: Math.ceil(bytes.length / HEX_ROW) };
}

/** Returns hex row r of bytes: offset, 16 bytes in hex, and their printable ASCII. */
export function hexRow(bytes: Uint8Array, r: number): string {
  const at = r * HEX_ROW;
  const row = bytes.subarray(at, at + HEX_ROW);
  let h = '';
  let a = '';
  for (let i = 0; i < HEX_ROW; i++) {
    if (i === 8) h += ' ';
    if (i < row.length) {
      const b = row[i]!;
      h += `${b.toString(16).padStart(2, '0')} `;
      a += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    } else h += '   ';
  }
  return `${at.toString(16).padStart(8, '0')}  ${h} |${a}|`;
}

/** Returns the name a download of a path gets: its last component, made safe for a file name. */
export function downloadName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  // eslint-disable-next-line no-control-regex
  const safe = base.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').slice(0, 200);
  return safe === '' || safe === '.' || safe === '..' ? 'file' : safe;
}
