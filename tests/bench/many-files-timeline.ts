// Where the renderer memory of the many-files image goes, over time: `npx tsx
// tests/bench/many-files-timeline.ts <archive> [--url URL] [--ms 200] [--after 6000] [--sample S]
// [--no-idb] [--js-flags FLAGS]`. Drops the
// archive (the app built and served when no --url is given) and prints, every `--ms` from the
// drop until `--after` ms after the Files heading counts the paths: the resident set of each
// renderer process (VmRSS, and its anonymous and file-backed parts, from /proc/<pid>/status),
// and over CDP `Runtime.getHeapUsage` of the page and of each of its workers (JS heap used and
// committed, and the ArrayBuffer backing stores, where Chromium reports them). A diagnosis, not
// a figure: `npm run bench` (many-files.ts) prints the peak and after. The CDP readings wait for
// the page's thread: while the page merges, no line is printed (a gap in the times).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { type CDPSession, chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { drop } from '../e2e/helpers.ts';
import { startPreview } from './preview.ts';

const args = process.argv.slice(2);
let url: string | null = null;
let ms = 200;
let afterMs = 6000;
let file: string | null = null;
let jsFlags: string | null = null;
// With --sample S: the workers' allocations (garbage included) sampled for S seconds from 3 s
// after the drop, the top allocating functions printed.
let sampleS = 0;
// With --no-idb: the page has no IndexedDB (nothing kept), to see what the writes cost.
let noIdb = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--url') url = args[++i]!;
  else if (args[i] === '--ms') ms = Number(args[++i]);
  else if (args[i] === '--after') afterMs = Number(args[++i]);
  else if (args[i] === '--js-flags') jsFlags = args[++i]!;
  else if (args[i] === '--sample') sampleS = Number(args[++i]);
  else if (args[i] === '--no-idb') noIdb = true;
  else file = args[i]!;
}
if (!file) throw new Error('usage: many-files-timeline.ts <archive> [--url URL] [--ms 200]');

const MB = 1024 * 1024;

/** VmRSS, RssAnon and RssFile of a process in MB (zeros when it has gone). */
function rss(pid: number): { rss: number; anon: number; file: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 };
  } catch {
    return { rss: 0, anon: 0, file: 0 };
  }
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  backingStorageSize?: number;
}

/** The page's workers, reached through the page's own CDP session (non-flat sessions). */
class Workers {
  readonly sessions = new Map<string, string>(); // sessionId → url
  private next = 1;
  private readonly waiting = new Map<number, (v: unknown) => void>();
  constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', (e) => {
      if (e.targetInfo.type === 'worker') this.sessions.set(e.sessionId, e.targetInfo.url);
    });
    cdp.on('Target.detachedFromTarget', (e) => this.sessions.delete(e.sessionId!));
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      const m = JSON.parse(e.message) as { id?: number; result?: unknown };
      if (m.id !== undefined) this.waiting.get(m.id)?.(m.result ?? null);
    });
  }
  async start() {
    await this.cdp.send('Target.setAutoAttach', {
      autoAttach: true,
      waitForDebuggerOnStart: false,
      flatten: false,
    });
  }
  heap(sessionId: string): Promise<HeapUsage | null> {
    return this.call(sessionId, 'Runtime.getHeapUsage') as Promise<HeapUsage | null>;
  }
  call(sessionId: string, method: string, params: object = {}): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 20_000);
      this.waiting.set(id, (v) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(v);
      });
      this.cdp
        .send('Target.sendMessageToTarget', {
          sessionId,
          message: JSON.stringify({ id, method, params }),
        })
        .catch(() => resolve(null));
    });
  }
}

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Samples every worker's allocations for `seconds` (3 s after now) and prints the top sites. */
async function sampleWorkers(workers: Workers, seconds: number) {
  await new Promise((r) => setTimeout(r, 3000));
  const sessions = [...workers.sessions.keys()];
  for (const s of sessions) {
    await workers.call(s, 'HeapProfiler.enable');
    await workers.call(s, 'HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  await new Promise((r) => setTimeout(r, seconds * 1000));
  for (const s of sessions) {
    const r = (await workers.call(s, 'HeapProfiler.stopSampling')) as {
      profile: { head: ProfileNode };
    } | null;
    if (!r) continue;
    const by = new Map<string, number>();
    let total = 0;
    const walk = (n: ProfileNode, stack: string) => {
      const f = n.callFrame;
      const here = `${f.functionName || '(anon)'}@${f.url.split('/').pop()}:${f.lineNumber}`;
      const key = `${stack} < ${here}`.split(' < ').slice(-3).join(' < ');
      by.set(key, (by.get(key) ?? 0) + n.selfSize);
      total += n.selfSize;
      for (const c of n.children) walk(c, here);
    };
    walk(r.profile.head, '');
    console.log(`worker allocations sampled for ${seconds} s: ${(total / MB).toFixed(0)} MB`);
    for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 30))
      console.log(`  ${(v / MB).toFixed(1).padStart(7)} MB  ${k}`);
  }
}

