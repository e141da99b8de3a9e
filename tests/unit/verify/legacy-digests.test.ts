/** A legacy save whose layer.tar files are gzip-compressed names no layer digest: once
 * `stevedore verify` has hashed them, its JSON and Markdown carry them. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { gzipLegacySave } from '../../support/legacy.ts';
import { sha256 } from '../../support/tar.ts';

it('a gzip layer.tar gets the digest verification hashed, in JSON and Markdown', async () => {
  const { archive, layer } = gzipLegacySave();
  const dir = await mkdtemp(join(tmpdir(), 'stevedore-legacy-'));
  const file = join(dir, 'legacy-gzip.tar');
  await writeFile(file, archive);
  const run = async (...argv: string[]) => {
    let out = '';
    const code = await main(
      argv,
      (t) => void (out += t),
      () => {},
    );
    return { code, out };
  };
  const before = JSON.parse((await run('report', file, '--format', 'json')).out);
  expect(before.images[0].manifests[0].layers[0].digest).toBeNull();
  const verified = await run('verify', file, '--format', 'json');
  expect(verified.code).toBe(0);
  const after = JSON.parse(verified.out);
  expect(after.verification.status).toBe('ok');
  expect(after.images[0].manifests[0].layers[0].digest).toBe(sha256(layer));
  await rm(dir, { recursive: true });
});
