/**
 * Push decoders for layer content (gzip, zstd, none) whose memory stays bounded whatever the
 * compression ratio. Pure: page, workers and Node.
 */
import { Decompress } from 'fzstd';
import { Gunzip, PIECE } from '../archive/gunzip.ts';
import type { Format } from './model.ts';
import { ZstdFrames } from './zstd-frames.ts';

/** Receives decoded bytes; a view is valid only during the call. */
export type Sink = (chunk: Uint8Array) => void;

/** A decoder fed compressed bytes; decoded bytes go to its sink as they come. */
export interface Decoder {
  readonly format: Format;
  /** Decodes the next bytes; resolves when `chunk` is no longer needed (it may be reused). */
  push(chunk: Uint8Array): Promise<void>;
  /** Resolves when everything decoded has reached the sink; rejects when the data is invalid. */
  end(): Promise<void>;
  /** Stops early and lets go of what it holds. */
  cancel(): void;
}

// Decoders take input in pieces of PIECE bytes: why, where it is defined.
export { PIECE };

/**
 * Decoding gives the event loop a turn at least this often. A bomb inflates for seconds in one
 * chain of promises that never returns to a worker's event loop, and Chromium then waits 2 s
 * (its forcible-termination delay) before `terminate()` stops the worker: measured here, a
 * cancelled bomb kept its worker busy for 2.0–2.2 s; with a turn every 50 ms, no time at all.
 * A turn (a MessageChannel task, not clamped like nested timers) costs well under 0.1 ms.
 */
export const YIELD_MS = 50;

let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

/** Resolves on a fresh task of the event loop: setImmediate in Node (whose message ports, drained
 * in one go, would starve timers and other ports), a MessageChannel task in browsers. */
function nextTask(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  if (immediate) return new Promise((resolve) => void immediate(resolve));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  const turn = new Promise<void>((resolve) => waiting.push(resolve));
  channel.port2.postMessage(null);
  return turn;
}

/** Returns a function to call between pieces: it yields to the event loop when one is due. */
export function breather(ms = YIELD_MS): () => Promise<void> | undefined {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < ms) return undefined;
    last = now;
    return nextTask();
  };
}

/** Returns a decoder for `format` that sends decoded bytes to `sink`; `gunzip` is the compiled
 * inflate module (`gunzipModule()`), used for gzip. */
export function createDecoder(format: Format, sink: Sink, gunzip: WebAssembly.Module): Decoder {
  if (format === 'gzip') return gzip(sink, gunzip);
  if (format === 'zstd') return zstd(sink);
  return {
    format,
    async push(chunk) {
      sink(chunk);
    },
    async end() {},
    cancel() {},
  };
}

/** Returns a gzip decoder on zlib in WebAssembly: every member, CRCs checked, flat memory. */
function gzip(sink: Sink, module: WebAssembly.Module): Decoder {
  const gunzip = new Gunzip(module, sink);
  const breathe = breather();
  return {
    format: 'gzip',
    async push(chunk) {
      for (let at = 0; at < chunk.length; at += PIECE) {
        gunzip.push(chunk.subarray(at, at + PIECE));
        await breathe();
      }
    },
    async end() {
      gunzip.finish();
    },
    cancel() {
      gunzip.cancel();
    },
  };
}

/** Returns a zstd decoder on fzstd (every frame; skippable frames skipped). fzstd allocates
 * whatever window a frame header asks for (up to 2 GiB; for a single-segment frame, its whole
 * content size) and copies it once per block: every byte goes through ZstdFrames first, which
 * refuses a frame above MAX_ZSTD_WINDOW before fzstd reads its header, and feeds fzstd up to
 * one header at a time so that window copying stays in proportion to what is decoded. */
function zstd(sink: Sink): Decoder {
  let decoded = 0;
  const decompress = new Decompress((data) => {
    decoded += data.length;
    sink(data);
  });
  const frames = new ZstdFrames(() => decoded);
  const breathe = breather();
  return {
    format: 'zstd',
    async push(chunk) {
      for (let at = 0; at < chunk.length;) {
        const piece = chunk.subarray(at, at + PIECE);
        for (let from = 0; from < piece.length;) {
          const to = frames.advance(piece, from);
          // A copy: fzstd keeps the input of an unfinished block (and a short frame head)
          // as views until its next push, and the browser's BYOB reader detaches the
          // buffer behind `chunk` when it reads the next piece into it.
          zstdPush(decompress, piece.slice(from, to));
          from = to;
        }
        at += piece.length;
        await breathe();
      }
    },
    async end() {
      frames.end();
      zstdPush(decompress, new Uint8Array(0), true);
    },
    cancel() {},
  };
}

/** Pushes to fzstd; its errors ("match distance too far back", "unexpected EOF") come out
 * saying that the zstd stream is at fault. */
function zstdPush(decompress: Decompress, chunk: Uint8Array, final = false): void {
  try {
    decompress.push(chunk, final);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new Error(/zstd/i.test(text) ? text : `not a valid zstd stream: ${text}`);
  }
}

/** What a blob's first bytes say it is: a format we decode, or the name of one we do not. */
export function sniffFormat(head: Uint8Array): Format | { unsupported: string } {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return { unsupported: 'bzip2' };
  const xz = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
  if (xz.every((b, i) => head[i] === b)) return { unsupported: 'xz' };
  return 'none';
}

/** How many leading bytes `sniffFormat` needs. */
export const SNIFF_BYTES = 6;