const fmt = (h: HeapUsage | null) =>
  h
    ? `${(h.usedSize / MB).toFixed(0)}/${(h.totalSize / MB).toFixed(0)}` +
      (h.backingStorageSize !== undefined ? `+ab${(h.backingStorageSize / MB).toFixed(0)}` : '')
    : '-';

const server = url ? null : await startPreview();
url ??= server!.url;
const browser = await chromium.launch({
  executablePath: findChromium(),
  args: [...CHROMIUM_ARGS, ...(jsFlags ? [`--js-flags=${jsFlags}`] : [])],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (noIdb)
    await page.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
    });
  const browserCdp = await browser.newBrowserCDPSession();
  const pageCdp = await context.newCDPSession(page);
  const workers = new Workers(pageCdp);
  await workers.start();
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => navigator.serviceWorker?.ready.then(() => undefined));
  await page.waitForTimeout(2000);
  const renderers = async () => {
    const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
    return processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  };
  const sample = async () => {
    const procs = (await renderers()).map((pid) => ({ pid, ...rss(pid) }));
    const page = (await pageCdp.send('Runtime.getHeapUsage')) as HeapUsage;
    const ws = await Promise.all(
      [...workers.sessions].map(
        async ([s, u]) => `${u.split('/').pop()} ${fmt(await workers.heap(s))}`,
      ),
    );
    return { procs, page, ws };
  };
  const base = await sample();
  const baseTotal = base.procs.reduce((n, p) => n + p.rss, 0);
  console.log(`load ${loadavg()[0]!.toFixed(2)}; baseline renderers ${baseTotal.toFixed(0)} MB:`);
  for (const p of base.procs)
    console.log(
      `  pid ${p.pid} rss ${p.rss.toFixed(0)} anon ${p.anon.toFixed(0)} file ${p.file.toFixed(0)}`,
    );
  console.log(`  page heap used/committed+arraybuffers ${fmt(base.page)}`);
  console.log('t(s)  growth  per-process rss(anon/file)  page-heap  workers');
  const start = Date.now();
  let listedAt: number | null = null;
  let peak = 0;
  let marked = false;
  const headingDone = page
    .waitForFunction(
      () =>
        /[\d,]+\s+paths/.test(
          document.querySelector('[data-testid="files"] h4')?.textContent ?? '',
        ),
      undefined,
      { timeout: 15 * 60_000, polling: 200 },
    )
    .then(() => (listedAt = Date.now()));
  void drop(page, file);
  void headingDone;
  if (sampleS > 0) void sampleWorkers(workers, sampleS);
  while (listedAt === null || Date.now() - listedAt < afterMs) {
    const s = await sample();
    const total = s.procs.reduce((n, p) => n + p.rss, 0);
    peak = Math.max(peak, total - baseTotal);
    const t = ((Date.now() - start) / 1000).toFixed(1);
    const procs = s.procs
      .map((p) => `${p.rss.toFixed(0)}(${p.anon.toFixed(0)}/${p.file.toFixed(0)})`)
      .join(' ');
    const mark = listedAt !== null && !marked ? ' <listed' : '';
    if (listedAt !== null) marked = true;
    console.log(
      `${t.padStart(5)} ${(total - baseTotal).toFixed(0).padStart(5)}  ${procs}  ${fmt(s.page)}  ${s.ws.join(' ')}${mark}`,
    );
    await new Promise((r) => setTimeout(r, ms));
  }
  console.log(
    `peak growth ${peak.toFixed(0)} MB; listed ${((listedAt! - start) / 1000).toFixed(1)} s after the drop; load ${loadavg()[0]!.toFixed(2)}`,
  );
  await context.close();
} finally {
  await browser.close();
  server?.stop();
}
