import { createSHA256 } from 'hash-wasm';
import type { Archive } from './archive/archive.ts';
import { MAX_JSON_BYTES } from './limits.ts';
import { hexOf } from './oci/digest.ts';

/** The documents at an archive's root that say what it holds. */
const ROOT_DOCUMENTS = ['index.json', 'manifest.json'];

/**
 * Returns the archive's content identity: SHA-256 over its root documents (index.json,
 * manifest.json, each after `<name>\0<size>\0`) and then `size\0<archive size>`. Two copies of
 * the same image archive get the same identity wherever they are, without hashing any layer.
 * The library keys its reports by it: the bytes hashed never change. WebCrypto where there is
 * one (no WebAssembly module to instantiate before the first report shows); hash-wasm where
 * crypto.subtle is missing, on plain-http intranet pages where portals embed the viewer.
 */
export async function archiveIdentity(archive: Archive): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const name of ROOT_DOCUMENTS) {
    const entry = archive.lookup(name);
    if (!entry || entry.type !== 'file' || entry.truncated || entry.size > MAX_JSON_BYTES) continue;
    parts.push(encoder.encode(`${name}\0${entry.size}\0`));
    parts.push(await archive.read(entry, MAX_JSON_BYTES));
  }
  parts.push(encoder.encode(`size\0${archive.size}`));
  return `sha256:${await sha256Hex(parts)}`;
}

/** Returns the hex SHA-256 of the parts one after the other. */
async function sha256Hex(parts: readonly Uint8Array[]): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    const hasher = await createSHA256();
    for (const part of parts) hasher.update(part);
    return hasher.digest('hex');
  }
  const whole = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return hexOf(new Uint8Array(await subtle.digest('SHA-256', whole)));
}
