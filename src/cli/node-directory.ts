import { openAsBlob } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { DirectoryArchive, type DirectoryFile } from '../lib/archive/directory-archive.ts';

/** Returns an Archive over an OCI layout directory on disk (files read lazily as Blobs). */
export async function nodeDirectoryArchive(path: string): Promise<DirectoryArchive> {
  const files: DirectoryFile[] = [];
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    files.push({ path: relative(path, full).split('\\').join('/'), blob: await openAsBlob(full) });
  }
  return new DirectoryArchive(basename(path.replace(/\/+$/, '')), files);
}
