/**
 * The app's iframe mode (`/?embed&origins=…`): the messages between the page that embeds it and
 * the frame, and who may send them. Pure functions, tested in Node.
 */
import type { Report, Verification } from '../lib/report/model.ts';

/** What the embedding page sends: an archive to show (and to verify, with `verify`). */
export interface OpenRequest {
  type: 'open';
  file: Blob;
  /** The name to show; the File's own name by default. */
  name?: string;
  /** Verify it once shown; the frame URL's `verify` parameter by default. */
  verify?: boolean;
  /** Given back in every reply about this archive. */
  id?: string | number;
}

/** What the frame answers, to the origin of the request only. `ready` goes to every allowed
 * origin once the frame listens (a page on any other origin never hears it). */
export type FrameReply =
  | { type: 'ready' }
  | { type: 'report'; id: string | number | null; report: Report }
  | { type: 'verified'; id: string | number | null; verification: Verification }
  | {
      type: 'error';
      id: string | number | null;
      code: string;
      message: string;
      where: string | null;
    };

/** The origins a frame listens to, and the `origins` entries it could not take as one. */
export interface AllowList {
  origins: string[];
  rejected: string[];
}

/** Returns the allow-list of a frame URL's query: its comma-separated `origins`, each an exact
 * origin (`https://portal.example:8443`; a trailing `/` is tolerated, a path is not). None when
 * the parameter is absent: then no message is accepted. */
export function allowList(query: URLSearchParams): AllowList {
  const origins: string[] = [];
  const rejected: string[] = [];
  for (const entry of query.getAll('origins').flatMap((list) => list.split(','))) {
    const text = entry.trim();
    if (text === '') continue;
    const origin = exactOrigin(text);
    if (origin === null) rejected.push(text);
    else if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, rejected };
}

/** Returns the origin `text` is, or null when it is anything more or less than one. */
function exactOrigin(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  // Opaque origins ("null": file:, data:, sandboxed frames) cannot be told apart: never allowed.
  if (url.origin === 'null') return null;
  const bare = text.endsWith('/') ? text.slice(0, -1) : text;
  return bare.toLowerCase() === url.origin ? url.origin : null;
}

/** Returns the message as an open request, or null when it is not one. */
export function readOpenRequest(data: unknown): OpenRequest | null {
  if (typeof data !== 'object' || data === null) return null;
  const message = data as Record<string, unknown>;
  if (message.type !== 'open' || !(message.file instanceof Blob)) return null;
  const request: OpenRequest = { type: 'open', file: message.file };
  if (typeof message.name === 'string' && message.name !== '') request.name = message.name;
  if (typeof message.verify === 'boolean') request.verify = message.verify;
  if (typeof message.id === 'string' || typeof message.id === 'number') request.id = message.id;
  return request;
}
