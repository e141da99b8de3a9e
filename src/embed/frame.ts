/**
 * The app's iframe mode, `/?embed&origins=https://portal.example`: no toolbar, tabs or library,
 * just the report of the archive the embedding page posts — `{ type: 'open', file }` — answered
 * with `{ type: 'report', report }` (then `{ type: 'verified', verification }` when asked to
 * verify) or `{ type: 'error', … }`. Only the parent window may send, and only from an origin
 * the URL lists; anything else is ignored. Replies go to the requesting origin only.
 */
import { mount } from 'svelte';
import type { OpenError } from '../app/tab.svelte.ts';
import EmbedFrame from './EmbedFrame.svelte';
import { allowList, readOpenRequest, type FrameReply } from './frame-protocol.ts';
import { Viewer, viewMode } from './viewer.svelte.ts';

/** Who asked for the archive shown, to whom replies about it go. */
interface Requester {
  origin: string;
  id: string | number | null;
}

/** Returns what the frame says while it has no archive to show. */
function idleText(origins: string[], framed: boolean): string {
  if (!framed) return 'Stevedore’s embed mode shows archives sent by the page that frames it.';
  if (origins.length === 0) {
    return 'No page may send archives here: this frame’s URL lists no origins (?origins=https://portal.example).';
  }
  return 'Waiting for an archive from the page…';
}

/** Mounts the iframe mode in `target` and starts listening to the parent window. */
export function startFrame(target: HTMLElement): void {
  const query = new URLSearchParams(location.search);
  const { origins, rejected } = allowList(query);
  if (rejected.length > 0) {
    console.warn(`stevedore: not origins, ignored: ${rejected.join(', ')}`);
  }
  const parent = window.parent;
  const framed = parent !== window;
  let requester: Requester | null = null;
  const reply = (message: FrameReply) => {
    if (requester) parent.postMessage(message, requester.origin);
  };
  const id = () => requester?.id ?? null;
  const viewer = new Viewer({
    onreport: (report) => reply({ type: 'report', id: id(), report }),
    onverified: (verification) => reply({ type: 'verified', id: id(), verification }),
    onerror: (error: OpenError) => reply({ type: 'error', id: id(), ...error }),
  });
  viewer.view = viewMode(query.get('view'));
  const verifyAll = query.has('verify');
  mount(EmbedFrame, { target, props: { viewer, idle: idleText(origins, framed) } });

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!framed || event.source !== parent) return;
    if (!origins.includes(event.origin)) {
      console.warn(
        `stevedore: ignored a message from ${event.origin}, which ?origins does not list`,
      );
      return;
    }
    const request = readOpenRequest(event.data);
    if (!request) {
      console.warn('stevedore: ignored a message that is not { type: "open", file: Blob }');
      return;
    }
    requester = { origin: event.origin, id: request.id ?? null };
    viewer.autoVerify = request.verify ?? verifyAll;
    void viewer.open(request.file, request.name);
  });
  if (framed) for (const origin of origins) parent.postMessage({ type: 'ready' }, origin);
}
