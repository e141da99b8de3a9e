/**
 * The one walk over tar headers. A push parser (fed bytes in order, as fflate's streams are)
 * that reads a tar as Go's archive/tar does — what Docker, containerd and crane read:
 * header-only types have no data whatever their size field says; a pax 'x' record and GNU
 * 'L'/'K' names apply to the next entry only (a GNU name over a pax path; a second 'x' replaces
 * the first); a pax global header applies to nothing; a zero block must be followed by another.
 * The random-access index, the sequential reader and the layer scanner all drive this; none
 * walks headers itself. Pure, synchronous; memory bounded by one record (MAX_META_RECORD).
 */
import type { Problem } from '../errors.ts';
import type { ArchiveEntry } from './archive.ts';
import { problem } from '../errors.ts';
import {
  BLOCK,
  checksumOk,
  cString,
  entryType,
  isHeaderOnly,
  isMetaRecord,
  isZeroBlock,
  judgeHeader,
  paddedSize,
  parsePax,
  paxInteger,
  paxTimeOk,
  type RawHeader,
} from './tar-header.ts';
import { normalizeEntryName } from './paths.ts';
import { MAX_META_RECORD, MAX_REPORTED_PATHS } from '../limits.ts';

/** An entry's header as Go's Next() returns it (pax and GNU records applied, a NUL typeflag
 * made '0' or '5'), for readers that need more than an ArchiveEntry (layer listings). */
export interface TarHeader {
  name: string;
  linkName: string;
  typeflag: string;
  /** What the header (or a pax record) says; header-only types have no data whatever it is. */
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (a pax mtime's fraction dropped). */
  mtime: number;
}

/** What a parser tells its caller, synchronously, as the bytes go by. */
export interface TarParserHandlers {
  /** An entry's header, pax and GNU records applied; `dataOffset` is where its data starts. */
  entry?(entry: ArchiveEntry, header: TarHeader): void;
  /** A piece of the current regular file's data, in order (a view valid only during the call). */
  data?(entry: ArchiveEntry, chunk: Uint8Array): void;
  /** The current entry's data is complete (every entry gets one, unless the tar is cut short). */
  end?(entry: ArchiveEntry): void;
  /** Something wrong or ambiguous; `fatal` when reading stops there. */
  problem?(p: Problem, fatal: boolean): void;
}

/** Options of a parser. */
export interface TarParserOptions {
  /** Entries given at most; reading stops with `too-many-entries` after them. */
  maxEntries?: number;
}

const HEADER = 0;
const AFTER_ZERO = 1;
const META = 2;
const SPARSE = 3;
const DATA = 4;
const PAD = 5;
const DONE = 6;

/** Names of header-only types, for messages. */
const KIND: Record<string, string> = {
  '1': 'hard link',
  '2': 'symlink',
  '3': 'character device',
  '4': 'block device',
  '5': 'directory',
  '6': 'FIFO',
};

interface Meta {
  flag: string;
  at: number;
  data: Uint8Array;
  fill: number;
}

/** Reads a tar pushed to it in pieces of any size and tells its handlers what Go would see. */
export class TarParser {
  /** The offset in the tar of the next byte to push (bytes taken or skipped so far). */
  offset = 0;
  /** Entries given so far. */
  count = 0;
  /** What went wrong (a fatal one last); notes of one code are kept up to MAX_REPORTED_PATHS. */
  readonly problems: Problem[] = [];
  /** What stopped reading before the tar's end, if anything did. */
  fault: Problem | null = null;
  /** True when reading stopped because the very first block is no tar header. */
  notTar = false;

  #state = HEADER;
  readonly #block = new Uint8Array(BLOCK);
  #fill = 0;
  #left = 0;
  #pad = 0;
  #entry: ArchiveEntry | null = null;
  #header: TarHeader | null = null;
  #physical = 0;
  #emit = false;
  #meta: Meta | null = null;
  #pax: Map<string, string> | null = null;
  #gnuName = '';
  #gnuLink = '';
  readonly #noted = new Map<string, number>();

  constructor(
    private readonly handlers: TarParserHandlers,
    private readonly options: TarParserOptions = {},
  ) {}

