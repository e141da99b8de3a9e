import { QuietGate } from './when-quiet.ts';
import type { Workspace } from './workspace.svelte.ts';

/** Runs `work` once, after the page has loaded and then gone QUIET_MS without opening or
 * verifying an archive (counted from the end of the last one), when it is idle: see QuietGate. */
export function whenQuiet(workspace: Workspace, work: () => void): void {
  const start = () => {
    const gate = new QuietGate(() => {
      stop();
      work();
    });
    const stop = $effect.root(() => {
      $effect(() =>
        gate.busy(workspace.opening || workspace.tabs.some((t) => t.verifier.state === 'running')),
      );
    });
  };
  if (document.readyState === 'complete') start();
  else addEventListener('load', start, { once: true });
}
