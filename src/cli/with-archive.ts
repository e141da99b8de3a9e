import { stat } from 'node:fs/promises';
import type { Archive } from '../lib/archive/archive.ts';

/** Returns `fn` of the archive in a file or an OCI layout directory, closing what it opened.
 * Its readers are imported when it runs: the CLI's entry stays light for `--help`. */
export async function withArchive<T>(
  path: string,
  fn: (archive: Archive) => Promise<T>,
): Promise<T> {
  if ((await stat(path)).isDirectory()) {
    const { nodeDirectoryArchive } = await import('./node-directory.ts');
    return fn(await nodeDirectoryArchive(path));
  }
  const [{ nodeFileSource }, { openArchive }] = await Promise.all([
    import('./node-source.ts'),
    import('../lib/archive/open.ts'),
  ]);
  const source = await nodeFileSource(path);
  try {
    return await fn(await openArchive(source));
  } finally {
    await source.close();
  }
}
