import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { inspectSource } from '../../../src/lib/inspect.ts';
import { codeSpan, renderMarkdown } from '../../../src/lib/report/markdown.ts';
import { oneLine, visible } from '../../../src/lib/text.ts';
import { runCli } from '../../support/cli.ts';
import { ociArchive } from '../../support/oci.ts';

describe('text from the image cannot break the Markdown', () => {
  it('writes control characters as escapes and lengthens fences around backticks', () => {
    expect(oneLine('linux\n## pwned')).toBe('linux\\n## pwned');
    expect(oneLine('a\u2028b\u0000')).toBe('a\\u2028b\\u0000');
    expect(codeSpan('python:3')).toBe('`python:3`');
    expect(codeSpan('a`b')).toBe('`` a`b ``');
    expect(codeSpan('x``y')).toBe('``` x``y ```');
  });

  it('keeps a hostile archive inside its sections', async () => {
    const bytes = ociArchive({
      ref: 'evil`\n## injected:latest',
      config: {
        os: 'linux\n# heading',
        config: { Cmd: ['`rm -rf /`'], Labels: { x: '<script>alert(1)</script>' } },
        history: [
          {
            created: '2026-01-01T00:00:00Z',
            created_by: 'RUN cat <<EOF\n```\n## not a heading\nEOF',
          },
        ],
      },
    });
    const markdown = renderMarkdown(await inspectSource(bytesSource(bytes, 'evil.tar')));
    // Only our own headings start lines with '#' outside the dockerfile block.
    const outside = markdown.replace(/^(`{3,})dockerfile\n[\s\S]*?^\1$/gm, '');
    expect(outside.match(/^#+ .*$/gm)).toEqual([
      '## `` evil`\\n## injected:latest ``',
      expect.stringMatching(/^### /),
    ]);
    expect(markdown).toContain('-\tDefault Command: `` ["`rm -rf \\/`"] ``\n');
    expect(markdown).toContain(
      '````dockerfile\n# Thu, 01 Jan 2026 00:00:00 GMT\nRUN cat <<EOF\n```\n## not a heading\nEOF\n````\n',
    );
  });

  it('shows bidi, zero-width and other invisible format characters as escapes', () => {
    expect(visible('evil\u202egnp.exe')).toBe('evil\\u202egnp.exe');
    expect(visible('a\u200bb\u200dc\u2066d\u2069e\ufefff\u061cg\u2060h\u00adi')).toBe(
      'a\\u200bb\\u200dc\\u2066d\\u2069e\\ufefff\\u061cg\\u2060h\\u00adi',
    );
    // Tag characters (ASCII smuggling) lie beyond the BMP.
    expect(visible('x\u{e0041}')).toBe('x\\u{e0041}');
    // Ordinary text, non-Latin scripts and line breaks are left alone.
    expect(visible('naïve 日本語 עברית\nline')).toBe('naïve 日本語 עברית\nline');
    expect(oneLine('a\u202e\nb')).toBe('a\\u202e\\nb');
  });

  it('the CLI writes an invisible character of an entry name as an escape', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stevedore-'));
    const file = path.join(dir, 'bidi.tar');
    await writeFile(file, ociArchive({ extra: [{ name: '../evil\u202etxt.sh', data: 'x' }] }));
    const { code, err } = await runCli(['report', file]);
    expect(code).toBe(0); // the entry is ignored with a problem; the report is still printed
    expect(err).toContain('evil\\u202etxt.sh');
    expect(err).not.toMatch(/[\u202e]/);
  });
});
