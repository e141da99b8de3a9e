import type { VerifyFunction } from '../../src/app/verification.svelte.ts';
import { verifyArchive } from '../../src/app/verify/pool.ts';
import { type WorkerLike, WorkerPool } from '../../src/app/verify/worker-pool.ts';
import type { VerifyReply, VerifyRequest } from '../../workers/messages.ts';
import { handleRequest } from '../../workers/verify-job.ts';

/** A worker running the real worker job in this thread; it records what it was asked to list
 * and the buffers each reply transfers. */
export class ThreadWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  onmessageerror: WorkerLike['onmessageerror'] = null;
  constructor(private readonly seen: { listed: string[]; transferred: number }) {}
  postMessage(request: VerifyRequest): void {
    if (request.type === 'digest' && request.job.list) this.seen.listed.push(request.job.name);
    if (request.type === 'pass')
      for (const j of request.jobs) if (j.list) this.seen.listed.push(j.name);
    setTimeout(() => {
      void handleRequest(request, (reply: VerifyReply, transfer) => {
        // What postMessage would do: move the transferred buffers (detaching them here).
        this.seen.transferred += transfer?.length ?? 0;
        const data = transfer?.length ? structuredClone(reply, { transfer }) : reply;
        this.onmessage?.({ data } as MessageEvent<VerifyReply>);
      });
    }, 0);
  }
  terminate(): void {}
}

/** Returns a VerifyFunction on the page's pool of ThreadWorkers, and what they saw. */
export function threadVerify() {
  const seen = { listed: [] as string[], transferred: 0 };
  const pool = new WorkerPool({ size: 2, createWorker: () => new ThreadWorker(seen) });
  const verify: VerifyFunction = (archive, report, options) =>
    verifyArchive(archive, report, { ...options, pool });
  return { verify, seen };
}