  /** True once no more bytes are wanted: the end marker, a fault, or the tar's end was pushed. */
  get done(): boolean {
    return this.#state === DONE;
  }

  /** Returns how many of the next bytes the parser would pass over unseen (data nobody reads,
   * padding): a caller with random access may `skip` them instead of pushing them. */
  get skippable(): number {
    if (this.#state === DATA && !this.#emit) return this.#left + this.#pad;
    if (this.#state === PAD) return this.#left;
    return 0;
  }

  /** Passes over `n` bytes (at most `skippable`) without their being pushed. */
  skip(n: number): void {
    if (n > this.skippable) throw new RangeError(`cannot skip ${n} bytes here`);
    while (n > 0) {
      const step = Math.min(n, this.#left);
      this.#left -= step;
      this.offset += step;
      n -= step;
      if (this.#left === 0) this.#stepDone();
    }
  }

  /** Takes the next bytes; `final` says the tar ends after them (what is unfinished is reported). */
  push(chunk: Uint8Array, final = false): void {
    let at = 0;
    while (at < chunk.length && this.#state !== DONE) {
      const state = this.#state;
      if (state === HEADER || state === AFTER_ZERO || state === SPARSE) {
        let block: Uint8Array;
        if (this.#fill === 0 && chunk.length - at >= BLOCK) {
          block = chunk.subarray(at, at + BLOCK);
          at += BLOCK;
          this.offset += BLOCK;
        } else {
          const n = Math.min(BLOCK - this.#fill, chunk.length - at);
          this.#block.set(chunk.subarray(at, at + n), this.#fill);
          this.#fill += n;
          at += n;
          this.offset += n;
          if (this.#fill < BLOCK) continue;
          this.#fill = 0;
          block = this.#block;
        }
        this.#onBlock(block, this.offset - BLOCK);
        continue;
      }
      const n = Math.min(this.#left, chunk.length - at);
      if (state === META) this.#meta!.data.set(chunk.subarray(at, at + n), this.#meta!.fill);
      if (state === META) this.#meta!.fill += n;
      else if (state === DATA && this.#emit)
        this.handlers.data!(this.#entry!, chunk.subarray(at, at + n));
      at += n;
      this.offset += n;
      this.#left -= n;
      if (this.#left === 0) this.#stepDone();
    }
    if (final && this.#state !== DONE) this.#finish();
  }

  /** Returns what ending the tar here would report (null for a clean end), changing nothing. */
  endProblem(): Problem | null {
    switch (this.#state) {
      case HEADER:
        return this.#fill === 0
          ? null
          : problem(
              'tar-truncated',
              `the archive ends ${this.#fill} bytes into a tar header at offset ${this.offset - this.#fill}`,
            );
      case SPARSE:
        return problem(
          'tar-truncated',
          `the archive ends inside the GNU sparse headers of "${this.#entry!.rawName}"`,
          this.#entry!.rawName,
        );
      case META: {
        const m = this.#meta!;
        return problem(
          'tar-truncated',
          `the archive ends inside the pax/GNU record at offset ${m.at} (${m.fill} of ${m.data.length} bytes present)`,
        );
      }
      case DATA: {
        const e = this.#entry!;
        const present = this.#physical - this.#left;
        return problem(
          'tar-truncated',
          `the archive ends inside the data of "${e.rawName}" (${present} of ${this.#physical} bytes present)`,
          e.rawName,
        );
      }
      default:
        // In the padding or after one zero block: every entry is whole. Go, stricter, calls a
        // cut in the padding an unexpected EOF; no entry is different for it.
        return null;
    }
  }

  #finish(): void {
    const why = this.endProblem();
    if (why && this.#state === DATA) this.#entry!.truncated = true;
    if (why) this.#fail(why);
    this.#state = DONE;
  }

  #fail(p: Problem): void {
    this.fault = p;
    this.problems.push(p);
    this.handlers.problem?.(p, true);
    this.#state = DONE;
  }

  #note(p: Problem): void {
    const seen = this.#noted.get(p.code) ?? 0;
    this.#noted.set(p.code, seen + 1);
    if (seen < MAX_REPORTED_PATHS) this.problems.push(p);
    this.handlers.problem?.(p, false);
  }

  /** The bytes of the current step (record, data, padding) are all taken. */
  #stepDone(): void {
    switch (this.#state) {
      case META:
        this.#onRecord(this.#meta!);
        if (this.done) return;
        this.#meta = null;
        break;
      case DATA: {
        const entry = this.#entry!;
        this.#entry = null;
        this.handlers.end?.(entry);
        break;
      }
      case PAD:
        this.#state = HEADER;
        return;
    }
    this.#left = this.#pad;
    this.#pad = 0;
    this.#state = this.#left > 0 ? PAD : HEADER;
  }

  #onBlock(block: Uint8Array, at: number): void {
    if (this.#state === AFTER_ZERO) {
      if (isZeroBlock(block)) return void (this.#state = DONE);
      return this.#fail(
        problem(
          'tar-header-invalid',
          `a zero block at offset ${at - BLOCK} is followed by data: Go's archive/tar refuses the archive there; the rest is not read`,
        ),
      );
    }
    if (this.#state === SPARSE) {
      // Old GNU sparse extension blocks: no checksum, "more follow" at byte 504.
      if (block[504] === 0) this.#begin();
      return;
    }
    const verdict = judgeHeader(block, at);
    if ('end' in verdict) return void (this.#state = AFTER_ZERO);
    if ('fault' in verdict) {
      this.notTar = at === 0 && !checksumOk(block);
      return this.#fail(verdict.fault);
    }
    const { raw } = verdict;
    if (isMetaRecord(raw.flag)) {
      if (raw.size > MAX_META_RECORD) {
        return this.#fail(
          problem(
            'tar-header-invalid',
            `the pax/GNU record at offset ${at} is ${raw.size} bytes, more than the ${MAX_META_RECORD}-byte limit (Go's archive/tar refuses it too); the rest of the archive is not read`,
          ),
        );
      }
      this.#meta = { flag: raw.flag, at, data: new Uint8Array(raw.size), fill: 0 };
      this.#state = META;
      this.#left = raw.size;
      this.#pad = paddedSize(raw.size) - raw.size;
      if (raw.size === 0) this.#stepDone();
      return;
    }
    const entry = this.#entryOf(raw, at);
    if (!entry) return;
    if (raw.flag === 'S') {
      if (raw.format !== 'gnu') {
        return this.#fail(
          problem(
            'tar-header-invalid',
            `a GNU sparse entry at offset ${at} is not in GNU format (Go refuses it); the rest of the archive is not read`,
          ),
        );
      }
      this.#entry = entry;
      if (block[482] !== 0) return void (this.#state = SPARSE);
    }
    this.#entry = entry;
    this.#begin();
  }

  /** Starts the current entry's data, at the current offset. */
  #begin(): void {
    const entry = this.#entry!;
    const max = this.options.maxEntries;
    if (max !== undefined && this.count >= max) {
      this.#entry = null;
      return this.#fail(
        problem('too-many-entries', `more than ${max} entries; the rest are not read`),
      );
    }
    this.count++;
    entry.dataOffset = this.offset;
    this.handlers.entry?.(entry, this.#header!);
    this.#emit = entry.type === 'file' && !!this.handlers.data;
    this.#state = DATA;
    this.#left = this.#physical;
    this.#pad = paddedSize(this.#physical) - this.#physical;
    if (this.#left === 0) this.#stepDone();
  }

  /** Applies a pax or GNU record: to the next entry ('x', 'L', 'K'), or to nothing ('g'). */
  #onRecord(m: Meta): void {
    if (m.flag === 'L' || m.flag === 'K') {
      const text = cString(m.data, 0, m.data.length);
      if (m.flag === 'L') this.#gnuName = text;
      else this.#gnuLink = text;
      return;
    }
    const records = parsePax(m.data);
    if (!records) {
      return this.#fail(
        problem(
          'tar-header-invalid',
          `malformed pax record at offset ${m.at} (Go's archive/tar refuses it); the rest of the archive is not read`,
        ),
      );
    }
    if (m.flag === 'x') {
      this.#pax = new Map(records);
      return;
    }
    // Go returns a global header as an entry of its own and merges it into nothing; records
    // gathered before it are dropped with it. GNU tar applies it to every later entry.
    this.#pax = null;
    this.#gnuName = '';
    this.#gnuLink = '';
    const shown = records.map(([k, v]) => `${k}=${v}`).join(', ');
    this.#note(
      problem(
        'tar-global-header',
        `pax global header at offset ${m.at} is not applied to later entries (Go's archive/tar, which Docker and containerd use, ignores it; GNU tar applies it): ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown || 'no records'}`,
      ),
    );
  }

  #badRecord(at: number, what: string): null {
    this.#fail(
      problem(
        'tar-header-invalid',
        `invalid pax record ${what} for the entry at offset ${at} (Go's archive/tar refuses it); the rest of the archive is not read`,
      ),
    );
    return null;
  }

  /** Returns the entry a header describes, its pending records applied as Go's next() does;
   * null after a fault. Sets the bytes of data that follow it. */
  #entryOf(raw: RawHeader, at: number): ArchiveEntry | null {
    const pax = this.#pax;
    this.#pax = null;
    let name = raw.name;
    let linkName = raw.linkName;
    let size = raw.size;
    let { uid, gid, mtime } = raw;
    for (const [key, value] of pax ?? []) {
      if (value === '') continue; // Go keeps the header's own value
      if (key === 'path') name = value;
      else if (key === 'linkpath') linkName = value;
      else if (key === 'size') {
        size = paxInteger(value);
        if (!(size >= 0)) return this.#badRecord(at, `size=${value}`);
      } else if (key === 'uid' || key === 'gid') {
        const id = paxInteger(value);
        if (Number.isNaN(id)) return this.#badRecord(at, `${key}=${value}`);
        if (key === 'uid') uid = id;
        else gid = id;
      } else if (key === 'mtime' || key === 'atime' || key === 'ctime') {
        if (!paxTimeOk(value)) return this.#badRecord(at, `${key}=${value}`);
        if (key === 'mtime') mtime = Math.trunc(Number(value));
      }
    }
    if (this.#gnuName) name = this.#gnuName;
    if (this.#gnuLink) linkName = this.#gnuLink;
    this.#gnuName = '';
    this.#gnuLink = '';
    let flag = raw.flag;
    // Go's TypeRegA: a directory when the name ends in "/", else a regular file.
    if (flag === '\0') flag = name.endsWith('/') ? '5' : '0';
    const headerOnly = isHeaderOnly(flag);
    const sparse = pax ? gnuSparsePax(pax) : false;
    if (sparse && headerOnly) return this.#badRecord(at, 'GNU.sparse.* on a header-only entry');
    if (sparse && pax!.get('GNU.sparse.name')) name = pax!.get('GNU.sparse.name')!;
    if (headerOnly && size > 0) {
      this.#note(
        problem(
          'tar-ambiguous',
          `${KIND[flag]} "${name}" at offset ${at} declares ${size} bytes of data: Go's archive/tar (Docker, containerd) reads none and takes the next header at offset ${at + BLOCK}; other tar readers may skip them and see other entries`,
          name,
        ),
      );
    }
    this.#physical = headerOnly ? 0 : size;
    // A sparse file's stored bytes are not its content: not a file we could read.
    const type = sparse || flag === 'S' ? 'other' : entryType(flag);
    this.#header = { name, linkName, typeflag: flag, size, mode: raw.mode, uid, gid, mtime };
    return {
      rawName: name,
      name: normalizeEntryName(name),
      type,
      size: type === 'file' ? size : 0,
      dataOffset: -1,
      linkName: type === 'symlink' || type === 'hardlink' ? linkName : null,
      truncated: false,
    };
  }
}

/** Returns true when pax records make the entry a GNU sparse file, as Go decides it. */
function gnuSparsePax(pax: Map<string, string>): boolean {
  const major = pax.get('GNU.sparse.major') ?? '';
  const minor = pax.get('GNU.sparse.minor') ?? '';
  if (major === '0' && (minor === '0' || minor === '1')) return true;
  if (major === '1' && minor === '0') return true;
  if (major !== '' || minor !== '') return false;
  return (pax.get('GNU.sparse.map') ?? '') !== '';
}
