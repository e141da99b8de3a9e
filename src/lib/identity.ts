import { createSHA256 } from 'hash-wasm';
import type { Archive } from './archive/archive.ts';
import { MAX_JSON_BYTES } from './limits.ts';

/** The documents at an archive's root that say what it holds. */
const ROOT_DOCUMENTS = ['index.json', 'manifest.json'];

/**
 * Returns the archive's content identity: SHA-256 over its root documents (index.json,
 * manifest.json, with their names) and its size. Two copies of the same image archive get the
 * same identity wherever they are, without hashing any layer. hash-wasm rather than WebCrypto:
 * crypto.subtle is missing on plain-http intranet pages, where portals embed the viewer.
 */
export async function archiveIdentity(archive: Archive): Promise<string> {
  const hasher = await createSHA256();
  const encoder = new TextEncoder();
  for (const name of ROOT_DOCUMENTS) {
    const entry = archive.lookup(name);
    if (!entry || entry.type !== 'file' || entry.truncated || entry.size > MAX_JSON_BYTES) continue;
    hasher.update(encoder.encode(`${name}\0${entry.size}\0`));
    hasher.update(await archive.read(entry, MAX_JSON_BYTES));
  }
  hasher.update(encoder.encode(`size\0${archive.size}`));
  return `sha256:${hasher.digest('hex')}`;
}
