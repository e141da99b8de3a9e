/**
 * The Markdown export rendered as a reader would see it: by markdown-it with raw HTML and
 * linkify on, and by marked (GFM). Text from the image must stay text: no HTML element
 * beyond what our own Markdown makes, no link or image of any kind, nothing invisible.
 */
import MarkdownIt from 'markdown-it';
import { marked } from 'marked';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { platformString } from '../../../src/lib/report/format.ts';
import { renderMarkdown } from '../../../src/lib/report/markdown.ts';
import type { ManifestReport, Platform, Report } from '../../../src/lib/report/model.ts';

const markdownIt = new MarkdownIt({ html: true, linkify: true });

/** What our own Markdown may turn into: blocks, lists, emphasis, code, tables. */
const ALLOWED_TAGS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'code',
  'pre',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'br',
  'hr',
  'blockquote',
]);

/** Returns what is wrong with rendered HTML: unknown tags, any attribute but a code
 * block's language class, comments and processing instructions. Empty when clean. */
function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  // Renderers write text `<` as `&lt;`, so every `<` left is markup.
  for (const m of html.matchAll(/<([^>]*)>?/g)) {
    const tag = /^\/?([a-zA-Z][a-zA-Z0-9]*)([\s\S]*?)\/?$/.exec(m[1] ?? '');
    if (!tag) {
      problems.push(`not a tag: ${m[0]}`);
      continue;
    }
    const [, name = '', attributes = ''] = tag;
    if (!ALLOWED_TAGS.has(name.toLowerCase())) problems.push(`element: ${m[0]}`);
    const rest = attributes.replace(/^\s+class="language-[a-z]+"/, '').trim();
    if (rest !== '') problems.push(`attribute: ${m[0]}`);
    if (/javascript:|vbscript:|data:/i.test(m[0])) problems.push(`scheme: ${m[0]}`);
  }
  return problems;
}

/** Invisible format characters that must never reach the export raw. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u;

/** Values meant to become HTML, links, images or other blocks wherever they are printed. */
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[x](javascript:alert(1))',
  '[x](data:text/html,<script>alert(1)</script>)',
  '[x](vbscript:msgbox(1))',
  '![](http://evil.example/pixel.png)',
  '<http://evil.example>',
  '<javascript:alert(1)>',
  '<evil@evil.example>',
  'https://evil.example',
  'see http://evil.example/x here',
  'www.evil.example',
  'mail evil@evil.example',
  'x //evil.example/x',
  '</code><img src=x onerror=alert(1)><code>',
  '`<img src=x onerror=alert(1)>`',
  '``<b>``',
  '` `` ```',
  'a | b | c',
  '--- | ---',
  '# heading',
  '> quote',
  '- item',
  '1. ordered',
  '+ plus',
  '* star',
  '***',
  '[x]: javascript:alert(1)',
  '[x]',
  '~~del~~',
  '&lt;img src=x onerror=alert(1)&gt;',
  '&#60;img src=x&#62;',
  '\\<img src=x onerror=alert(1)>',
  '<!-- comment -->',
  'evil.com evil.io foo.example.com/x',
  'x\r```\r<img src=x onerror=alert(1)>',
  'x\n    ```\n<img src=x onerror=alert(1)>',
  '<?php x ?>',
  '<div>block</div>',
  'line\n<img src=x onerror=alert(1)>',
  'line\r<img src=x onerror=alert(1)>',
  'line\n\n<script>alert(1)</script>\n',
  'a\u2028<img src=x onerror=alert(1)>',
  'evil\u202egnp.exe',
  'zero\u200bwidth\ufeff\u2066isolate\u2069\u061c',
];

const DIGEST = `sha256:${'a'.repeat(64)}`;

function platform(value: string): Platform {
  return {
    os: value,
    architecture: value,
    variant: value,
    osVersion: value,
    osFeatures: [value, value],
  };
}

/** Returns a manifest whose every image-provided field holds `value`. */
function hostileManifest(value: string, digest: string): ManifestReport {
  const p = platform(value);
  return {
    platform: p,
    platformString: platformString(p),
    kind: 'image',
    included: true,
    subject: null,
    digest,
    mediaType: value,
    size: 1,
    dockerVersion: value,
    totalSize: 3,
    imageId: digest,
    created: value,
    entrypoint: [value],
    cmd: [value, value],
    shell: [value],
    env: [`${value}=${value}`],
    labels: { [value]: value },
    user: value,
    exposedPorts: [value],
    workingDir: value,
    history: [
      { created: value, createdBy: value, emptyLayer: false, dockerfile: value },
      { created: '2020-01-01T00:00:00Z', createdBy: value, emptyLayer: true, dockerfile: value },
      {
        created: null,
        createdBy: value,
        emptyLayer: true,
        dockerfile: `RUN x\n\`\`\`\n${value}\n~~~\n    \`\`\`\`\n${value}`,
      },
    ],
    layers: [
      { digest, size: 3, mediaType: value, diffId: digest, compression: 'gzip' },
      { digest: null, size: null, mediaType: value, diffId: null, compression: null },
    ],
  };
}

