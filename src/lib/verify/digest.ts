/**
 * One blob's digests in one read: the SHA-256 and length of the bytes as stored, and where a
 * diff_id needs it, the SHA-256 and length of the decoded content. Pure: page, workers, Node.
 */
import type { BlobDigests, BlobJob, ContentDigest, Format } from './model.ts';
import type { ChunkReader } from '../archive/blob-reader.ts';
import { type HashEngine, type Sha256, browserEngine } from './hash.ts';
import { messageOf } from '../errors.ts';
import { LayerPathScanner } from './layer-paths.ts';
import { ListingScanner } from '../layers/listing-scanner.ts';
import { MAX_KEPT_BYTES_PER_LAYER, MAX_KEPT_FILES_PER_LAYER } from '../packages/limits.ts';
import { packageFileLimit } from '../packages/paths.ts';
import { ZstdWindowError } from './unzstd.ts';
import {
  type Decoder,
  type DecoderModules,
  SNIFF_BYTES,
  createDecoder,
  decoderModules,
  sniffFormat,
} from './inflate.ts';

/** Called with the bytes read so far and the bytes decoded so far. */
export type DigestProgress = (bytesRead: number, bytesDecoded: number) => void;

/** What one layer read keeps of package files, at most. */
const KEEP_BOUNDS = { maxBytes: MAX_KEPT_BYTES_PER_LAYER, maxFiles: MAX_KEPT_FILES_PER_LAYER };

/** Options of a digester. */
export interface DigesterOptions {
  engine: HashEngine;
  /** Where the stored bytes are hashed, if not by `engine` (a lane of the worker's
   * multi-buffer SHA-256, laneEngine); decoded content is always hashed by `engine`. */
  storedEngine?: HashEngine;
  /** False where the caller hashes the stored bytes itself (whole small blobs). */
  hashStored: boolean;
  onDecoded?: (bytesDecoded: number) => void;
  /** List the decoded layer as well (the job's `list` flag does the same). */
  list?: boolean;
  /** With a listing, keep the package files' bytes as well (as the job's `keep` flag does). */
  keep?: boolean;
}

/** Computes one blob's digests as its bytes are pushed, in order. */
export class BlobDigester {
  private length = 0;
  private decodedLength = 0;
  private format: Format | null = null;
  private decoder: Decoder | null = null;
  private failure: ContentDigest | null = null;
  private head: Uint8Array | null = null;
  // The decoded layer's tar headers go by anyway: note entries that would escape its root
  // (and, where a listing is asked for, list them: one parser for both).
  private readonly paths: LayerPathScanner;

  private constructor(
    private readonly job: BlobJob,
    private readonly options: DigesterOptions,
    private readonly stored: Sha256 | null,
    private readonly decoded: Sha256 | null,
    private lister: ListingScanner | null,
    private readonly modules: DecoderModules | null,
  ) {
    this.paths = new LayerPathScanner(lister?.handlers);
    const decode = job.decode;
    if (decode !== null && decode !== 'auto') this.start(decode);
  }

  /** Returns a digester for `job`, its hashers ready. */
  static async create(job: BlobJob, options: DigesterOptions): Promise<BlobDigester> {
    const stored = options.hashStored
      ? await (options.storedEngine ?? options.engine).create()
      : null;
    const needsDecoded = job.decode !== null && job.decode !== 'none';
    const decoded = needsDecoded ? await options.engine.create() : null;
    const wantsList = (job.list === true || options.list === true) && job.decode !== null;
    const wantsKeep = wantsList && (job.keep === true || options.keep === true);
    const keep = wantsKeep ? { rule: packageFileLimit, bounds: KEEP_BOUNDS } : undefined;
    const lister = wantsList ? await ListingScanner.create(keep) : null;
    // The decoders are fetched and compiled only for a blob that may need one: a worker that
    // hashes configs or uncompressed layers never loads them.
    const modules = job.decode === null || job.decode === 'none' ? null : await decoderModules();
    return new BlobDigester(job, options, stored, decoded, lister, modules);
  }

  /** Takes the next bytes; the view may be reused once the promise settles. */
  async push(chunk: Uint8Array): Promise<void> {
    this.length += chunk.length;
    this.stored?.update(chunk);
    if (this.job.decode === null || this.failure) return;
    if (this.format === null) {
      // Sniffing needs the first bytes whole; they may come in pieces (tar stream boundaries).
      const joined = this.head ? concat(this.head, chunk) : chunk;
      if (joined.length < SNIFF_BYTES) {
        this.head = joined === chunk ? chunk.slice() : joined;
        return;
      }
      this.head = null;
      this.sniff(joined);
      return this.feed(joined);
    }
    return this.feed(chunk);
  }

