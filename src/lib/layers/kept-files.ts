/**
 * The bytes of a few regular files of a layer, kept as the layer's decoded tar streams past (the
 * package databases, os-release, copyrights): chosen by a rule on the cleaned path, each bounded
 * by the rule's limit, all of them by a total per layer. What is over a bound is dropped with
 * its reason, never read into memory. Plain data, keyed by the entry's index in the listing.
 */

/** Returns the most bytes to keep of a regular file at a cleaned path, or null to keep none. */
export type KeepRule = (path: string) => number | null;

/** One kept file: the listing entry it is, its cleaned path and its whole content. */
export interface KeptFile {
  entry: number;
  path: string;
  bytes: Uint8Array;
}

/** A file the rule chose but whose bytes were not kept, and why. */
export interface DroppedFile {
  entry: number;
  path: string;
  size: number;
  /** `too-large`: over a bound, never read; `incomplete`: the layer did not hold it whole. */
  kind: 'too-large' | 'incomplete';
  reason: string;
}

/** What one layer's read kept. */
export interface KeptFiles {
  files: KeptFile[];
  dropped: DroppedFile[];
}

/** Bounds of one layer's keeping. */
export interface KeepBounds {
  /** Bytes kept in all. */
  maxBytes: number;
  /** Files kept in all. */
  maxFiles: number;
}

/** Keeps the files a rule chooses, told entry by entry as a tar parser reads them. */
export class FileKeeper {
  private readonly files: KeptFile[] = [];
  private readonly dropped: DroppedFile[] = [];
  private total = 0;
  private current: { file: KeptFile; fill: number } | null = null;

  constructor(
    private readonly rule: KeepRule,
    private readonly bounds: KeepBounds,
  ) {}

  /** Starts a regular file (listing entry `entry`, cleaned `path`, `size` bytes declared). */
  begin(entry: number, path: string, size: number): void {
    this.abandon();
    const limit = this.rule(path);
    if (limit === null) return;
    const refuse = (reason: string): void =>
      void this.dropped.push({ entry, path, size, kind: 'too-large', reason });
    if (size > limit) return refuse(`${size} bytes, more than the ${limit} read of such a file`);
    if (this.files.length >= this.bounds.maxFiles)
      return refuse(`more than ${this.bounds.maxFiles} package files in one layer`);
    if (this.total + size > this.bounds.maxBytes)
      return refuse(`more than ${this.bounds.maxBytes} bytes of package files in one layer`);
    this.total += size;
    this.current = { file: { entry, path, bytes: new Uint8Array(size) }, fill: 0 };
  }

  /** Takes the next piece of the current file's data. */
  data(chunk: Uint8Array): void {
    const c = this.current;
    if (!c) return;
    const room = c.file.bytes.length - c.fill;
    c.file.bytes.set(room < chunk.length ? chunk.subarray(0, room) : chunk, c.fill);
    c.fill += Math.min(room, chunk.length);
  }

  /** The current file's data is complete. */
  end(): void {
    const c = this.current;
    if (!c) return;
    this.current = null;
    if (c.fill === c.file.bytes.length) this.files.push(c.file);
    else this.drop(c, `only ${c.fill} of its ${c.file.bytes.length} bytes were read`);
  }

  /** Returns what was kept; a file the layer ended inside is dropped. */
  result(): KeptFiles {
    this.abandon();
    return { files: this.files, dropped: this.dropped };
  }

  private abandon(): void {
    const c = this.current;
    if (!c) return;
    this.current = null;
    this.drop(c, 'the layer ends inside it');
  }

  private drop(c: { file: KeptFile; fill: number }, reason: string): void {
    this.total -= c.file.bytes.length;
    const { entry, path, bytes } = c.file;
    this.dropped.push({ entry, path, size: bytes.length, kind: 'incomplete', reason });
  }
}

/** Returns the buffers of kept files, for a `postMessage` transfer list. */
export function keptBuffers(kept: KeptFiles): ArrayBuffer[] {
  return kept.files.map((f) => f.bytes.buffer as ArrayBuffer);
}
