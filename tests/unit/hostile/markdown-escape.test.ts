import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { inspectSource } from '../../../src/lib/inspect.ts';
import { codeSpan, renderMarkdown } from '../../../src/lib/report/markdown.ts';
import { oneLine } from '../../../src/lib/text.ts';
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
});
