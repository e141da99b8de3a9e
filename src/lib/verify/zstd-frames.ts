/**
 * A zstd stream's frame structure (RFC 8878 §3.1), read without decoding: frame headers, block
 * headers, checksums, skippable frames. The zstd decoder runs every byte through it first, so a
 * frame whose window is too large is refused before fzstd allocates that window. Pure.
 */
import { MAX_ZSTD_WINDOW } from '../limits.ts';

/** What a zstd frame header says (RFC 8878 §3.1.1.1). */
export interface FrameHeader {
  /** Bytes of the header: magic number to the end of Frame_Content_Size. */
  headerSize: number;
  /** The memory a decoder must keep: the Window_Descriptor's, or the content size of a
   * single-segment frame. */
  windowSize: number;
  /** Frame_Content_Size, null when absent. */
  contentSize: number | null;
  singleSegment: boolean;
  checksum: boolean;
  dictionaryId: number;
}

/** A frame that is valid zstd but asks for more memory than the limit: its layer's diff_id
 * cannot be checked here (zstd's own CLI refuses it too without --long). */
export class ZstdWindowError extends Error {
  override readonly name = 'ZstdWindowError';
}

/** The largest block a frame may hold (Block_Maximum_Size is at most 128 KiB). */
export const MAX_BLOCK = 128 * 1024;

const ZSTD_MAGIC = 0xfd2fb528;
const FRAME_HEADER_MAX = 18;

/** Returns the header size a frame's first 5 bytes announce (6 to 18). */
function headerSizeOf(descriptor: number): number {
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  const contentBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
  return 5 + (singleSegment ? 0 : 1) + dictionaryBytes + contentBytes;
}

/** Returns the little-endian unsigned integer of `n` bytes at `at` (exact up to 2^53). */
function readLE(bytes: Uint8Array, at: number, n: number): number {
  let value = 0;
  for (let i = n - 1; i >= 0; i--) value = value * 256 + bytes[at + i]!;
  return value;
}

/** Returns what a whole zstd frame header says; throws when it is not one. */
export function parseFrameHeader(bytes: Uint8Array): FrameHeader {
  if (bytes.length < 5 || readLE(bytes, 0, 4) !== ZSTD_MAGIC) throw new Error('not a zstd frame');
  const descriptor = bytes[4]!;
  if (descriptor & 0x08) throw new Error('invalid zstd frame header: reserved bit set');
  const headerSize = headerSizeOf(descriptor);
  if (bytes.length < headerSize) throw new Error('zstd frame header cut short');
  const singleSegment = ((descriptor >> 5) & 1) === 1;
  const fcsFlag = descriptor >> 6;
  let at = 5;
  let windowSize = 0;
  if (!singleSegment) {
    const wd = bytes[at++]!;
    const base = 2 ** (10 + (wd >> 3));
    windowSize = base + (base / 8) * (wd & 7);
  }
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  const dictionaryId = readLE(bytes, at, dictionaryBytes);
  at += dictionaryBytes;
  const contentBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : 1 << fcsFlag;
  let contentSize: number | null = null;
  if (contentBytes > 0)
    contentSize = readLE(bytes, at, contentBytes) + (contentBytes === 2 ? 256 : 0);
  if (singleSegment) windowSize = contentSize!;
  return {
    headerSize,
    windowSize,
    contentSize,
    singleSegment,
    checksum: ((descriptor >> 2) & 1) === 1,
    dictionaryId,
  };
}

/** Returns `bytes` in MiB for a message: whole where exact, else rounded up to a tenth. */
function mib(bytes: number): string {
  const n = bytes / 2 ** 20;
  return Number.isInteger(n) ? String(n) : (Math.ceil(n * 10) / 10).toFixed(1);
}

/** Throws a ZstdWindowError when a frame would need more than `limit` bytes of window.
 * fzstd allocates the whole window when it reads the header, and for a single-segment frame
 * the window is the whole content size: both are held to the same limit. */
export function checkWindow(header: FrameHeader, limit = MAX_ZSTD_WINDOW): void {
  if (header.windowSize <= limit) return;
  throw new ZstdWindowError(
    `zstd frame asks for a ${mib(header.windowSize)} MiB window, more than the ${mib(limit)} MiB limit`,
  );
}

type State =
  | 'frame' // collecting a frame header (or a skippable frame's 8 bytes)
  | 'block' // collecting a 3-byte block header
  | 'skip'; // passing over `skip` bytes (block content, checksum, skippable frame)

/**
 * fzstd shifts its whole window along after every block that is not empty (and allocates it
 * once per frame), however little the block holds: 1-byte blocks under a 128 MiB window cost
 * 128 MiB of copying for every 4 bytes read (measured: 10 ms each, 20,000 of them in 80 KB took
 * minutes). That copying is held to this many bytes per byte decoded (a full 128 KiB block under
 * the largest window allowed costs 1024), plus WINDOW_SLACK.
 */
export const WINDOW_COPY_RATIO = 2048;
/** Window copying allowed beyond WINDOW_COPY_RATIO (a few frames' and blocks' worth). */
export const WINDOW_SLACK = 1 << 30;

/** Follows a zstd stream's frames as its bytes go by, in order, without decoding: checks each
 * frame's window before the decoder behind it sees that frame's header, and the window work
 * against the bytes decoded before the decoder does that work. */
