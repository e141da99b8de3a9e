import { describe, expect, it } from 'vitest';
import {
  digestOf,
  digestsIn,
  entriesOf,
  keyText,
  MAX_STRING_SHOWN,
  openAtFirst,
  parseDocument,
  summaryOf,
  tokenOf,
  type JsonValue,
} from '../../../../src/app/json/json-view.ts';
import { MAX_JSON_BYTES } from '../../../../src/lib/limits.ts';

const D = 'sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f';
const bytes = (text: string) => new TextEncoder().encode(text);

describe('the JSON view, pure parts', () => {
  it('tokens: escaped JSON text, colour class, digests named', () => {
    expect(tokenOf('a"b\n')).toEqual({ kind: 'string', text: '"a\\"b\\n"', cut: 0, digest: null });
    expect(tokenOf(D)).toEqual({ kind: 'string', text: `"${D}"`, cut: 0, digest: D });
    expect(tokenOf(12.5)).toMatchObject({ kind: 'number', text: '12.5' });
    expect(tokenOf(false)).toMatchObject({ kind: 'boolean', text: 'false' });
    expect(tokenOf(null)).toMatchObject({ kind: 'null', text: 'null' });
    // Only a whole digest is one: not a prefix, not another casing, not a tag.
    expect(digestOf(`${D} `)).toBeNull();
    expect(digestOf(D.toUpperCase())).toBeNull();
    expect(digestOf('sha256:abc')).toBeNull();
    expect(digestOf('docker.io/library/alpine:3.9')).toBeNull();
  });

  it('bidi overrides and zero-width characters in keys and values are shown as escapes', () => {
    const hostile = 'evil\u202etxt.exe\u200b';
    expect(tokenOf(hostile).text).toBe('"evil\\u202etxt.exe\\u200b"');
    expect(keyText('\u2066key\u2069')).toBe('"\\u2066key\\u2069"');
    // Control characters are JSON's own escapes, not raw line breaks.
    expect(tokenOf('\u0000\u001b[31m').text).toBe('"\\u0000\\u001b[31m"');
  });

  it('a long string is cut and counted', () => {
    const t = tokenOf('x'.repeat(MAX_STRING_SHOWN + 5));
    expect(t.cut).toBe(5);
    expect(t.text.length).toBe(MAX_STRING_SHOWN + 2);
  });

  it('folding: the top open, small shallow containers open, large or deep ones folded', () => {
    const big = Array.from({ length: 500 }, (_, i) => i);
    expect(openAtFirst(big, 0)).toBe(true);
    expect(openAtFirst(big, 1)).toBe(false);
    expect(openAtFirst({ a: 1 }, 2)).toBe(true);
    expect(openAtFirst({ a: 1 }, 3)).toBe(false);
    expect(summaryOf(big)).toBe('500 items');
    expect(summaryOf({ a: 1 })).toBe('1 key');
    expect(entriesOf(big, 100)).toHaveLength(100);
    expect(entriesOf({ a: 1, b: [2] }, 1)).toEqual([['a', 1]]);
  });

  it('a key named __proto__ is an ordinary key', () => {
    const parsed = parseDocument(bytes('{"__proto__":{"x":1},"a":2}'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(entriesOf(parsed.value as { [k: string]: JsonValue }, 10)).toEqual([
      ['__proto__', { x: 1 }],
      ['a', 2],
    ]);
  });

  it('hostile documents: not JSON, over the bound, nested 500,000 deep, 16 MiB', () => {
    expect(parseDocument(bytes('{"a":'))).toMatchObject({ ok: false });
    expect(parseDocument(new Uint8Array(MAX_JSON_BYTES + 1))).toEqual({
      ok: false,
      error: `it is ${MAX_JSON_BYTES + 1} bytes, more than the ${MAX_JSON_BYTES} shown`,
    });
    const deep = parseDocument(bytes('['.repeat(500_000) + `"${D}"` + ']'.repeat(500_000)));
    expect(deep.ok).toBe(true);
    if (deep.ok) {
      expect(digestsIn(deep.value)).toEqual([D]); // no recursion: the stack holds
      expect(summaryOf(deep.value as JsonValue[])).toBe('1 item');
    }
    // 16 MiB: a flat array of digests, some repeated; listing stays within the bound asked.
    const item = `"${D}",`;
    const count = Math.floor((MAX_JSON_BYTES - 2) / item.length);
    const text = `[${item.repeat(count).slice(0, -1)}]`;
    expect(text.length).toBeLessThanOrEqual(MAX_JSON_BYTES);
    const flat = parseDocument(bytes(text));
    expect(flat.ok).toBe(true);
    if (flat.ok) {
      expect(summaryOf(flat.value as JsonValue[])).toBe(`${count.toLocaleString('en-US')} items`);
      expect(entriesOf(flat.value as JsonValue[], 100)).toHaveLength(100);
      expect(digestsIn(flat.value)).toEqual([D]);
    }
  });
});
