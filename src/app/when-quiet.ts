/**
 * Work that can wait for a quiet page: installing the service worker fetches and stores the
 * whole built app (~1 MB), which on a first visit competed with opening the archive the user had
 * just dropped (two cores: the page, the service worker's thread and the browser process reading
 * the file), and then with verifying it (the workers hashing: ~0.1 s of CPU per GB hashed in the
 * service worker's thread alone, more in the browser process storing the app). It is put off
 * until nothing has been opened or verified for a while.
 */

/** How long the page must go without an archive being opened (or verified) before the work
 * runs. */
export const QUIET_MS = 2000;

/** The timers a QuietGate uses (the page's own, or a test's). */
export interface GateTimers {
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** Runs `run` when the page is idle (requestIdleCallback), or soon where it cannot tell. */
  whenIdle: (run: () => void) => void;
}

/** The page's timers; requestIdleCallback where the browser has it (not Safari). */
export const pageTimers: GateTimers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  whenIdle: (run) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1000 });
    else globalThis.setTimeout(run, 0);
  },
};

/**
 * Runs a piece of work once, when the page has gone `quietMs` without an archive being opened
 * or verified and is idle: told each time whether one is (`busy`), it starts waiting afresh
 * whenever that ends, and never runs while it goes on.
 */
export class QuietGate {
  #timer: unknown = null;
  #busy = true;
  #done = false;

  constructor(
    private readonly run: () => void,
    private readonly quietMs = QUIET_MS,
    private readonly timers: GateTimers = pageTimers,
  ) {}

  /** Whether the work has run. */
  get done(): boolean {
    return this.#done;
  }

  /** Says whether an archive is being opened or verified now; the quiet time counts from the
   * last `false`. */
  busy(opening: boolean): void {
    if (this.#done) return;
    this.#busy = opening;
    if (this.#timer !== null) this.timers.clearTimeout(this.#timer);
    this.#timer = null;
    if (opening) return;
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = null;
      this.timers.whenIdle(() => {
        // An archive dropped while the page waited for idle time: wait for it to open.
        if (this.#done || this.#busy || this.#timer !== null) return;
        this.#done = true;
        this.run();
      });
    }, this.quietMs);
  }
}
