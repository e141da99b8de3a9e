// CPU time of every thread of one browser, by process type and thread name (issue 15: where a
// drop's CPU goes outside the workers' hashing). Read from /proc/<pid>/task/<tid>/stat for the
// process ids the browser itself reports over CDP, every `ms` while some work runs: a thread
// that ends (a worker terminated) keeps its last reading, so at most `ms` of it is missed.
// Linux only, like the benchmark.
import { readFileSync, readdirSync } from 'node:fs';
import type { Browser, CDPSession } from '@playwright/test';

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux). */
const HZ = 100;

/** CPU seconds of one group of threads (same process type and thread name). */
export interface ThreadGroup {
  process: string;
  thread: string;
  /** Threads seen in the group. */
  threads: number;
  seconds: number;
}

interface Reading {
  process: string;
  thread: string;
  ticks: number;
}

/** Samples the CPU time of every thread of a browser. */
export class ThreadCpu {
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, Reading>();

  private constructor(private readonly cdp: CDPSession) {}

  /** Returns a sampler of `browser`'s threads. */
  static async of(browser: Browser): Promise<ThreadCpu> {
    return new ThreadCpu(await browser.newBrowserCDPSession());
  }

  /** Reads every thread now; the first reading of a thread is its start (threads that start
   * later start from 0). */
  async sample(baseline = false): Promise<void> {
    const { processInfo } = (await this.cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { id: number; type: string }[];
    };
    for (const p of processInfo) {
      let tids: string[];
      try {
        tids = readdirSync(`/proc/${p.id}/task`);
      } catch {
        continue; // gone
      }
      for (const tid of tids) {
        const r = readThread(p.id, tid, p.type);
        if (!r) continue;
        const key = `${p.id}/${tid}`;
        if (!this.first.has(key)) this.first.set(key, baseline ? r.ticks : 0);
        this.last.set(key, r);
      }
    }
  }

  /** Samples every `ms` until `work` settles; returns its value. */
  async during<T>(work: Promise<T>, ms = 100): Promise<T> {
    await this.sample(true);
    let done = false;
    const sampling = (async () => {
      while (!done) {
        await this.sample();
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
    })();
    try {
      return await work;
    } finally {
      done = true;
      await sampling;
      await this.sample();
    }
  }

  /** Returns the CPU seconds spent since the baseline, by process type and thread name,
   * largest first. */
  groups(): ThreadGroup[] {
    const groups = new Map<string, ThreadGroup>();
    for (const [key, r] of this.last) {
      const ticks = r.ticks - this.first.get(key)!;
      if (ticks <= 0) continue;
      // Each renderer apart, by process id: the page's (its workers' too) and others (a first
      // blank page's, a service worker's) that may spend CPU meanwhile.
      const pid = r.process === 'renderer' ? ` ${key.split('/')[0]}` : '';
      const name = `${r.process}\t${r.thread}${pid}`;
      const thread = name.split('\t')[1]!;
      const g = groups.get(name) ?? { process: r.process, thread, threads: 0, seconds: 0 };
      g.threads++;
      g.seconds += ticks / HZ;
      groups.set(name, g);
    }
    return [...groups.values()].sort((a, b) => b.seconds - a.seconds);
  }

  async close(): Promise<void> {
    await this.cdp.detach().catch(() => {});
  }
}

/** Returns the CPU seconds of `groups` as lines, with MB per CPU-second of `mb` bytes. */
export function formatGroups(groups: readonly ThreadGroup[], mb: number): string {
  const total = groups.reduce((n, g) => n + g.seconds, 0);
  const lines = groups
    .filter((g) => g.seconds >= 0.05)
    .map(
      (g) =>
        `  ${g.process.padEnd(9)} ${g.thread.padEnd(22)} ×${String(g.threads).padEnd(3)} ` +
        `${g.seconds.toFixed(2).padStart(6)} s  ${((g.seconds / total) * 100).toFixed(1).padStart(5)} %  ` +
        `${((g.seconds * 1000) / (mb / 1000)).toFixed(0).padStart(5)} ms per GB`,
    );
  return [
    ...lines,
    `  total ${total.toFixed(2)} CPU-s: ${(mb / total).toFixed(0)} MB per CPU-second`,
  ].join('\n');
}

/** Returns one thread's name and CPU ticks (user + system), null where it has gone. */
function readThread(pid: number, tid: string, process: string): Reading | null {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // pid (comm) state ...: the name may hold spaces and parentheses; it ends at the last ')'.
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    const thread = stat.slice(open + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // Fields after the name start at 3 (state); utime is 14, stime 15.
    const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
    return { process, thread, ticks };
  } catch {
    return null;
  }
}
