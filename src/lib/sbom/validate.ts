/**
 * SBOM documents checked against the official JSON schemas (schemas/), compiled at build
 * time into plain functions (src/lib/sbom/generated, `npm run build:schemas`): no
 * `new Function` or `eval` when they run, which the app's CSP forbids.
 */
import { validate as validateCyclonedx } from './generated/validate-cyclonedx-1.6.js';
import { validate as validateSpdx } from './generated/validate-spdx-2.3.js';
import type { SbomFormat } from './index.ts';

/** One schema violation: where in the document (a JSON pointer) and what. */
export interface SchemaError {
  path: string;
  message: string;
}

/** Returns the first schema violation of a document (ajv stops at the first), empty when the
 * document is valid. For CycloneDX, `uniqueItems` is checked here rather than by ajv (whose
 * pairwise check takes 38 s on 10,000 components), and on every array of the document: no two
 * items of any array may be equal, which is stricter than the schema. */
export function validateSbom(format: SbomFormat, document: unknown): SchemaError[] {
  const validate = format === 'spdx-json' ? validateSpdx : validateCyclonedx;
  if (!validate(document))
    return (validate.errors ?? []).map((e) => ({
      path: e.instancePath || '/',
      message: `${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params).slice(0, 200)}` : ''}`,
    }));
  if (format === 'cyclonedx-json') {
    const repeated = repeatedItem(document, '');
    if (repeated) return [repeated];
  }
  return [];
}

/** Returns the first array item equal to an earlier one of its array (JSON equality, object
 * keys in any order), or null. */
function repeatedItem(value: unknown, path: string): SchemaError | null {
  if (Array.isArray(value)) {
    const seen = new Set<string>();
    for (let i = 0; i < value.length; i++) {
      const key = canonical(value[i]);
      if (seen.has(key)) return { path: `${path}/${i}`, message: 'must NOT have duplicate items' };
      seen.add(key);
      const inner = repeatedItem(value[i], `${path}/${i}`);
      if (inner) return inner;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const inner = repeatedItem(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (inner) return inner;
    }
  }
  return null;
}

/** Returns JSON text of a value with object keys sorted, so that equal values give equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