  /** Returns the digests; `stored` where the caller hashed the stored bytes itself. */
  async finish(stored?: { sha256: string; length: number }): Promise<BlobDigests> {
    if (this.job.decode !== null && this.format === null && !this.failure) {
      const head = this.head ?? new Uint8Array(0);
      this.sniff(head);
      await this.feed(head);
    }
    if (this.decoder) {
      try {
        await this.decoder.end();
      } catch (error) {
        this.fail(error);
      }
    }
    const own = stored ?? { sha256: this.stored!.digest(), length: this.length };
    const content = this.content(own);
    return { id: this.job.id, sha256: own.sha256, length: own.length, content, ...this.listing() };
  }

  /** Stops decoding (on abort or error). */
  cancel(): void {
    this.decoder?.cancel();
    this.decoder = null;
    this.lister?.release();
    this.lister = null;
  }

  /** Gives up the hashers too, where the blob is abandoned (on abort or a failed read): a lane
   * of a shared multi-buffer SHA-256 goes back to the other blobs. */
  dispose(): void {
    this.cancel();
    this.stored?.release?.();
    this.decoded?.release?.();
  }

  /** The listing fields of the result: present where one was asked for and the content was
   * decoded whole (a layer that failed to decode lists nothing: its entries are not known). */
  private listing(): Pick<BlobDigests, 'listing' | 'listingIncomplete' | 'kept'> {
    const lister = this.lister;
    this.lister = null;
    if (!lister) return {};
    if (this.failure || this.format === null) {
      lister.release();
      return {};
    }
    const incomplete = this.paths.incomplete;
    const kept = lister.kept();
    const listing = lister.finish().toTransfer();
    const withKept = kept ? { listing, kept } : { listing };
    return incomplete === null ? withKept : { ...withKept, listingIncomplete: incomplete };
  }

  private content(stored: { sha256: string; length: number }): ContentDigest | null {
    if (this.job.decode === null) return null;
    if (this.failure) return this.failure;
    // Present only when the layer has entries escaping its root (plain data for postMessage).
    const paths = this.paths.unsafe.length > 0 ? { unsafePaths: this.paths.unsafe } : {};
    if (this.format === 'none') return { format: 'none', ...stored, ...paths };
    return {
      format: this.format!,
      sha256: this.decoded!.digest(),
      length: this.decodedLength,
      ...paths,
    };
  }

  private sniff(head: Uint8Array): void {
    const found = sniffFormat(head);
    if (typeof found === 'string') this.start(found);
    else
      this.failure = {
        format: null,
        error: `${found.unsupported} is not supported`,
        unsupported: true,
      };
  }

  private start(format: Format): void {
    this.format = format;
    if (format === 'none') return;
    this.decoder = createDecoder(
      format,
      (data) => {
        this.decoded!.update(data);
        this.paths.push(data);
        this.decodedLength += data.length;
        this.options.onDecoded?.(this.decodedLength);
      },
      this.modules!, // loaded wherever job.decode may name a compression (create)
    );
  }

  private async feed(chunk: Uint8Array): Promise<void> {
    if (this.format === 'none') this.paths.push(chunk);
    if (!this.decoder || chunk.length === 0) return;
    try {
      await this.decoder.push(chunk);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.cancel();
    // A zstd frame above the window limit is valid data this reader declines: not checkable.
    const declined = error instanceof ZstdWindowError ? { unsupported: true } : {};
    this.failure = { format: this.format, error: messageOf(error), ...declined };
  }
}

/** Returns `a` followed by `b`, in a new buffer. */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Options of `digestBlob`. */
export interface DigestBlobOptions {
  engine?: HashEngine;
  /** Where the stored bytes are hashed, if not by `engine` (see DigesterOptions). */
  storedEngine?: HashEngine;
  signal?: AbortSignal;
  onProgress?: DigestProgress;
  /** List the decoded layer as well (as the job's `list` flag does). */
  list?: boolean;
  /** With a listing, keep the package files' bytes (as the job's `keep` flag does). */
  keep?: boolean;
}

/** Returns the digests of one blob, read once. Throws when the blob cannot be read or on abort. */
export async function digestBlob(
  job: BlobJob,
  reader: ChunkReader,
  options: DigestBlobOptions = {},
): Promise<BlobDigests> {
  const engine = options.engine ?? browserEngine;
  const { signal, onProgress } = options;
  let read = 0;
  let decoded = 0;
  const digester = await BlobDigester.create(job, {
    engine,
    storedEngine: options.storedEngine,
    hashStored: job.size > engine.wholeLimit,
    onDecoded: (n) => onProgress?.(read, (decoded = n)),
    list: options.list,
    keep: options.keep,
  });
  try {
    if (job.size <= engine.wholeLimit) {
      const bytes = await reader.readAll(signal);
      onProgress?.((read = bytes.length), decoded);
      await digester.push(bytes);
      const sha256 = await engine.digest(bytes);
      return await digester.finish({ sha256, length: bytes.length });
    }
    await reader.read(async (chunk) => {
      await digester.push(chunk);
      onProgress?.((read += chunk.length), decoded);
    }, signal);
    return await digester.finish();
  } catch (error) {
    digester.dispose();
    throw error;
  }
}
