/**
 * The command line as people install it: the CLI build, `npm pack` of the package (its `files`
 * and `bin` as package.json says), the tarball installed into an empty folder, and the installed
 * `stevedore-image` run there. The install fetches the runtime dependency (hash-wasm; the
 * decoders are WebAssembly inside the build) from the npm registry: this test needs it.
 *
 * The build goes to a folder of its own beside the tarball, not to the repository's dist-cli/,
 * so that a `npm run build` running meanwhile cannot empty it under `npm pack`.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, REPO_ROOT } from '../support/paths.ts';

const exec = promisify(execFile);

/** The environment without what an outer `npm test` exports (npm_config_local_prefix and the
 * like would point npm inside the repository). */
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.startsWith('npm_') || k === 'npm_config_cache' || k === 'npm_config_userconfig',
  ),
);

const packageJson = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

let work = '';
/** The empty folder the tarball was installed into. */
let app = '';
let tarball = '';

/** Runs the installed bin in `app` through npx, never fetching anything of that name. */
const installed = (...argv: string[]) =>
  exec('npx', ['--no', '--', 'stevedore-image', ...argv], { cwd: app, env });

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'stevedore-package-'));
  const staging = path.join(work, 'package');
  await mkdir(staging);
  await exec(
    'npx',
    ['vite', 'build', '--config', 'vite.cli.config.ts', '--outDir', path.join(staging, 'dist-cli')],
    { cwd: REPO_ROOT, env },
  );
  for (const file of ['package.json', 'README.md']) {
    await copyFile(path.join(REPO_ROOT, file), path.join(staging, file));
  }
  // Its prepack would build again, inside the repository: done above.
  await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', work], {
    cwd: staging,
    env,
  });
  const name = (await readdir(work)).find((f) => f.endsWith('.tgz'));
  if (!name) throw new Error(`npm pack left no tarball in ${work}`);
  tarball = path.join(work, name);
  app = path.join(work, 'empty');
  await mkdir(app);
  await exec('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: app, env });
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the stevedore-image package', () => {
  it('is named stevedore-image with the built file as its only bin', () => {
    expect(packageJson.name).toBe('stevedore-image');
    expect(packageJson.bin).toEqual({ 'stevedore-image': 'dist-cli/stevedore.mjs' });
  });

  it('packs the built JavaScript only: no sources, no tests, no TypeScript', async () => {
    const { stdout } = await exec('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').sort();
    expect(files).toContain('package/dist-cli/stevedore.mjs');
    for (const f of files) {
      expect(f).toMatch(/^package\/(package\.json|README\.md|dist-cli\/.+\.mjs)$/);
    }
  });

  it('installs only its runtime dependencies, no tsx nor vite', async () => {
    const modules = (await readdir(path.join(app, 'node_modules'))).filter(
      (m) => !m.startsWith('.'),
    );
    expect(modules.sort()).toEqual(
      ['stevedore-image', ...Object.keys(packageJson.dependencies)].sort(),
    );
  });

  it('prints the report of an archive, byte for byte the golden one', async () => {
    for (const [archive, golden] of [
      ['gen-buildah-multiarch-oci-archive.tar', 'gen-buildah-multiarch-oci-archive.md'],
      ['trivy-alpine-310.tar.gz', 'trivy-alpine-310.md'],
    ] as const) {
      const { stdout, stderr } = await installed('report', fixture(archive));
      expect(stdout).toBe(await readFile(path.join(REPO_ROOT, 'tests/golden', golden), 'utf8'));
      expect(stderr).toBe('');
    }
  });

  it('verifies with no progress line when stderr is a pipe', async () => {
    const archive = fixture('dive-test-oci-zstd-image.tar');
    const { stdout, stderr } = await installed('verify', archive);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^stevedore: ${archive}: \\d+ checks passed\\n$`));
  });

  it('answers --version and --help', async () => {
    expect((await installed('--version')).stdout).toBe(`${packageJson.version}\n`);
    expect((await installed('--help')).stderr).toMatch(/^usage: stevedore-image report <archive>/);
  });

  it('exits 2 on a broken archive, with one line and no stack trace', async () => {
    const archive = fixture('bad/ggcr-null_manifest.tar');
    const error = await installed('report', archive).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `stevedore: ${archive}: manifest.json holds null, not a list of images\n`,
    });
  });

  it('loads little before it reads argv: the lib comes in with the command', async () => {
    // Follows the static imports of the installed entry (not `import()`): what --help and
    // --version load. The lib and the npm dependencies must stay out of it.
    const dir = path.join(app, 'node_modules/stevedore-image/dist-cli');
    const seen = new Set<string>();
    const bare = new Set<string>();
    let bytes = 0;
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = await readFile(file, 'utf8');
      bytes += text.length;
      for (const m of text.matchAll(/^(?:import|export)\b[^;('"]*?['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) await visit(path.resolve(path.dirname(file), spec));
        else if (!spec.startsWith('node:')) bare.add(spec);
      }
    };
    await visit(path.join(dir, 'stevedore.mjs'));
    expect([...bare]).toEqual([]);
    expect(seen.size).toBeGreaterThan(1);
    expect(bytes).toBeLessThan(40_000);
  });
});
