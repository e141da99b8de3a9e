/**
 * A pool of verify workers: requests queue, each runs on a free worker, a cancelled request
 * terminates its worker (or, where the worker runs others, is cancelled there alone), a worker
 * that crashes or falls silent fails its requests and is replaced, and idle workers shut down
 * after a few seconds. A worker runs one request at a time, except blobs hashed as stored:
 * up to four of those share a worker, hashed together in the lanes of its multi-buffer SHA-256
 * (src/lib/verify/sha256x4.ts), where more than one per worker are waiting.
 */
import type {
  DigestRequest,
  PassRequest,
  ProgressReply,
  VerifyReply,
  VerifyRequest,
} from '../../../workers/messages.ts';
import type { BlobResult } from '../../lib/verify/model.ts';
import { WHOLE_LIMIT } from '../../lib/verify/hash.ts';

/** What the pool needs of a worker: a module Worker, or a stand-in in tests. */
export interface WorkerLike {
  postMessage(message: VerifyRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<VerifyReply>) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
}

/** Options of a pool. */
export interface PoolOptions {
  /** Workers at most; navigator.hardwareConcurrency, and at least 2. */
  size?: number;
  /** An idle worker is shut down after this long. */
  idleMs?: number;
  /** A busy worker that sends nothing for this long is taken for dead (it reports progress
   * twice a second, even inside a long decode). */
  silenceMs?: number;
  createWorker?: () => WorkerLike;
}

/** What a request tells its caller while it runs. */
export interface RunHandlers {
  /** The request has a worker. */
  onStart?: () => void;
  onProgress?: (reply: ProgressReply) => void;
  onResult?: (result: BlobResult) => void;
}

/** A request without its id (the pool numbers them). */
export type PoolRequest = Omit<DigestRequest, 'id'> | Omit<PassRequest, 'id'>;

interface Task {
  id: number;
  request: PoolRequest;
  handlers: RunHandlers;
  signal: AbortSignal | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: WorkerLike;
  /** What it runs: one request, or up to LANES that share it (`shares`). */
  tasks: Task[];
  timer: ReturnType<typeof setTimeout> | null;
  /** The worker has listed a layer (its heap holds that garbage until it goes). */
  listed: boolean;
}

/** Blobs one worker hashes at once, one in each lane of its multi-buffer SHA-256 (sha256x4.ts's
 * LANES, not imported: the page's bundle is left without the hashers; a test holds them equal). */
export const LANES = 4;

/** Returns true for a request that may share its worker: a blob streamed and hashed as stored
 * (above the size read whole) that names no decoder (a legacy layer.tar: its diff_id is the
 * same bytes; one found compressed when sniffed is still decoded, in the same worker). */
export function shares(request: PoolRequest): boolean {
  if (request.type !== 'digest' || request.job.size <= WHOLE_LIMIT) return false;
  const decode = request.job.decode;
  return decode === null || decode === 'none' || decode === 'auto';
}

/** Returns a module worker running workers/verify.worker.ts (bundled by Vite). */
export function createVerifyWorker(): WorkerLike {
  return new Worker(new URL('../../../workers/verify.worker.ts', import.meta.url), {
    type: 'module',
    name: 'stevedore-verify',
  }) as unknown as WorkerLike;
}

