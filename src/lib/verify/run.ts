/**
 * Verification with every blob read in this thread: the CLI's way, and the tests'. The runner
 * here is also what the page falls back to for bytes no worker can be given.
 */
import type { Archive, ArchiveEntry } from '../archive/archive.ts';
import type { Report } from '../report/model.ts';
import type { VerifyProgress } from './model.ts';
import { type ChunkReader, streamReader } from '../archive/blob-reader.ts';
import { digestBlob } from './digest.ts';
import { type HashEngine, browserEngine } from './hash.ts';
import { type BlobRunner, runVerification } from './orchestrate.ts';
import { planVerification } from './plan.ts';
import { digestCompressedTar } from './sequential.ts';
import type { VerifyOutcome } from './session.ts';

/** Options of an in-process run. */
export interface InProcessOptions {
  signal?: AbortSignal;
  onProgress?: (progress: VerifyProgress) => void;
  engine?: HashEngine;
  /** Blobs read at once (reading one while another is hashed); 2 by default. */
  concurrency?: number;
  /** Verify only the manifests of this platform (`linux/arm64/v8`) and the indexes above them. */
  platform?: string | null;
}

/** Returns the verification of an archive against its report, every blob read in this thread.
 * Rejects only when aborted; unreadable blobs make the verification `partial`. */
export async function verifyInProcess(
  archive: Archive,
  report: Report,
  options: InProcessOptions = {},
): Promise<VerifyOutcome> {
  const { signal, onProgress } = options;
  const plan = await planVerification(archive, report, signal, { platform: options.platform });
  return runVerification(archive, plan, inThreadRunner(options), { signal, onProgress });
}

/** Returns a runner that reads and hashes every blob in this thread. */
export function inThreadRunner(
  options: { engine?: HashEngine; concurrency?: number } = {},
): BlobRunner {
  const engine = options.engine ?? browserEngine;
  return {
    concurrency: options.concurrency ?? 2,
    async digest(archive, { job, entry }, hooks, signal) {
      hooks.onStart();
      return digestBlob(job, entryReader(archive, entry), {
        engine,
        signal,
        onProgress: (n) => hooks.onBytes(n),
      });
    },
    async pass(archive, jobs, hooks, signal) {
      hooks.onStart();
      await digestCompressedTar(sourceReader(archive), jobs, {
        engine,
        signal,
        onProgress: hooks.onBytes,
        onResult: hooks.onResult,
      });
    },
  };
}

/** Returns a reader of an entry's data through the archive. */
function entryReader(archive: Archive, entry: ArchiveEntry): ChunkReader {
  return streamReader(
    entry.size,
    () => {
      const stream = archive.stream(entry);
      if (!stream) throw new Error(`"${entry.name}" can only be read in one pass over the archive`);
      return stream;
    },
    () => archive.read(entry, entry.size),
  );
}

/** Returns a reader of the whole archive file as stored. */
function sourceReader(archive: Archive): ChunkReader {
  const source = archive.source;
  if (!source) throw new Error(`"${archive.name}" has no single file to read`);
  return streamReader(source.size, () => source.stream(0, source.size));
}
