/**
 * A pool of verify workers: requests queue, each runs on a free worker (one at a time per
 * worker), a cancelled request terminates its worker, a worker that crashes or falls silent
 * fails its request and is replaced, and idle workers shut down after a few seconds.
 */
import type {
  DigestRequest,
  PassRequest,
  ProgressReply,
  VerifyReply,
  VerifyRequest,
} from '../../../workers/messages.ts';
import type { BlobResult } from '../../lib/verify/model.ts';

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
   * several times a second, even inside a long decode). */
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
  task: Task | null;
  timer: ReturnType<typeof setTimeout> | null;
  /** The worker has listed a layer (its heap holds that garbage until it goes). */
  listed: boolean;
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
    return { alive: this.slots.length, busy: this.slots.filter((s) => s.task).length };
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
      this.dispatch();
    });
  }

  /** Terminates every worker, failing the requests they run; queued ones go to new workers. */
  terminateAll(): void {
    for (const slot of [...this.slots]) this.drop(slot, new Error('the worker pool was shut down'));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const task = this.queue[0]!;
      if (task.signal?.aborted) {
        // Cancelled while queued (its abort listener may not have run yet): no worker for it.
        this.queue.shift();
        task.reject(task.signal.reason);
        continue;
      }
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < this.size) {
        try {
          slot = this.spawn();
        } catch (error) {
          this.queue.shift();
          task.reject(new Error(`the verify worker could not start: ${String(error)}`));
          continue;
        }
      }
      if (!slot) return;
      this.queue.shift();
      const busy = slot;
      busy.task = task;
      this.arm(busy, this.silenceMs, () => this.drop(busy, silent()));
      task.handlers.onStart?.();
      busy.worker.postMessage({ ...task.request, id: task.id } as VerifyRequest);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: this.createWorker(), task: null, timer: null, listed: false };
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
    const task = slot.task;
    if (!task || reply.id !== task.id) return; // a reply to a request given up on
    this.arm(slot, this.silenceMs, () => this.drop(slot, silent()));
    switch (reply.type) {
      case 'progress':
        task.handlers.onProgress?.(reply);
        return;
      case 'result':
        task.handlers.onResult?.(reply.result);
        return;
      case 'done':
        this.release(slot);
        task.resolve();
        return;
      case 'error':
        this.release(slot);
        task.reject(new Error(reply.message));
    }
  }

  /** Frees a slot for the next request, or to shut down after `idleMs`; a worker that has listed
   * a layer shuts down at once when nothing waits (its heap holds the garbage of every entry it
   * read, tens of megabytes for a layer of a million files, until the worker goes). */
  private release(slot: Slot): void {
    if (slot.task !== null && listsLayers(slot.task.request)) slot.listed = true;
    slot.task = null;
    if (slot.listed && this.queue.length === 0) {
      this.drop(slot, null);
      return;
    }
    this.arm(slot, this.idleMs, () => this.drop(slot, null));
    this.dispatch();
  }

  /** Gives up a request: out of the queue, or with its worker terminated. */
  private abort(task: Task, reason: unknown): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.task === task);
    if (slot) {
      slot.task = null;
      this.drop(slot, null);
    }
    task.reject(reason);
  }

  /** Terminates a worker; its request (if any) fails with `error`, and the queue moves on. */
  private drop(slot: Slot, error: Error | null): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    if (slot.timer) clearTimeout(slot.timer);
    slot.worker.onmessage = null;
    slot.worker.onerror = null;
    slot.worker.onmessageerror = null;
    slot.worker.terminate();
    const task = slot.task;
    slot.task = null;
    if (task && error) task.reject(error);
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
