import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { inspectSource } from '../../../src/lib/inspect.ts';
import { renderJson } from '../../../src/lib/report/json.ts';
import { renderMarkdown } from '../../../src/lib/report/markdown.ts';
import { ociArchive } from '../../support/oci.ts';

// JSON.parse makes `__proto__` an own key, as any JSON reader of the config does; an object
// literal would set the prototype instead.
const LABELS = JSON.parse(
  '{"__proto__":"proto label","constructor":"ctor label","toString":"ts","hasOwnProperty":"h"}',
) as Record<string, string>;

describe('labels named like Object.prototype members are labels like any other', () => {
  it('keeps __proto__, constructor and friends in the model, the JSON and the Markdown', async () => {
    const bytes = ociArchive({
      config: {
        config: { Labels: LABELS },
        history: [
          {
            created: '2026-01-01T00:00:00Z',
            created_by: 'LABEL __proto__=proto label constructor=ctor label',
            empty_layer: true,
          },
        ],
      },
    });
    const report = await inspectSource(bytesSource(bytes, 'labels.tar'));
    const labels = report.images[0]!.manifests[0]!.labels!;
    expect(Object.keys(labels)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty']);
    expect(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value).toBe('proto label');
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.entries(labels)).toContainEqual(['__proto__', 'proto label']);

    // The JSON export, and a copy through structured clone (the report cache, workers).
    const json = JSON.parse(renderJson(report)) as {
      images: { manifests: { labels: Record<string, string> }[] }[];
    };
    expect(Object.entries(json.images[0]!.manifests[0]!.labels)).toEqual(Object.entries(LABELS));
    expect(renderJson(report)).toContain('"__proto__": "proto label"');
    const cloned = structuredClone(labels);
    expect(Object.entries(cloned)).toEqual(Object.entries(LABELS));

    // The Markdown (repo-info's format lists no labels) shows the LABEL line of the history.
    expect(renderMarkdown(report)).toContain(
      '# Thu, 01 Jan 2026 00:00:00 GMT\nLABEL __proto__=proto label constructor=ctor label\n',
    );
  });
});
