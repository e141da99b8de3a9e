/**
 * Reading what the user gave the page: dropped files and folders (DataTransfer entries) and
 * the files of a folder picker. The only DOM-specific input code; the core sees Files and
 * DirectoryFiles.
 */
import type { DirectoryFile } from '../lib/archive/directory-archive.ts';

/** One thing to open: an archive file, or a folder (an OCI layout directory) being listed. */
export type Dropped =
  { kind: 'file'; file: File } | { kind: 'folder'; name: string; files: Promise<DirectoryFile[]> };

/** Returns what a drop carries. Call it during the drop event: the items are gone after. */
export function readDataTransfer(dataTransfer: DataTransfer): Dropped[] {
  const items = [...dataTransfer.items].filter((item) => item.kind === 'file');
  if (items.length === 0) {
    return [...dataTransfer.files].map((file) => ({ kind: 'file', file }));
  }
  const dropped: Dropped[] = [];
  for (const item of items) {
    // Both must be taken synchronously, before the event handler returns.
    const entry = item.webkitGetAsEntry?.() ?? null;
    if (entry?.isDirectory) {
      const dir = entry as FileSystemDirectoryEntry;
      dropped.push({ kind: 'folder', name: dir.name, files: listFolder(dir) });
      continue;
    }
    const file = item.getAsFile();
    if (file) dropped.push({ kind: 'file', file });
  }
  return dropped;
}

/** Returns the folder a directory picker (`webkitdirectory`) gave, paths relative to it. */
export function readFolderInput(files: FileList): Dropped | null {
  const list = [...files];
  const first = list[0];
  if (!first) return null;
  const name = first.webkitRelativePath.split('/')[0] || 'folder';
  const inFolder = list.map((file) => ({
    path: file.webkitRelativePath.slice(name.length + 1) || file.name,
    blob: file as Blob,
  }));
  return { kind: 'folder', name, files: Promise.resolve(inFolder) };
}

/** Returns every file under a dropped directory, with paths relative to it. */
async function listFolder(root: FileSystemDirectoryEntry): Promise<DirectoryFile[]> {
  const files: DirectoryFile[] = [];
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    for (const entry of await readAllEntries(dir)) {
      const path = prefix + entry.name;
      if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, `${path}/`);
      else if (entry.isFile) files.push({ path, blob: await fileOf(entry as FileSystemFileEntry) });
    }
  };
  await walk(root, '');
  return files;
}

/** Returns all entries of a directory: readEntries gives them in batches until an empty one. */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}
