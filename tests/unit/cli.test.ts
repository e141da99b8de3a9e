import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/main.ts';
import { runCli } from '../support/cli.ts';
import { FIXTURES } from '../support/paths.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = FIXTURES;

const cli = (...argv: string[]) => runCli(argv);

describe('stevedore command line', () => {
  it('parses report options', () => {
    expect(parseArgs(['report', 'a.tar'])).toEqual({
      command: 'report',
      path: 'a.tar',
      format: 'md',
      platform: null,
    });
    expect(parseArgs(['report', '--format', 'json', 'a.tar'])).toMatchObject({ format: 'json' });
    expect(parseArgs(['report', 'a.tar', '--format=json'])).toMatchObject({ format: 'json' });
    expect(parseArgs(['report', 'a.tar', '--format', 'yaml'])).toMatch(/--format takes md or json/);
    expect(parseArgs(['frobnicate', 'a.tar'])).toMatch(/unknown command "frobnicate"/);
    expect(parseArgs(['report'])).toMatch(/needs an archive path/);
  });

  it('prints usage with --help and exits 0', async () => {
    const { code, err } = await cli('--help');
    expect(code).toBe(0);
    expect(err).toMatch(/^usage: stevedore-image report <archive>/);
  });

  it('exits 2 with one line for a missing file and for a folder that is no image', async () => {
    for (const [path, why] of [
      ['/nonexistent/x.tar', 'cannot open /nonexistent/x.tar: no such file'],
      [fixtures + 'bad', 'not a container image'],
    ]) {
      const { code, out, err } = await cli('report', path!);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.trimEnd().split('\n')).toHaveLength(1);
      expect(err).toContain(why);
    }
  });

  it('reads an OCI layout directory like the archive it was packed from', async () => {
    const dir = join(
      await mkdtemp(join(tmpdir(), 'stevedore-')),
      'gen-buildah-multiarch-oci-archive',
    );
    await mkdir(dir);
    await run('tar', ['-xf', fixtures + 'gen-buildah-multiarch-oci-archive.tar', '-C', dir]);
    const { code, out } = await cli('report', dir);
    expect(code).toBe(0);
    // The same report; the heading names the folder where it named the file.
    const golden = await readFile(
      root + 'tests/golden/gen-buildah-multiarch-oci-archive.md',
      'utf8',
    );
    expect(out).toBe(
      golden.replace('gen-buildah-multiarch-oci-archive.tar', 'gen-buildah-multiarch-oci-archive'),
    );
    await rm(dirname(dir), { recursive: true });
  });

  it('prints JSON that parses and carries the schema name', async () => {
    const { code, out } = await cli(
      'report',
      fixtures + 'dive-test-oci-zstd-image.tar',
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.schema).toBe('stevedore.report/v1');
    expect(report.images[0].manifests[0].layers[0]).toMatchObject({
      digest: 'sha256:0308a5d81b28debb7e24a609dcdfca5fdb64c908bda38b0e4774a7d017a67297',
      size: 4314,
      compression: 'zstd',
    });
  });

  // The package's built bin, installed from `npm pack`, is tests/unit/cli-package.test.ts's.
  it('runs from the repository as `npm run -s cli` (the sources, through tsx)', async () => {
    const { stdout } = await run(
      'npm',
      ['run', '-s', 'cli', '--', 'report', fixtures + 'gen-buildah-multiarch-oci-archive.tar'],
      { cwd: root },
    );
    expect(stdout).toBe(
      await readFile(root + 'tests/golden/gen-buildah-multiarch-oci-archive.md', 'utf8'),
    );
  });

  it('exits 2 from the real binary on a non-image, without a stack trace', async () => {
    const error = await run(
      'node',
      ['src/cli/stevedore.js', 'report', fixtures + 'bad/ggcr-null_manifest.tar'],
      {
        cwd: root,
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    const stderr = (error as { stderr: string }).stderr;
    expect(stderr).toBe(
      `stevedore: ${fixtures}bad/ggcr-null_manifest.tar: manifest.json holds null, not a list of images\n`,
    );
  });
});
