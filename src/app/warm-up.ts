/**
 * Warming the page up for the first drop. V8 compiles a function the first time it runs, and the
 * first archive dropped runs most of the app for the first time: the tar index, the image model,
 * the report, the Svelte components of a tab and a report (and Svelte parses each component's
 * template once). That was 35–50 ms of a 200 ms drop → report. So once the page has painted its
 * welcome screen, loaded and gone idle, the same path is run on two tiny archives written in
 * memory (warm-archives.ts), into a workspace of its own and a hidden shadow root: nothing is
 * shown, kept in the library, verified or sent anywhere. It stops between steps as soon as the
 * user opens something, so a drop waits at most for the one step under way.
 */
import { mount, unmount } from 'svelte';
import { afterPaint } from './after-paint.ts';
import { pageTimers } from './when-quiet.ts';
import { Library } from './library/library.svelte.ts';
import { type KeyValueStore, ReportCache } from './library/report-cache.ts';
import TabBar from './TabBar.svelte';
import TabView from './TabView.svelte';
import type { VerifyFunction } from './verification.svelte.ts';
import { warmLegacyArchive, warmOciArchive } from './warm-archives.ts';
import { Workspace } from './workspace.svelte.ts';

/** A library store that forgets everything (a Map): the warm-up keeps nothing in the browser. */
function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    del: async (key) => void map.delete(key),
    entries: async () => [...map],
  };
}

/** Verifies nothing: waits until the tab is closed, as a run that is cancelled. */
const noVerification: VerifyFunction = (_archive, _report, { signal }) =>
  new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/** The performance measure of a warm-up run to its end (for the benchmark: was the page warm
 * when the archive was dropped). */
export const WARM_UP_MEASURE = 'stevedore:warm-up';

/** Resolves after a task: a drop waiting in the queue is handled before the next step. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Returns the page's own styles as one constructed stylesheet, which a shadow root can adopt
 * (no <style> or <link> element: the page's policy allows neither inline). */
function pageStyles(): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  const rules = [...document.styleSheets].flatMap((s) => [...s.cssRules].map((r) => r.cssText));
  sheet.replaceSync(rules.join('\n'));
  return sheet;
}

/** Returns an element out of sight, hidden from assistive technology and from the keyboard,
 * holding a shadow root styled as the page: what is rendered there is laid out (the first
 * layout of a report is part of what the warm-up does) but never painted, and its ids and
 * elements are out of reach of `document.getElementById` and `querySelector`. */
function hiddenRoot(): { host: HTMLElement; root: ShadowRoot } {
  const host = document.createElement('div');
  Object.assign(host.style, {
    position: 'fixed',
    left: '-20000px',
    top: '0',
    width: '1200px',
    visibility: 'hidden',
    pointerEvents: 'none',
  });
  host.setAttribute('aria-hidden', 'true');
  host.inert = true;
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = [pageStyles()];
  return { host, root };
}

/**
 * Opens each warm-up archive as a drop would, and renders its tab (the tab bar, then the
 * report, then the parts drawn a frame later) into a hidden element (`hiddenRoot`), laid out
 * each time, then closes it. Checks `stop` between steps and ends there when it says so.
 * Resolves true once all was run.
 */
export async function warmUp(stop: () => boolean): Promise<boolean> {
  const workspace = new Workspace(new Library(new ReportCache(memoryStore)), noVerification, null);
  const { host, root: target } = hiddenRoot();
  document.body.append(host);
  const bar = mount(TabBar, { target, props: { workspace } });
  try {
    for (const write of [warmOciArchive, warmLegacyArchive]) {
      if (stop()) return false;
      const name = write === warmOciArchive ? 'warm-up-oci.tar' : 'warm-up-legacy.tar';
      const file = new File([await write()], name);
      if (stop()) return false;
      const tab = workspace.openFile(file);
      const view = mount(TabView, { target, props: { tab, onverify: () => undefined } });
      try {
        while (tab.status === 'opening') {
          await nextTask();
          if (stop()) return false;
        }
        // The report's first frame, then its grid and details (ReportView draws them after it).
        host.getBoundingClientRect();
        await afterPaint();
        if (stop()) return false;
        await afterPaint();
        host.getBoundingClientRect();
      } finally {
        unmount(view);
        workspace.close(tab.id);
      }
    }
    return true;
  } finally {
    unmount(bar);
    host.remove();
  }
}

/** How long the warm-up waits at most for the browser to say the page was first painted. */
const FIRST_PAINT_WAIT_MS = 5000;

/** Resolves once the page's first contentful paint is on the screen (Paint Timing), or after
 * FIRST_PAINT_WAIT_MS where the browser does not say (or nothing is painted: a hidden page). */
function afterFirstContentfulPaint(): Promise<void> {
  return new Promise((resolve) => {
    const observes = typeof PerformanceObserver === 'function';
    if (!observes || !(PerformanceObserver.supportedEntryTypes ?? []).includes('paint')) {
      setTimeout(resolve, FIRST_PAINT_WAIT_MS);
      return;
    }
    const finish = () => {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    };
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length > 0) finish();
    });
    const timer = setTimeout(finish, FIRST_PAINT_WAIT_MS);
    observer.observe({ type: 'paint', buffered: true });
  });
}

/** Runs `warmUp` once the page has loaded, its first paint is on the screen (the warm-up's CPU
 * never competes with drawing the welcome screen) and it is idle, stopping as soon as
 * `workspace` (the page's) has a tab; not at all when it has one by then. Failures are not the
 * user's business: the first drop is then only slower. */
export function warmUpWhenIdle(workspace: Workspace): void {
  const busy = () => workspace.tabs.length > 0;
  const start = async () => {
    await afterFirstContentfulPaint();
    await new Promise<void>((resolve) => pageTimers.whenIdle(resolve));
    if (busy()) return;
    const from = performance.now();
    if (await warmUp(busy).catch(() => false))
      performance.measure(WARM_UP_MEASURE, { start: from });
  };
  if (document.readyState === 'complete') void start();
  else addEventListener('load', () => void start(), { once: true });
}
