/**
 * What the JSON view shows of a document: parsed within the lib's bound, each value as a token
 * (escaped, invisible characters made visible), containers folded past the first levels and
 * listed a page at a time, strings that are digests marked as links. Pure functions (no DOM),
 * tested in Node; the view builds its elements from these, never HTML from the document.
 */
import { MAX_JSON_BYTES } from '../../lib/limits.ts';
import { visible } from '../../lib/text.ts';
import { countText } from '../report-view.ts';

/** A parsed JSON value. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonContainer = JsonValue[] | { [key: string]: JsonValue };

/** A document as the view gets it: its value, or why there is none. */
export type ParsedDocument =
  { ok: true; value: JsonValue; bytes: number } | { ok: false; error: string };

/** Children listed at once in one container; more on request. */
export const PAGE = 100;
/** Characters of one string shown; the rest is counted. */
export const MAX_STRING_SHOWN = 2000;
/** Containers this deep are folded however small they are. */
const OPEN_DEPTH = 3;
/** Containers with more children than this are folded below the top level. */
const OPEN_SIZE = 30;

const DIGEST = /^(?:sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Returns a document's parsed value, or why it cannot be shown (over the size bound, not JSON). */
export function parseDocument(bytes: Uint8Array): ParsedDocument {
  if (bytes.length > MAX_JSON_BYTES)
    return {
      ok: false,
      error: `it is ${bytes.length} bytes, more than the ${MAX_JSON_BYTES} shown`,
    };
  try {
    return { ok: true, value: JSON.parse(decoder.decode(bytes)) as JsonValue, bytes: bytes.length };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `it is not valid JSON (${visible(why)})` };
  }
}

/** Returns whether a value is an object or an array. */
export function isContainer(value: JsonValue): value is JsonContainer {
  return typeof value === 'object' && value !== null;
}

/** Returns the number of children of a container. */
export function sizeOf(value: JsonContainer): number {
  return Array.isArray(value) ? value.length : Object.keys(value).length;
}

/** Returns the first `limit` children of a container: its keys (null for array items) and values. */
export function entriesOf(value: JsonContainer, limit: number): [string | null, JsonValue][] {
  if (Array.isArray(value)) return value.slice(0, limit).map((v) => [null, v]);
  const out: [string | null, JsonValue][] = [];
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (out.length >= limit) break;
    out.push([key, value[key]!]);
  }
  return out;
}

/** Returns what a folded container holds: `3 keys`, `1 item`. */
export function summaryOf(value: JsonContainer): string {
  const n = sizeOf(value);
  const noun = Array.isArray(value) ? 'item' : 'key';
  return `${countText(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** Returns whether a container shows its children when the view opens. */
export function openAtFirst(value: JsonContainer, depth: number): boolean {
  return depth === 0 || (depth < OPEN_DEPTH && sizeOf(value) <= OPEN_SIZE);
}

/** How a scalar shows: its JSON text and its colour class; a string that is a digest names it. */
export interface Token {
  kind: 'string' | 'number' | 'boolean' | 'null';
  text: string;
  /** Characters of the value not shown (a very long string). */
  cut: number;
  /** The digest this string is, to link to; null otherwise. */
  digest: string | null;
}

/** Returns a scalar as the view writes it: JSON-escaped, every invisible character (bidi
 * overrides, zero-width spaces) visible as its escape, a long string cut. */
export function tokenOf(value: null | boolean | number | string): Token {
  if (typeof value === 'string') {
    const cut = Math.max(0, value.length - MAX_STRING_SHOWN);
    const shown = cut > 0 ? value.slice(0, MAX_STRING_SHOWN) : value;
    return { kind: 'string', text: visible(JSON.stringify(shown)), cut, digest: digestOf(value) };
  }
  const kind = value === null ? 'null' : typeof value === 'number' ? 'number' : 'boolean';
  return { kind, text: String(value), cut: 0, digest: null };
}

/** Returns a key as the view writes it: `"name"`, escaped as a token is. */
export function keyText(key: string): string {
  return visible(JSON.stringify(key));
}

/** Returns the string if it is a digest (sha256, sha384 or sha512, in full), else null. */
export function digestOf(value: string): string | null {
  return value.length <= 135 && DIGEST.test(value) ? value : null;
}

/** Returns every distinct digest in a value, in document order, at most `limit` of them; walks
 * without recursion, so that no nesting depth can exhaust the stack. */
export function digestsIn(value: JsonValue, limit = 1000): string[] {
  const found = new Set<string>();
  const stack: JsonValue[] = [value];
  while (stack.length > 0 && found.size < limit) {
    const v = stack.pop()!;
    if (typeof v === 'string') {
      const d = digestOf(v);
      if (d) found.add(d);
    } else if (isContainer(v)) {
      const children = Array.isArray(v) ? v : Object.values(v);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return [...found];
}
