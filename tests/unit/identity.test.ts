import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { nodeFileSource } from '../../src/cli/node-source.ts';
import { openArchive } from '../../src/lib/archive/open.ts';
import { bytesSource } from '../../src/lib/archive/byte-source.ts';
import { archiveIdentity } from '../../src/lib/identity.ts';
import { ociArchive } from '../support/oci.ts';
import { FIXTURES } from '../support/paths.ts';

const fixtures = FIXTURES;

async function identityOf(path: string) {
  const src = await nodeFileSource(path);
  try {
    return await archiveIdentity(await openArchive(src));
  } finally {
    await src.close();
  }
}

describe('archive identity', () => {
  it('is stable, and differs between archives', async () => {
    const a = await identityOf(fixtures + 'gen-buildah-multiarch-oci-archive.tar');
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await identityOf(fixtures + 'gen-buildah-multiarch-oci-archive.tar')).toBe(a);
    expect(await identityOf(fixtures + 'gen-skopeo-multiarch-zstd-oci-archive.tar')).not.toBe(a);
    expect(await identityOf(fixtures + 'dive-test-docker-image.tar')).not.toBe(a);
  });

  it('does not depend on the file name, but on the root documents and the size', async () => {
    const bytes = ociArchive({ ref: 'one' });
    const one = await archiveIdentity(await openArchive(bytesSource(bytes, 'a.tar')));
    expect(await archiveIdentity(await openArchive(bytesSource(bytes, 'b.tar')))).toBe(one);
    const other = ociArchive({ ref: 'two' });
    expect(other.length).toBe(bytes.length);
    expect(await archiveIdentity(await openArchive(bytesSource(other, 'a.tar')))).not.toBe(one);
  });

  it('reads a gzip-compressed archive from what its one pass kept', async () => {
    expect(await identityOf(fixtures + 'trivy-alpine-310.tar.gz')).toMatch(/^sha256:/);
  });
});

describe('archive identity: the bytes hashed never change (the library is keyed by it)', () => {
  it('is SHA-256 of each root document after "<name>\\0<size>\\0", then "size\\0<size>"', async () => {
    const bytes = ociArchive({ ref: 'pinned' });
    const archive = await openArchive(bytesSource(bytes, 'a.tar'));
    const hash = createHash('sha256');
    for (const name of ['index.json', 'manifest.json']) {
      const entry = archive.lookup(name);
      if (!entry) continue;
      hash.update(`${name}\0${entry.size}\0`);
      hash.update(await archive.read(entry, 1 << 20));
    }
    hash.update(`size\0${bytes.length}`);
    expect(await archiveIdentity(archive)).toBe(`sha256:${hash.digest('hex')}`);
  });

  it('is the same with hash-wasm, where crypto.subtle is missing (plain http)', async () => {
    const path = fixtures + 'dive-test-docker-image.tar';
    const withSubtle = await identityOf(path);
    vi.stubGlobal('crypto', {});
    try {
      expect(globalThis.crypto.subtle).toBeUndefined();
      expect(await identityOf(path)).toBe(withSubtle);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