export class ZstdFrames {
  private state: State = 'frame';
  private readonly head = new Uint8Array(FRAME_HEADER_MAX);
  private have = 0;
  private need = 4;
  private skip = 0;
  private lastBlock = false;
  private checksum = false;
  private position = 0;
  private window = 0;
  /** Window bytes fzstd allocates and copies for the frames and blocks read so far. */
  private copied = 0;
  /** True when `copied` looked too large for the bytes decoded so far, which lag behind: the
   * decoder is fed what came before, then it is judged again. */
  private overdrawn = false;
  /** Frames begun, skippable ones included. */
  frames = 0;
  /** Blocks begun. */
  blocks = 0;

  /** `decoded` returns the bytes the decoder behind has given so far. */
  constructor(
    private readonly decoded: () => number,
    private readonly limit = MAX_ZSTD_WINDOW,
  ) {}

  /** Reads the structure of `chunk` from `from` on; returns where the caller should stop
   * feeding the decoder before calling again: at the end of a frame, after a header whose window
   * work looks too large for what is decoded so far, or at the chunk's end. Throws at the first
   * frame refused or invalid, or when window work is out of proportion to what is decoded. */
  advance(chunk: Uint8Array, from: number): number {
    if (this.overdrawn && this.overdrawnNow()) {
      throw new ZstdWindowError(
        `zstd data has ${this.blocks} blocks for ${this.decoded()} bytes decoded, each copying ` +
          `a ${mib(this.window)} MiB window: more work than the data is worth`,
      );
    }
    this.overdrawn = false;
    let i = from;
    while (i < chunk.length) {
      if (this.state === 'skip') {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        // At the end of a frame, stop: what came before goes to the decoder before the next
        // frame's header is judged.
        if (this.skip === 0 && this.afterSkip()) break;
        continue;
      }
      const n = Math.min(this.need - this.have, chunk.length - i);
      this.head.set(chunk.subarray(i, i + n), this.have);
      this.have += n;
      i += n;
      if (this.have === this.need && this.collected(this.position + i - from)) break;
    }
    this.position += i - from;
    return i;
  }

  /** Throws when the stream ends inside a frame. */
  end(): void {
    if (this.state === 'frame' && this.have === 0) return;
    throw new Error(`zstd data ends inside frame ${this.frames} (at byte ${this.position})`);
  }

  /** Counts `bytes` of window work; returns true (a place to stop) when they look too many. */
  private charge(bytes: number): boolean {
    this.copied += bytes;
    this.overdrawn = this.overdrawnNow();
    return this.overdrawn;
  }

  private overdrawnNow(): boolean {
    return this.copied > WINDOW_COPY_RATIO * this.decoded() + WINDOW_SLACK;
  }

  /** The bytes the current state wanted are in `head`; `at` is the stream offset after them.
   * Returns true where the caller should stop and feed the decoder. */
  private collected(at: number): boolean {
    if (this.state === 'block') return this.blockHeader(at);
    const magic = readLE(this.head, 0, 4);
    if (this.need === 4) {
      if (magic === ZSTD_MAGIC) this.need = 5;
      else if (magic >>> 4 === 0x184d2a5) this.need = 8;
      else throw new Error(`invalid zstd data: no frame starts at byte ${at - 4}`);
      return false;
    }
    if (magic !== ZSTD_MAGIC) {
      // A skippable frame: its 4-byte size, then that many bytes no decoder reads.
      this.frames++;
      this.have = 0;
      this.skip = readLE(this.head, 4, 4);
      this.lastBlock = true;
      this.checksum = false;
      this.state = this.skip > 0 ? 'skip' : 'frame';
      this.need = 4;
      return this.skip === 0;
    }
    if (this.need === 5) {
      this.need = headerSizeOf(this.head[4]!);
      if (this.have < this.need) return false;
    }
    this.frames++;
    const header = parseFrameHeader(this.head.subarray(0, this.need));
    checkWindow(header, this.limit);
    this.window = header.windowSize;
    this.checksum = header.checksum;
    this.state = 'block';
    this.have = 0;
    this.need = 3;
    return this.charge(header.windowSize); // fzstd allocates it now
  }

  private blockHeader(at: number): boolean {
    const h = this.head[0]! | (this.head[1]! << 8) | (this.head[2]! << 16);
    const type = (h >> 1) & 3;
    const size = h >>> 3;
    if (type === 3) throw new Error(`invalid zstd data: reserved block type at byte ${at - 3}`);
    if (size > MAX_BLOCK) {
      throw new Error(
        `invalid zstd data: a ${size}-byte block (at most ${MAX_BLOCK}) at byte ${at - 3}`,
      );
    }
    this.blocks++;
    this.lastBlock = (h & 1) === 1;
    this.have = 0;
    this.skip = type === 1 ? 1 : size; // an RLE block holds one byte
    this.state = 'skip';
    if (this.skip === 0) this.afterSkip();
    // fzstd shifts its whole window along once the block is decoded (an empty one costs nothing).
    return size > 0 && this.charge(this.window);
  }

  /** Moves on after skipped bytes to the next block, the frame's checksum, or the next frame;
   * returns true in the last case. */
  private afterSkip(): boolean {
    this.have = 0;
    if (!this.lastBlock) {
      this.state = 'block';
      this.need = 3;
    } else if (this.checksum) {
      this.checksum = false;
      this.skip = 4;
      this.state = 'skip';
    } else {
      this.state = 'frame';
      this.need = 4;
      return true;
    }
    return false;
  }
}
