/**
 * The paths inside a layer that would land outside the container's root when unpacked, as
 * Docker and containerd unpack (Go's archive/tar, names joined to the root and cleaned):
 * names that climb above the root with `../`, relative symlinks that climb out, and entries
 * written through such a symlink. Absolute names and absolute symlink targets stay inside the
 * root (unpackers put them under it) and are only noted, as are pax global headers and headers
 * other tar readers read differently. Fed the decoded layer as it streams past, through the
 * one tar parser; reads headers only; linear in the layer's size. Pure.
 */
import type { ArchiveEntry } from '../archive/archive.ts';
import type { Problem } from '../errors.ts';
import { TarParser, type TarParserHandlers } from '../archive/tar-parser.ts';
import { BLOCK } from '../archive/tar-header.ts';
import { MAX_REPORTED_PATHS } from '../limits.ts';

/** What one finding is: an escape (the layer fails), or a note (it does not). */
export type UnsafeWhy =
  | 'dot-dot'
  | 'symlink-escapes'
  | 'through-symlink'
  | 'absolute'
  | 'global-header'
  | 'ambiguous'
  | 'incomplete';

/** One finding in a layer: an entry that points outside the root, or a note about the layer. */
export interface UnsafePath {
  /** The entry's name as stored ('' for a note about the whole layer). */
  name: string;
  why: UnsafeWhy;
  /** For symlinks: their target. */
  target: string | null;
  /** For notes: what was found ('incomplete': why the layer could not be read to its end). */
  detail?: string;
}

/** The findings that make a layer fail: an unpacker would write outside its root. */
export const ESCAPES: ReadonlySet<UnsafeWhy> = new Set([
  'dot-dot',
  'symlink-escapes',
  'through-symlink',
]);

/** Scans a layer tar, chunk by chunk, for entries that escape the root. */
export class LayerPathScanner {
  /** Escaping entries seen (all of them; only the first MAX_REPORTED_PATHS are listed). */
  escapes = 0;
  /** Notes seen (absolute names, global headers, ambiguous headers). */
  notes = 0;
  readonly #found: UnsafePath[] = [];
  #listedEscapes = 0;
  #listedNotes = 0;
  // The symlinks that climb out, as a tree of path segments: an entry is checked by walking its
  // own parent directories (one map lookup per segment), never against the list of links.
  readonly #escapingLinks: LinkNode = { children: new Map(), escaping: false };
  readonly #parser: TarParser;

  /** `also` is told every entry (and regular files' data) the same parser reads: a layer's
   * listing is made from this one walk over its headers, not a second. */
  constructor(also: Pick<TarParserHandlers, 'entry' | 'data' | 'end'> = {}) {
    this.#parser = new TarParser({
      entry: (entry, header) => {
        this.#check(entry);
        also.entry?.(entry, header);
      },
      // Only where asked: without a data handler the parser passes file bodies over unseen.
      ...(also.data ? { data: also.data } : {}),
      ...(also.end ? { end: also.end } : {}),
      problem: (p, fatal) => {
        if (!fatal) this.#notice(p);
      },
    });
  }

  /** Takes the next decoded bytes (a view valid only during the call). */
  push(chunk: Uint8Array): void {
    this.#parser.push(chunk);
  }

  /** Returns why the layer could not be read to its end, were it to end here; null when it
   * could (or when it is no tar at all: nothing of it is unpacked, the diff_id speaks for it). */
  get incomplete(): string | null {
    const parser = this.#parser;
    // No tar at all (a bad first block, or less than one block): nothing of it is unpacked.
    if (parser.notTar || (!parser.done && parser.offset < BLOCK)) return null;
    return (parser.done ? parser.fault : parser.endProblem())?.message ?? null;
  }

  /** Returns the findings, escapes and notes in layer order, and last, where the layer could not
   * be read to its end, an `incomplete` note: read once every byte has been pushed. */
  get unsafe(): UnsafePath[] {
    const incomplete = this.incomplete;
    if (incomplete === null) return [...this.#found];
    return [...this.#found, { name: '', why: 'incomplete', target: null, detail: incomplete }];
  }

  #add(finding: UnsafePath): void {
    if (ESCAPES.has(finding.why)) {
      this.escapes++;
      if (this.#listedEscapes++ < MAX_REPORTED_PATHS) this.#found.push(finding);
    } else {
      this.notes++;
      if (this.#listedNotes++ < MAX_REPORTED_PATHS) this.#found.push(finding);
    }
  }

  #notice(p: Problem): void {
    if (p.code === 'tar-global-header')
      this.#add({ name: '', why: 'global-header', target: null, detail: p.message });
    else if (p.code === 'tar-ambiguous')
      this.#add({ name: p.where ?? '', why: 'ambiguous', target: null, detail: p.message });
  }

  #check(entry: ArchiveEntry): void {
    const name = entry.rawName;
    // The name joined to the root and cleaned, as unpackers do: "/x" and "a/../x" are "x".
    const clean: string[] = [];
    let climbs = false;
    for (const part of name.split('/')) {
      if (part === '' || part === '.') continue;
      if (part !== '..') clean.push(part);
      else if (clean.length > 0) clean.pop();
      else climbs = true;
    }
    // The root itself ("/", "./"; kaniko writes "/") escapes nothing.
    if (clean.length === 0 && !climbs) return;
    const target = entry.type === 'symlink' ? entry.linkName : null;
    let why: UnsafeWhy | null = null;
    if (climbs) why = 'dot-dot';
    else if (underEscapingLink(this.#escapingLinks, clean)) why = 'through-symlink';
    else if (target !== null && !target.startsWith('/') && climbsOut(clean, target)) {
      // Absolute targets are resolved inside the container's root when it runs: safe.
      why = 'symlink-escapes';
      markLink(this.#escapingLinks, clean, true);
    } else {
      // Whatever is written at an escaping link's own path replaces the link.
      markLink(this.#escapingLinks, clean, false);
    }
    if (why) this.#add({ name, why, target });
    else if (name.startsWith('/')) this.#add({ name, why: 'absolute', target });
  }
}

/** A directory in the tree of escaping symlinks. */
interface LinkNode {
  children: Map<string, LinkNode>;
  escaping: boolean;
}

/** Returns true when a parent directory of the (cleaned) path is an escaping symlink. */
function underEscapingLink(root: LinkNode, clean: string[]): boolean {
  let node: LinkNode | undefined = root;
  for (let i = 0; i < clean.length - 1 && node; i++) {
    node = node.children.get(clean[i]!);
    if (node?.escaping) return true;
  }
  return false;
}

/** Marks the (cleaned) path as an escaping symlink, or as one no more. */
function markLink(root: LinkNode, clean: string[], escaping: boolean): void {
  let node = root;
  for (const part of clean) {
    let child = node.children.get(part);
    if (!child) {
      if (!escaping) return;
      child = { children: new Map(), escaping: false };
      node.children.set(part, child);
    }
    node = child;
  }
  node.escaping = escaping;
}

/** Returns true when a relative symlink at `linkParts` (cleaned) climbs above the root. */
function climbsOut(linkParts: string[], target: string): boolean {
  let depth = linkParts.length - 1;
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    depth += part === '..' ? -1 : 1;
    if (depth < 0) return true;
  }
  return false;
}
