/**
 * The validator modules in src/lib/sbom/generated are what scripts/build-schemas.mjs writes
 * from schemas/ today (regenerated in memory: a schema or ajv changed without
 * `npm run build:schemas` fails here), they hold no `new Function` or `eval` (the app's CSP
 * forbids both), and the shipped CycloneDX schemas are byte for byte the ones the pinned
 * @cyclonedx/cyclonedx-library ships.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../../support/paths.ts';

const GENERATED = path.join(REPO_ROOT, 'src/lib/sbom/generated');

describe('generated validators', async () => {
  const script = path.join(REPO_ROOT, 'scripts/build-schemas.mjs');
  const { generatedModules } = (await import(script)) as {
    generatedModules(): Record<string, string>;
  };
  const fresh = generatedModules();

  test('the committed modules are the ones the script writes now', () => {
    expect(readdirSync(GENERATED).sort()).toEqual(Object.keys(fresh).sort());
    for (const [name, text] of Object.entries(fresh))
      expect(
        readFileSync(path.join(GENERATED, name), 'utf8') === text,
        `${name} differs: run npm run build:schemas`,
      ).toBe(true);
  });

  test.each(Object.keys(fresh))('%s: no new Function, no eval', (name) => {
    const text = readFileSync(path.join(GENERATED, name), 'utf8');
    expect(text).not.toMatch(/new\s+Function\b|\bFunction\s*\(\s*["'`]|\beval\s*\(/);
  });

  test('the check above finds what it looks for, and not words in descriptions', () => {
    expect('A Key Derivation Function (KDF)').not.toMatch(
      /new\s+Function\b|\bFunction\s*\(\s*["'`]|\beval\s*\(/,
    );
    expect('x = Function("return this")()').toMatch(
      /new\s+Function\b|\bFunction\s*\(\s*["'`]|\beval\s*\(/,
    );
    expect('const f = new Function("x", "return x")').toMatch(
      /new\s+Function\b|\bFunction\s*\(\s*["'`]|\beval\s*\(/,
    );
  });

  test('both validators are real: they compile the official schemas', () => {
    expect(fresh['validate-spdx-2.3.js']).toContain('"$id":"http://spdx.org/rdf/terms/2.3"');
    expect(fresh['validate-cyclonedx-1.6.js']).toContain(
      '"$id":"http://cyclonedx.org/schema/bom-1.6.schema.json"',
    );
  });
});

test('the CycloneDX schemas are those of @cyclonedx/cyclonedx-library, unchanged', () => {
  const lib = path.join(REPO_ROOT, 'node_modules/@cyclonedx/cyclonedx-library/res/schema');
  const ours = path.join(REPO_ROOT, 'schemas/cyclonedx-1.6');
  const files = readdirSync(ours).filter((f) => f.endsWith('.json'));
  expect(files.sort()).toEqual([
    'bom-1.6.SNAPSHOT.schema.json',
    'jsf-0.82.SNAPSHOT.schema.json',
    'spdx.SNAPSHOT.schema.json',
  ]);
  for (const f of files)
    expect(readFileSync(path.join(ours, f)).equals(readFileSync(path.join(lib, f))), f).toBe(true);
});

test('the SPDX schema is SPDX 2.3', () => {
  const s = JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'schemas/spdx-2.3/spdx-schema.json'), 'utf8'),
  );
  expect([s.$id, s.title]).toEqual(['http://spdx.org/rdf/terms/2.3', 'SPDX 2.3.1']);
});
