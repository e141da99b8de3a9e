/**
 * The paths inside a layer that would land outside the container's root when unpacked, as
 * Docker and containerd unpack (Go's archive/tar, names joined to the root and cleaned, then
 * opened on disk, which follows the symlinks the layer has written so far): names that climb
 * above the root with `../`, symlinks that lead out (alone or through a chain of links each
 * harmless on its own), entries written through such a symlink, and hard links to a path
 * outside (Docker refuses those as a breakout). Absolute names and absolute symlink targets stay
 * inside the root (unpackers put them under it) and are only noted, as are pax global headers
 * and headers other tar readers read differently. Fed the decoded layer as it streams past,
 * through the one tar parser; reads headers only; linear in the layer's size, with the work of
 * following links bounded (past the bound the layer fails, never passes unchecked). Pure.
 *
 * Limit: a layer is checked alone. A chain made of links from two layers (a lower layer's
 * `sub/a -> ..`, an upper layer's `sub/a/b -> ..`) is not followed here.
 */
import type { ArchiveEntry } from '../archive/archive.ts';
import type { Problem } from '../errors.ts';
import { TarParser, type TarParserHandlers } from '../archive/tar-parser.ts';
import { BLOCK } from '../archive/tar-header.ts';
import { MAX_SYMLINK_HOPS } from '../layers/merged-files.ts';
import { MAX_FOLLOWED_SYMLINKS, MAX_LINK_STEPS, MAX_REPORTED_PATHS } from '../limits.ts';

/** What one finding is: an escape (the layer fails), or a note (it does not). */
export type UnsafeWhy =
  | 'dot-dot'
  | 'symlink-escapes'
  | 'through-symlink'
  | 'hardlink-escapes'
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
  'hardlink-escapes',
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
  // The layer's symlinks so far, as a tree of path segments (where each was written, after
  // following the links above it): a path is followed one map lookup per segment.
  readonly #links: LinkNode = newNode();
  #linkCount = 0;
  #linkSteps = 0;
  /** Why links stopped being followed (too many, or too much work); null while they are. */
  #unfollowed: string | null = null;
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

  /** Path segments walked through symlinks so far: the work following them costs (bounded by
   * MAX_LINK_STEPS; tests check it grows linearly with the entries). */
  get linkSteps(): number {
    return this.#linkSteps;
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
    const found = [...this.#found];
    for (const detail of [this.#unfollowed, this.incomplete])
      if (detail !== null) found.push({ name: '', why: 'incomplete', target: null, detail });
    return found;
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
    const { parts: clean, climbs } = cleanParts(name);
    // The root itself ("/", "./"; kaniko writes "/") escapes nothing.
    if (clean.length === 0 && !climbs) return;
    const symlink = entry.type === 'symlink' ? entry.linkName : null;
    const hardlink = entry.type === 'hardlink' ? entry.linkName : null;
    let why: UnsafeWhy | null = null;
    let at: string[] | null = null;
    if (climbs) why = 'dot-dot';
    else {
      const placed = this.#follow(clean, false);
      if (placed === 'escapes') why = 'through-symlink';
      else if (placed !== 'loop') {
        at = placed;
        if (symlink !== null) {
          // Absolute targets are resolved inside the container's root: from the root here.
          const from = symlink.startsWith('/') ? [] : at.slice(0, -1);
          if (this.#follow([...from, ...cleanParts(symlink, true).parts], true) === 'escapes')
            why = 'symlink-escapes';
        } else if (hardlink !== null) {
          // Docker joins the target to the root and refuses it when it climbs out; link(2)
          // follows the symlinks above the target, not the target itself.
          const target = cleanParts(hardlink);
          if (target.climbs || this.#follow(target.parts, false) === 'escapes')
            why = 'hardlink-escapes';
        }
      }
    }
    // Whatever is written at a symlink's place replaces it; a symlink is kept where it landed.
    if (at !== null) this.#place(at, symlink);
    const target = symlink ?? (why === 'hardlink-escapes' ? hardlink : null);
    if (why) this.#add({ name, why, target });
    else if (name.startsWith('/')) this.#add({ name, why: 'absolute', target: symlink });
  }

  /**
   * Follows cleaned path segments from the root through the layer's symlinks, as the kernel
   * does when an unpacker opens the path (a symlink as the last segment only with `followLast`):
   * returns where it lands, 'escapes' when it climbs above the root, or 'loop' past the
   * kernel's hop limit (ELOOP: the unpacker fails; nothing is written outside).
   */
  #follow(parts: readonly string[], followLast: boolean): string[] | 'escapes' | 'loop' {
    const pending = parts.slice().reverse(); // the next segment last
    const names: string[] = [];
    const nodes: (LinkNode | null)[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.pop()!;
      if (part === '..') {
        if (names.length === 0) return 'escapes';
        names.pop();
        nodes.pop();
        continue;
      }
      const parent = nodes.length === 0 ? this.#links : nodes[nodes.length - 1]!;
      const node = parent?.children.get(part) ?? null;
      const target = node?.target ?? null;
      if (target !== null && (pending.length > 0 || followLast) && this.#unfollowed === null) {
        if (++hops > MAX_SYMLINK_HOPS) return 'loop';
        if (target.startsWith('/')) {
          names.length = 0;
          nodes.length = 0;
        }
        const next = cleanParts(target, true).parts;
        this.#linkSteps += next.length;
        if (this.#linkSteps > MAX_LINK_STEPS)
          this.#unfollowed = `symlinks were followed for ${MAX_LINK_STEPS.toLocaleString('en-US')} path segments; entries past that are not checked through them`;
        for (let i = next.length - 1; i >= 0; i--) pending.push(next[i]!);
        continue;
      }
      names.push(part);
      nodes.push(node);
    }
    return names;
  }

  /** Records what was written at `at`: a symlink (with its target), or anything else, which
   * replaces a symlink there. */
  #place(at: readonly string[], symlink: string | null): void {
    let node = this.#links;
    for (const part of at) {
      let child = node.children.get(part);
      if (!child) {
        if (symlink === null) return; // no symlink there to replace
        if (this.#linkCount >= MAX_FOLLOWED_SYMLINKS) {
          this.#unfollowed ??= `the layer has more than ${MAX_FOLLOWED_SYMLINKS.toLocaleString('en-US')} symlinks; entries past that are not checked through them`;
          return;
        }
        child = newNode();
        node.children.set(part, child);
      }
      node = child;
    }
    if (symlink !== null && node.target === null) this.#linkCount++;
    node.target = symlink;
  }
}

/** A path segment in the tree of a layer's symlinks; `target` set where a symlink is. */
interface LinkNode {
  children: Map<string, LinkNode>;
  target: string | null;
}

const newNode = (): LinkNode => ({ children: new Map(), target: null });

/** Returns a name's segments, cleaned as Go's path.Clean does from the root ("." and empty
 * segments gone, ".." taking the one before); `climbs` when a ".." would go above the root.
 * With `keepDots`, leading ".." stay in the result (a relative target, followed from its
 * directory) instead of being counted as climbing. */
function cleanParts(name: string, keepDots = false): { parts: string[]; climbs: boolean } {
  const parts: string[] = [];
  let climbs = false;
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (keepDots) parts.push('..');
    else climbs = true;
  }
  return { parts, climbs };
}
