/**
 * Verification where only one pass is possible (a gzip-compressed outer tar): every blob's
 * digests are computed as the inflated tar streams past. Pure: page, workers and Node.
 */
import type { BlobJob, BlobResult } from './model.ts';
import type { ChunkReader } from '../archive/blob-reader.ts';
import { readTarStream } from '../archive/tar-stream.ts';
import { BlobDigester } from './digest.ts';
import { type HashEngine, browserEngine } from './hash.ts';
import { gunzipStream } from '../archive/gunzip.ts';

/** Options of a single pass. */
export interface PassOptions {
  engine?: HashEngine;
  signal?: AbortSignal;
  /** Called with the compressed bytes read so far. */
  onProgress?: (bytesRead: number) => void;
  /** Called with each blob's result as soon as its entry has gone by. */
  onResult: (result: BlobResult) => void;
}

/** Reads a gzip-compressed tar once and gives every job its result; a job whose entry never
 * came gets an error saying where reading stopped. Throws only when aborted. */
export async function digestCompressedTar(
  source: ChunkReader,
  jobs: readonly BlobJob[],
  options: PassOptions,
): Promise<void> {
  const { signal, onResult } = options;
  const engine = options.engine ?? browserEngine;
  const byOffset = new Map(jobs.map((job) => [job.dataOffset, job]));
  const waiting = new Set(jobs.map((job) => job.id));
  let read = 0;
  const tar = gunzipStream(
    source,
    (bytes) => {
      read += bytes;
      options.onProgress?.(read);
    },
    signal,
  );
  let current: { job: BlobJob; digester: Promise<BlobDigester> } | null = null;
  let stopped: string | null = null;
  const finish = (result: BlobResult) => {
    waiting.delete(result.id);
    onResult(result);
  };
  try {
    const pass = await readTarStream(
      tar,
      {
        entry(entry) {
          const job = entry.type === 'file' ? byOffset.get(entry.dataOffset) : undefined;
          if (!job || !waiting.has(job.id)) return void (current = null);
          const digester = BlobDigester.create(job, {
            engine,
            hashStored: true,
          });
          digester.catch(() => {}); // seen where it is awaited
          current = { job, digester };
        },
        async data(_entry, chunk) {
          if (current) await (await current.digester).push(chunk);
        },
        async end() {
          if (!current) return;
          const { digester } = current;
          current = null;
          finish(await (await digester).finish());
        },
      },
      { signal },
    );
    // Notes (a pax global header, an ambiguous header) do not stop the pass; a fault does.
    const why = pass.fault;
    if (why) stopped = why.message;
    // The tar ends before the file does (padding after the end-of-archive blocks).
    else options.onProgress?.(source.size);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    stopped = `the compressed archive could not be read past byte ${read} (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    const left = current as { digester: Promise<BlobDigester> } | null;
    if (left)
      void left.digester.then(
        (d) => d.cancel(),
        () => {},
      );
  }
  for (const job of jobs) {
    if (!waiting.has(job.id)) continue;
    finish({
      id: job.id,
      error: stopped
        ? `not reached in the archive's single pass: ${stopped}`
        : `"${job.name}" did not come by in the archive's single pass`,
    });
  }
}