/** Returns a report whose every field from the image holds `value`, in all three layouts. */
function hostileReport(value: string, format: Report['source']['format']): Report {
  const digest = format === 'docker-save' ? null : DIGEST;
  return {
    schema: 'stevedore.report/v1',
    source: { name: value, size: 3, format, compression: 'none' },
    images: [
      {
        ref: value,
        name: value,
        digest,
        mediaType: value,
        manifests: [hostileManifest(value, digest ?? DIGEST), hostileManifest(value, DIGEST)],
      },
      {
        ref: `${value}:latest`,
        name: value,
        digest: null,
        mediaType: null,
        manifests: [{ ...hostileManifest(value, DIGEST), digest }],
      },
    ],
    verification: { status: 'not-run', checks: [] },
    problems: [],
  };
}

/** Returns the element names of rendered HTML in order, code spans left out: an escaped value
 * may become a code span, but must not add, drop or nest any other block or inline element. */
function skeleton(html: string): string[] {
  return [...html.matchAll(/<(\/?[a-zA-Z][a-zA-Z0-9]*)/g)]
    .map((m) => (m[1] ?? '').toLowerCase())
    .filter((name) => name !== 'code' && name !== '/code');
}

function rendered(markdown: string): { name: string; html: string }[] {
  return [
    { name: 'markdown-it', html: markdownIt.render(markdown) },
    { name: 'marked', html: marked.parse(markdown, { async: false }) },
  ];
}

describe('the Markdown export renders as text whatever the image says', () => {
  for (const format of ['oci-layout', 'docker-save', 'docker-save+oci'] as const) {
    for (const value of HOSTILE) {
      it(`${format}: ${JSON.stringify(value)}`, () => {
        const markdown = renderMarkdown(hostileReport(value, format));
        expect(markdown).not.toMatch(INVISIBLE);
        const plain = rendered(renderMarkdown(hostileReport('x', format)));
        for (const [i, { name, html }] of rendered(markdown).entries()) {
          expect(htmlProblems(html), `${name}:\n${html}`).toEqual([]);
          expect(skeleton(html), `${name}:\n${html}`).toEqual(skeleton(plain[i]!.html));
        }
      });
    }
  }

  it('all hostile values in one report', () => {
    const report = hostileReport(HOSTILE.join(' '), 'oci-layout');
    for (const value of HOSTILE) report.images.push(...hostileReport(value, 'oci-layout').images);
    for (const { name, html } of rendered(renderMarkdown(report))) {
      expect(htmlProblems(html), name).toEqual([]);
    }
  });

  it('shows bidi and zero-width characters as escapes', () => {
    const markdown = renderMarkdown(hostileReport('evil\u202egnp.exe\u200b', 'oci-layout'));
    expect(markdown).toContain('evil\\u202egnp.exe\\u200b');
  });

  it('the checker itself catches what it must', () => {
    expect(htmlProblems('<p>a <img src=x></p>')).not.toEqual([]);
    expect(htmlProblems('<p><a href="javascript:alert(1)">x</a></p>')).not.toEqual([]);
    expect(htmlProblems('<p><code class="x" onclick="y">x</code></p>')).not.toEqual([]);
    expect(htmlProblems('<!-- x -->')).not.toEqual([]);
    expect(htmlProblems('<p>x</p><input type="checkbox">')).not.toEqual([]);
    expect(htmlProblems('<pre><code class="language-dockerfile">&lt;img&gt;</code></pre>')).toEqual(
      [],
    );
  });
});

describe('real reports render clean too', () => {
  const golden = fileURLToPath(new URL('../../golden/', import.meta.url));
  for (const file of readdirSync(golden).filter((f) => f.endsWith('.md'))) {
    it(file, () => {
      for (const { name, html } of rendered(readFileSync(golden + file, 'utf8'))) {
        expect(htmlProblems(html), name).toEqual([]);
      }
    });
  }
});
