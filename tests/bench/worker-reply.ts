// What the bench workers (worker-entry.ts, inflate-entry.ts) post back, shared by them and by
// their drivers; a module of its own, so that importing it does not start a worker's loop.

/** What a bench worker answers. */
export interface WorkerBenchReply {
  ms: number;
  storedBytes: number;
  decodedBytes: number;
  diffId: string | null;
  entries: number;
  /** Packages read (with `packages`), else 0. */
  packages: number;
  error?: string;
}

/** Returns a reply of nothing measured yet, or, with `error`, of a run that failed. */
export function emptyReply(error?: string): WorkerBenchReply {
  const reply: WorkerBenchReply = {
    ms: 0,
    storedBytes: 0,
    decodedBytes: 0,
    diffId: null,
    entries: 0,
    packages: 0,
  };
  if (error !== undefined) reply.error = error;
  return reply;
}
