/**
 * The paths inside a layer that would land outside the container's root when unpacked:
 * `../` names, absolute names, relative symlinks that climb out, and entries written through
 * such a symlink. Fed the decoded layer as it streams past; reads headers only. Pure.
 */
import {
  BLOCK,
  type PendingNames,
  applyMetaRecord,
  checksumOk,
  entryType,
  isMetaRecord,
  isZeroBlock,
  paddedSize,
  parseHeader,
} from '../archive/tar-header.ts';
import { MAX_REPORTED_PATHS, MAX_META_RECORD } from '../limits.ts';

/** One entry of a layer that points outside the root. */
export interface UnsafePath {
  name: string;
  why: 'dot-dot' | 'absolute' | 'symlink-escapes' | 'through-symlink';
  /** For symlinks: their target. */
  target: string | null;
}

/** Scans a layer tar, chunk by chunk, for entries that escape the root. */
export class LayerPathScanner {
  readonly unsafe: UnsafePath[] = [];
  #header = new Uint8Array(BLOCK);
  #fill = 0;
  #skip = 0;
  #meta: { flag: string; data: Uint8Array; fill: number; pad: number } | null = null;
  #pending: PendingNames = {};
  #global: PendingNames = {};
  #escapingLinks = new Set<string>();
  #done = false;

  /** Takes the next decoded bytes (a view valid only during the call). */
  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.#done) {
      if (this.#meta) {
        const m = this.#meta;
        const n = Math.min(m.data.length - m.fill, chunk.length - at);
        m.data.set(chunk.subarray(at, at + n), m.fill);
        m.fill += n;
        at += n;
        if (m.fill === m.data.length) {
          applyMetaRecord(m.flag, m.data, m.flag === 'g' ? this.#global : this.#pending);
          this.#meta = null;
          this.#skip = m.pad;
        }
        continue;
      }
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - at);
        this.#skip -= n;
        at += n;
        continue;
      }
      const n = Math.min(BLOCK - this.#fill, chunk.length - at);
      this.#header.set(chunk.subarray(at, at + n), this.#fill);
      this.#fill += n;
      at += n;
      if (this.#fill === BLOCK) {
        this.#fill = 0;
        this.#onHeader();
      }
    }
  }

  #onHeader(): void {
    const block = this.#header;
    if (isZeroBlock(block) || !checksumOk(block)) {
      // The end of the layer tar (or not a tar: the diff_id check speaks for that).
      this.#done = true;
      return;
    }
    const raw = parseHeader(block);
    if (isMetaRecord(raw.flag)) {
      if (!(raw.size <= MAX_META_RECORD)) return void (this.#done = true);
      this.#meta = {
        flag: raw.flag,
        data: new Uint8Array(raw.size),
        fill: 0,
        pad: paddedSize(raw.size) - raw.size,
      };
      if (raw.size === 0) this.push(new Uint8Array(0));
      return;
    }
    const names = { ...this.#global, ...this.#pending };
    this.#pending = {};
    const name = names.path ?? raw.name;
    const type = entryType(raw.flag);
    this.#check(name, type === 'symlink' ? (names.linkPath ?? raw.linkName) : null);
    const size = names.size ?? raw.size;
    this.#skip = type === 'file' || type === 'other' ? paddedSize(size) : 0;
  }

  #check(name: string, symlinkTarget: string | null): void {
    const parts = name.split('/').filter((p) => p !== '' && p !== '.');
    const clean = parts.join('/');
    // The root itself ("/", "./"; kaniko writes "/") escapes nothing.
    if (parts.length === 0) return;
    let why: UnsafePath['why'] | null = null;
    if (name.startsWith('/')) why = 'absolute';
    else if (parts.includes('..')) why = 'dot-dot';
    else if ([...this.#escapingLinks].some((link) => clean.startsWith(`${link}/`)))
      why = 'through-symlink';
    else if (
      symlinkTarget !== null &&
      !symlinkTarget.startsWith('/') &&
      climbsOut(parts, symlinkTarget)
    ) {
      // Absolute targets are resolved inside the container's root when it runs: safe.
      why = 'symlink-escapes';
      this.#escapingLinks.add(clean);
    }
    if (why && this.unsafe.length < MAX_REPORTED_PATHS)
      this.unsafe.push({ name, why, target: symlinkTarget });
  }
}

/** Returns true when a relative symlink at `linkParts` climbs above the root. */
function climbsOut(linkParts: string[], target: string): boolean {
  let depth = linkParts.length - 1;
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    depth += part === '..' ? -1 : 1;
    if (depth < 0) return true;
  }
  return false;
}
