// Where drop → report goes: `npx tsx tests/bench/profile-paint.ts <archive> [--url URL]
// [--rounds N] [--service-workers allow|block]`. Drops the archive into the page under Chrome's sampling profiler (CDP) and
// prints, for the last round, the JavaScript time between the drop and the report's heading by
// source file and by function (self time), beside the whole span, then the span as a timeline
// (what ran, in order, and where the page waited). Without --url it builds the app unminified
// (names readable) and serves it. Last, the app's functions by total time, the mean of every
// round but the first (which warms the browser's code caches).
import { loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../e2e/chromium.ts';
import { drop } from '../e2e/helpers.ts';
import { dropMarks, readyForDrop, watchDropToReport } from './drop-marks.ts';
import { startPreview } from './preview.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) by key, of the samples taken between `from` and `to` (profile µs). */
function selfTimes(
  profile: Profile,
  from: number,
  to: number,
  key: (node: ProfileNode) => string,
): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < from || t > to) continue;
    const node = byId.get(profile.samples[i]!)!;
    const k = key(node);
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    out.set(k, (out.get(k) ?? 0) + dt);
  }
  return out;
}

/** Total time (ms) by function of the app's own code, of the samples between `from` and `to`:
 * each sample counts once for every function on its stack. */
function totalTimes(profile: Profile, from: number, to: number): Map<string, number> {
  const parent = parents(profile);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < from || t > to) continue;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const seen = new Set<string>();
    for (let n = byId.get(profile.samples[i]!); n; n = parent.get(n.id)) {
      const { functionName, url } = n.callFrame;
      if (!url || !functionName || !/^[A-Z]|^[a-z]+[A-Z]/.test(functionName)) continue;
      const k = `${functionName} ${url.replace(/^.*\//, '')}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.set(k, (out.get(k) ?? 0) + dt);
    }
  }
  return out;
}

/** The parent of every node of a profile, by the child's id. */
function parents(profile: Profile): Map<number, ProfileNode> {
  const parent = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  return parent;
}

/** Returns the samples between `from` and `to` as a timeline: runs of consecutive samples under
 * the same innermost function of the app's code (with its caller), or the same native state
 * (idle, program, garbage collector), one line each from `minMs` on, times from `from`. */
function timeline(profile: Profile, from: number, to: number, minMs = 1): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = parents(profile);
  const app = (n: ProfileNode) => /\/assets\/index-[^/]*\.js$/.test(n.callFrame.url);
  const label = (leaf: ProfileNode): string => {
    const inApp: string[] = [];
    for (let n: ProfileNode | undefined = leaf; n && inApp.length < 2; n = parent.get(n.id)) {
      if (app(n)) inApp.push(n.callFrame.functionName || '(anonymous)');
    }
    if (inApp.length > 0) return inApp.join(' < ');
    return leaf.callFrame.functionName || '(native)';
  };
  const runs: { label: string; at: number; ms: number }[] = [];
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (t < from || t > to) continue;
    const what = label(byId.get(profile.samples[i]!)!);
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const last = runs.at(-1);
    if (last && last.label === what) last.ms += dt;
    else runs.push({ label: what, at: (t - from) / 1000, ms: dt });
  }
  return runs
    .filter((r) => r.ms >= minMs)
    .map((r) => `  ${r.at.toFixed(1).padStart(7)} ms +${r.ms.toFixed(1).padStart(5)}  ${r.label}`)
    .join('\n');
}

function top(map: Map<string, number>, n: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${v.toFixed(1).padStart(7)} ms  ${k}`)
    .join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  let url: string | null = null;
  let rounds = 3;
  let serviceWorkers: 'allow' | 'block' = 'allow';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--url') url = args[++i]!;
    else if (args[i] === '--service-workers') {
      const how = args[++i];
      if (how !== 'allow' && how !== 'block') throw new Error('--service-workers: allow or block');
      serviceWorkers = how;
    } else if (args[i] === '--rounds') rounds = Number(args[++i]);
    else files.push(args[i]!);
  }
  const file = files[0];
  if (!file) throw new Error('usage: profile-paint.ts <archive> [--url URL] [--rounds N]');
  const server = url ? null : await startPreview({ minify: false });
  const target = url ?? server!.url;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  // The app's functions' total time, summed over the rounds after the first (one round alone is
  // noise on a busy machine: a function the OS stopped gets the time it waited).
  const summed = new Map<string, number>();
  try {
    for (let round = 0; round < rounds; round++) {
      const context = await browser.newContext({ serviceWorkers });
      const page = await context.newPage();
      await watchDropToReport(page);
      await page.goto(target);
      await page.waitForLoadState('networkidle');
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await readyForDrop(page);
      await cdp.send('Profiler.start');
      await drop(page, file);
      const marks = await dropMarks(page);
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
      const span = marks.paintedMs;
      await context.close();
      console.log(
        `round ${round + 1}: drop → report painted ${span.toFixed(1)} ms (in the DOM at ${marks.inDomMs.toFixed(1)} ms)`,
      );
      // The profile's clock is the monotonic one, in µs; the page's marks are from timeOrigin.
      // The drop is found as the first sample after the profile starts that is not idle.
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      let t = profile.startTime;
      let first = profile.startTime;
      for (let i = 0; i < profile.samples.length; i++) {
        t += profile.timeDeltas[i]!;
        const name = byId.get(profile.samples[i]!)!.callFrame.functionName;
        if (name !== '(idle)' && name !== '(program)' && name !== '(root)') {
          first = t;
          break;
        }
      }
      const to = first + span * 1000;
      if (round > 0 || rounds === 1) {
        for (const [k, v] of totalTimes(profile, first, to))
          summed.set(k, (summed.get(k) ?? 0) + v);
      }
      if (round < rounds - 1) continue;
      const where = (n: ProfileNode) =>
        n.callFrame.url
          ? n.callFrame.url.replace(/^.*\//, '')
          : `(${n.callFrame.functionName || 'native'})`;
      const what = (n: ProfileNode) =>
        `${n.callFrame.functionName || '(anonymous)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;
      const byFile = selfTimes(profile, first, to, where);
      const busy = [...byFile].filter(([k]) => k !== '((idle))').reduce((s, [, v]) => s + v, 0);
      console.log(`span ${span.toFixed(1)} ms, busy (not idle) ${busy.toFixed(1)} ms`);
      console.log('by file (self):\n' + top(byFile, 12));
      console.log('by function (self):\n' + top(selfTimes(profile, first, to, what), 30));
      console.log('by function (total, app code):\n' + top(totalTimes(profile, first, to), 40));
      console.log('timeline (runs of 1 ms or more):\n' + timeline(profile, first, to));
    }
    const n = Math.max(1, rounds - 1);
    for (const [k, v] of summed) summed.set(k, v / n);
    console.log(`by function (total, app code), mean of ${n} round(s):\n` + top(summed, 40));
  } finally {
    await browser.close();
    server?.stop();
  }
  console.log(
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

await main();
