/**
 * Push decoders for layer content (gzip, zstd, none) whose memory stays bounded whatever the
 * compression ratio. Pure: page, workers and Node.
 */
import { Gunzip, PIECE, gunzipModule } from '../archive/gunzip.ts';
import type { Format } from './model.ts';
import { Unzstd, unzstdModule } from './unzstd.ts';

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

/** The compiled WebAssembly decoders a decoder is made of. */
export interface DecoderModules {
  gunzip: WebAssembly.Module;
  unzstd: WebAssembly.Module;
}

/** Returns the decoders' modules (compiled once per page, worker or process). */
export async function decoderModules(): Promise<DecoderModules> {
  const [gunzip, unzstd] = await Promise.all([gunzipModule(), unzstdModule()]);
  return { gunzip, unzstd };
}

/** Returns a decoder for `format` that sends decoded bytes to `sink`. */
export function createDecoder(format: Format, sink: Sink, modules: DecoderModules): Decoder {
  if (format === 'none')
    return {
      format,
      async push(chunk) {
        sink(chunk);
      },
      async end() {},
      cancel() {},
    };
  // Both in WebAssembly, fed PIECE bytes at a time with a turn of the event loop where one is
  // due: gzip on zlib (every member, CRCs checked), zstd on libzstd (every frame, checksums
  // checked, windows above the limit refused); output from one reused buffer: flat memory.
  const decoder =
    format === 'gzip' ? new Gunzip(modules.gunzip, sink) : new Unzstd(modules.unzstd, sink);
  const breathe = breather();
  return {
    format,
    async push(chunk) {
      for (let at = 0; at < chunk.length; at += PIECE) {
        decoder.push(chunk.subarray(at, at + PIECE));
        await breathe();
      }
    },
    async end() {
      decoder.finish();
    },
    cancel() {
      decoder.cancel();
    },
  };
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
