/**
 * The verification's own nouns, shared by the page, the workers and the CLI. Jobs and results
 * are plain data so that they cross `postMessage` unchanged.
 */
import type { Digest } from '../report/model.ts';
import type { UnsafePath } from './layer-paths.ts';
import type { Compression } from '../oci/model.ts';
import type { LayerListingData } from '../layers/listing.ts';
import type { KeptFiles } from '../layers/kept-files.ts';

/** The compressions a decoder exists for: the model's `Compression`, less what is unknown. */
export type Format = Exclude<Compression, 'unknown'>;

/** How a blob is decoded for its diff_id: by its media type, or sniffed from its first bytes. */
export type Decoding = Format | 'auto';

/** One blob to read once, however many descriptors name it. */
export interface BlobJob {
  id: number;
  /** The archive entry holding the blob (after links are followed). */
  name: string;
  size: number;
  /** Where the entry's data starts in the (uncompressed) outer tar; -1 outside a tar. */
  dataOffset: number;
  /** How to decode it to check a diff_id; null when no diff_id names it. */
  decode: Decoding | null;
  /** Also list the decoded layer's entries (with an xxhash64 of each regular file) from the
   * same bytes; off unless asked, and only where the job decodes. */
  list?: boolean;
  /** With `list`: also keep the bytes of the files the package readers read (os-release, the
   * apk, dpkg and rpm databases, copyrights: src/lib/packages/paths.ts), each and all bounded. */
  keep?: boolean;
}

/** What reading a blob found: its digest and length, and those of its decoded content. */
export interface BlobDigests {
  id: number;
  sha256: Digest;
  length: number;
  /** Null when the job asked for no decoding. */
  content: ContentDigest | null;
  /** The decoded layer's listing, where the job asked for one and the content was decoded
   * (entries up to where the tar could not be read further, `listingIncomplete` says why). */
  listing?: LayerListingData;
  listingIncomplete?: string;
  /** The package files kept, keyed by listing entry, where the job asked (`keep`). */
  kept?: KeptFiles;
}

/** The digest of a blob's decoded content, or why it could not be decoded (`unsupported`
 * where the compression is one no decoder exists for: bzip2, xz). */
export type ContentDigest =
  | { format: Format; sha256: Digest; length: number; unsafePaths?: UnsafePath[] }
  | { format: Format | null; error: string; unsupported?: boolean };

/** A job that could not be read at all (I/O failure, crashed worker, archive cut short). */
export interface BlobFailure {
  id: number;
  error: string;
}

/** The outcome of one job. */
export type BlobResult = BlobDigests | BlobFailure;

/** Where a blob stands while verification runs. */
export type BlobState =
  'queued' | 'running' | 'ok' | 'mismatch' | 'missing' | 'unsupported' | 'error';

/** One blob's line in the progress: what it is, how far it is, and how it ended. */
export interface BlobProgress {
  /** The job id; missing blobs get ids after the jobs'. */
  id: number;
  /** The archive entry, null for a blob that is not in the archive. */
  name: string | null;
  /** The digests and names its checks are about (descriptor digest, diff_id, entry name): the
   * report view finds a layer's or manifest's state by looking its digest up here. */
  targets: string[];
  size: number;
  bytesDone: number;
  state: BlobState;
  /** Why it is missing, unsupported or failed to read; null otherwise. */
  detail: string | null;
}

/** What `onProgress` receives, at most twice a second (PROGRESS_INTERVAL_MS) and at the end. */
export interface VerifyProgress {
  /** Bytes read so far (as stored: compressed bytes for layers, the outer file for .tar.gz). */
  bytesDone: number;
  bytesTotal: number;
  /** Average read speed since the start, in MB/s (10^6 bytes). */
  mbPerSecond: number;
  /** Seconds left at that speed; null until there is a speed to go by. */
  etaSeconds: number | null;
  /** One line per blob (and per missing blob), in plan order: largest first. */
  jobs: BlobProgress[];
  /** What the run has measured so far. */
  figures: VerifyFigures;
}

/** What a run measured: the work of blob digests (bytes as stored) apart from that of diff_ids
 * (bytes decoded from gzip or zstd), for the page's figures and the benchmark. */
export interface VerifyFigures {
  /** Since the run started (its plan made), in ms; final once the run is finished. */
  elapsedMs: number;
  /** Bytes hashed as stored, of the blobs finished so far. */
  storedBytes: number;
  /** Bytes decoded and hashed for diff_ids, of the layers finished so far (a layer stored
   * uncompressed is hashed once, as stored, and counts only there). */
  decodedBytes: number;
  /** From the first start to the last result of those decoded layers, in ms; 0 if none. */
  decodeMs: number;
}

/** Returns true for a result that carries digests. */
export function isDigests(result: BlobResult): result is BlobDigests {
  return 'sha256' in result;
}