/** Runs verify requests on a pool of workers. */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private scheduled = false;
  readonly size: number;
  private readonly idleMs: number;
  private readonly silenceMs: number;
  private readonly createWorker: () => WorkerLike;

  constructor(options: PoolOptions = {}) {
    const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
    this.size = Math.max(2, options.size ?? cores);
    this.idleMs = options.idleMs ?? 5000;
    this.silenceMs = options.silenceMs ?? 30_000;
    this.createWorker = options.createWorker ?? createVerifyWorker;
  }

  /** How many workers are alive, and how many of them are busy. */
  get workers(): { alive: number; busy: number } {
    return { alive: this.slots.length, busy: this.slots.filter((s) => s.tasks.length).length };
  }

  /** Runs one request; resolves when its worker says it is done. Rejects with the abort reason
   * when `signal` aborts (terminating its worker if it had one), and with an Error when the
   * worker fails, crashes or falls silent. */
  run(request: PoolRequest, handlers: RunHandlers = {}, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const task: Task = { id: this.nextId++, request, handlers, signal, resolve, reject };
      const onAbort = () => this.abort(task, signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      task.resolve = () => {
        done();
        resolve();
      };
      task.reject = (error) => {
        done();
        reject(error);
      };
      this.queue.push(task);
      this.schedule();
    });
  }

  /** Terminates every worker, failing the requests they run; queued ones go to new workers. */
  terminateAll(): void {
    for (const slot of [...this.slots]) this.drop(slot, new Error('the worker pool was shut down'));
  }

  /** Dispatches once the caller's synchronous run is over: the requests it queues at once
   * (a plan's blobs) are dealt knowing about each other. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    const given: [Slot, Task][] = [];
    while (this.queue.length > 0) {
      const task = this.queue[0]!;
      if (task.signal?.aborted) {
        // Cancelled while queued (its abort listener may not have run yet): no worker for it.
        this.queue.shift();
        task.reject(task.signal.reason);
        continue;
      }
      let slot: Slot | undefined;
      try {
        slot = this.slotFor(task);
      } catch (error) {
        this.queue.shift();
        task.reject(new Error(`the verify worker could not start: ${String(error)}`));
        continue;
      }
      if (!slot) break;
      this.queue.shift();
      slot.tasks.push(task);
      given.push([slot, task]);
    }
    // Sent once all are dealt: a blob hashes in a lane where its worker has others to hash.
    for (const [slot, task] of given) {
      if (!slot.tasks.includes(task)) continue; // its worker was dropped meanwhile
      this.arm(slot, this.silenceMs, () => this.drop(slot, silent()));
      task.handlers.onStart?.();
      const lanes = slot.tasks.length > 1;
      const request = { ...task.request, id: task.id, ...(lanes ? { lanes } : {}) };
      slot.worker.postMessage(request as VerifyRequest);
    }
  }

  /** Returns the worker for `task`: an idle one, a new one while there are fewer than `size`,
   * or, for a request that shares, the least busy one running only such requests and fewer
   * than LANES of them; undefined where none is free. Throws where a worker cannot start. */
  private slotFor(task: Task): Slot | undefined {
    const idle = this.slots.find((s) => s.tasks.length === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.spawn();
    if (!shares(task.request)) return undefined;
    let best: Slot | undefined;
    for (const s of this.slots)
      if (s.tasks.length < LANES && s.tasks.every((t) => shares(t.request)))
        if (!best || s.tasks.length < best.tasks.length) best = s;
    return best;
  }

  private spawn(): Slot {
    const slot: Slot = { worker: this.createWorker(), tasks: [], timer: null, listed: false };
    slot.worker.onmessage = (event) => this.receive(slot, event.data);
    slot.worker.onerror = (event) => {
      event.preventDefault?.();
      const detail = (event as ErrorEvent).message;
      this.drop(slot, new Error(`the verify worker crashed${detail ? `: ${detail}` : ''}`));
    };
    slot.worker.onmessageerror = () =>
      this.drop(slot, new Error('a verify message could not be read'));
    this.slots.push(slot);
    return slot;
  }

  private receive(slot: Slot, reply: VerifyReply): void {
    const task = slot.tasks.find((t) => t.id === reply.id);
    if (!task) return; // a reply to a request given up on
    this.arm(slot, this.silenceMs, () => this.drop(slot, silent()));
    switch (reply.type) {
      case 'progress':
        task.handlers.onProgress?.(reply);
        return;
      case 'result':
        task.handlers.onResult?.(reply.result);
        return;
      case 'done':
        this.release(slot, task);
        task.resolve();
        return;
      case 'error':
        this.release(slot, task);
        task.reject(new Error(reply.message));
    }
  }

  /** Takes a finished request off its worker; a worker left idle shuts down after `idleMs`, or
   * at once where it has listed a layer and nothing waits (its heap holds the garbage of every
   * entry it read, tens of megabytes for a layer of a million files, until the worker goes). */
  private release(slot: Slot, task: Task): void {
    if (listsLayers(task.request)) slot.listed = true;
    slot.tasks = slot.tasks.filter((t) => t !== task);
    if (slot.tasks.length === 0) {
      if (slot.listed && this.queue.length === 0) {
        this.drop(slot, null);
        return;
      }
      this.arm(slot, this.idleMs, () => this.drop(slot, null));
    }
    this.dispatch();
  }

  /** Gives up a request: out of the queue, or with its worker terminated; a worker that runs
   * other requests is told to cancel this one alone, and goes on with the others. */
  private abort(task: Task, reason: unknown): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.tasks.includes(task));
    if (slot) {
      slot.tasks = slot.tasks.filter((t) => t !== task);
      if (slot.tasks.length === 0) this.drop(slot, null);
      else slot.worker.postMessage({ type: 'cancel', id: task.id });
    }
    task.reject(reason);
  }

  /** Terminates a worker; its requests (if any) fail with `error`, and the queue moves on. */
  private drop(slot: Slot, error: Error | null): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    if (slot.timer) clearTimeout(slot.timer);
    slot.worker.onmessage = null;
    slot.worker.onerror = null;
    slot.worker.onmessageerror = null;
    slot.worker.terminate();
    const tasks = slot.tasks;
    slot.tasks = [];
    if (error) for (const task of tasks) task.reject(error);
    this.dispatch();
  }

  private arm(slot: Slot, ms: number, then: () => void): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(then, ms);
  }
}

/** Returns true when a request lists a layer. */
function listsLayers(request: PoolRequest): boolean {
  return request.type === 'digest' ? request.job.list === true : request.jobs.some((j) => j.list);
}

/** Returns the error of a worker that went silent. */
function silent(): Error {
  return new Error('the verify worker stopped answering');
}
