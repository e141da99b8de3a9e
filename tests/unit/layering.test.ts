/**
 * The layers of src/lib as a check, not a hope: archive (bytes) → oci (the model) → report and
 * verify (views of it); nothing in src/lib reaches up into the app, the embed, the CLI or the
 * workers. Reads the import lines of every source file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

const LIB = path.join(REPO_ROOT, 'src/lib');

/** Returns every .ts file below a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sources(full);
    return d.name.endsWith('.ts') ? [full] : [];
  });
}

/** Returns the files each src/lib file imports, as paths relative to src/. */
function imports(): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const file of sources(LIB)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      const target = path.relative(
        path.join(REPO_ROOT, 'src'),
        path.resolve(path.dirname(file), spec),
      );
      out.push({ from: path.relative(path.join(REPO_ROOT, 'src'), file), to: target });
    }
  }
  return out;
}

const edges = imports();
const offending = (from: RegExp, to: RegExp) =>
  edges.filter((e) => from.test(e.from) && to.test(e.to)).map((e) => `${e.from} -> ${e.to}`);

it('reads the import lines it judges', () => {
  expect(edges.length).toBeGreaterThan(50);
  expect(edges.some((e) => e.from.startsWith('lib/verify/') && e.to.startsWith('lib/oci/'))).toBe(
    true,
  );
});

it('src/lib/archive imports nothing above it (oci, report, verify)', () => {
  expect(offending(/^lib\/archive\//, /^lib\/(oci|report|verify|layers|packages)\//)).toEqual([]);
});

it('src/lib/oci imports no view of the model (report, verify)', () => {
  expect(offending(/^lib\/oci\//, /^lib\/(report|verify|layers|packages)\//)).toEqual([]);
});

it('src/lib imports nothing of the app, the embed, the CLI or the workers', () => {
  expect(offending(/^lib\//, /^(app|embed|cli)\/|^\.\.\/workers\/|^workers\//)).toEqual([]);
});
