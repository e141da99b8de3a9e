/** Text from an archive, made safe to print. */

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Invisible characters that change how text around them reads: bidi embeddings, overrides
 * and isolates, zero-width spaces and joiners, the BOM, tag characters (all of Unicode's
 * format category, Cf), and the fillers and joiners that draw nothing (U+034F, Hangul fillers). */
const INVISIBLE = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0]/gu;

/** Returns `\u202e` for one character, `\u{e0041}` for one beyond the BMP. */
function escapeOf(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = code.toString(16);
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/** Returns the text with every invisible format character (bidi overrides, zero-width
 * characters, U+FEFF…) written as an escape such as `\u202e`, so that what is shown is what
 * is there. Ordinary text, line breaks included, is returned unchanged. */
export function visible(value: string): string {
  return value.replace(INVISIBLE, escapeOf);
}

/** Returns the text on one line: control characters (C0, DEL and C1, whose U+009B a terminal
 * may take for CSI) and line separators written as JSON escapes (`\n`, `\u0000`), so hostile
 * names and values cannot start new lines or blocks or drive a terminal, and invisible
 * characters made visible as {@link visible} does. */
export function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = value.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => ESCAPES[c] ?? escapeOf(c),
  );
  return visible(flat);
}
