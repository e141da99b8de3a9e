import type { Digest } from './model.ts';

const SHA256 = /^sha256:[0-9a-f]{64}$/;
const ANY = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Returns the digest if it is a well-formed OCI digest (sha256 ones checked strictly), else null. */
export function parseDigest(value: unknown): Digest | null {
  if (typeof value !== 'string') return null;
  if (value.startsWith('sha256:')) return SHA256.test(value) ? value : null;
  return ANY.test(value) ? value : null;
}

/** Returns true for a `sha256:<64 hex>` digest. */
export function isSha256(value: unknown): value is Digest {
  return typeof value === 'string' && SHA256.test(value);
}

/** Returns the hex part of a digest. */
export function digestHex(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1);
}

/** Returns bytes (a hash) as lower-case hex. */
export function hexOf(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Returns the name of a blob in an OCI layout: `blobs/sha256/<hex>`. */
export function blobPath(digest: Digest): string {
  const colon = digest.indexOf(':');
  return `blobs/${digest.slice(0, colon)}/${digest.slice(colon + 1)}`;
}

/** Returns the sha256 digest spelled by an entry name (`blobs/sha256/<hex>`, `<hex>.tar.gz`,
 * `sha256:<hex>`, `<hex>.json`), or null when the name spells none. */
export function digestFromName(name: string): Digest | null {
  const m = /(?:^|\/)(?:sha256[:/])?([0-9a-f]{64})(?:\.tar|\.tar\.gz|\.json)?$/.exec(name);
  if (!m) return null;
  // Inside a folder only the OCI layout's own spelling counts (`<id>/layer.tar` names no digest).
  if (name.includes('/') && !name.startsWith('blobs/sha256/')) return null;
  return `sha256:${m[1]}`;
}
