/**
 * Debian control-file paragraphs (deb822): `Field: value` lines, continuation lines starting
 * with a space or tab, paragraphs separated by blank lines. Field names are case-insensitive.
 */
import { MAX_PARAGRAPH_BYTES } from './limits.ts';
import { type PackageProblem, packageProblem } from './model.ts';

/** One paragraph: lower-cased field name → value (continuation lines joined with `\n`). */
export interface Paragraph {
  fields: Map<string, string>;
  /** 1-based line where the paragraph starts. */
  line: number;
}

/** Returns the paragraphs of a control file; a paragraph longer than MAX_PARAGRAPH_BYTES is
 * skipped with a problem naming the file and line, and the reading goes on after it. */
export function readParagraphs(
  text: string,
  path: string,
  problems: PackageProblem[],
): Paragraph[] {
  const out: Paragraph[] = [];
  let fields = new Map<string, string>();
  let key: string | null = null;
  let size = 0;
  let start = 1;
  let skipping = false;
  let lineNo = 0;
  const finish = () => {
    if (fields.size > 0 && !skipping) out.push({ fields, line: start });
    fields = new Map();
    key = null;
    size = 0;
    skipping = false;
  };
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    lineNo++;
    const length = end - at;
    if (length === 0 || (length < 64 && text.slice(at, end).trim() === '')) {
      finish();
      start = lineNo + 1;
      at = end + 1;
      continue;
    }
    size += length + 1;
    if (!skipping && size > MAX_PARAGRAPH_BYTES) {
      problems.push(
        packageProblem(
          'package-db-too-large',
          `a paragraph of more than ${MAX_PARAGRAPH_BYTES} bytes; it is skipped`,
          `${path}:${start}`,
        ),
      );
      skipping = true;
    }
    if (!skipping) {
      const line = text.slice(at, end);
      const c = line[0];
      if (c === ' ' || c === '\t') {
        if (key !== null) fields.set(key, `${fields.get(key)}\n${line.slice(1)}`);
      } else {
        const colon = line.indexOf(':');
        if (colon > 0) {
          key = line.slice(0, colon).toLowerCase();
          fields.set(key, line.slice(colon + 1).trim());
        } else {
          problems.push(
            packageProblem(
              'package-record-invalid',
              `a line that is not a field: ${line.slice(0, 80)}`,
              `${path}:${lineNo}`,
            ),
          );
        }
      }
    }
    at = end + 1;
  }
  finish();
  return out;
}
