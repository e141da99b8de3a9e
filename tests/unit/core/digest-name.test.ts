import { describe, expect, it } from 'vitest';
import { digestFromName, parseDigest } from '../../../src/lib/oci/digest.ts';

const hex = 'f96d367e8328ed0e02d15a95cf9955fc5e0bacd8ce8ef61cc7a6b3258e674abb';

describe('digests in entry names', () => {
  it('reads the spellings real tools write', () => {
    for (const name of [
      `blobs/sha256/${hex}`,
      `${hex}.tar`,
      `${hex}.tar.gz`,
      `${hex}.json`,
      `sha256:${hex}`,
      hex,
    ]) {
      expect(digestFromName(name), name).toBe(`sha256:${hex}`);
    }
  });

  it('reads none from names that only contain hex', () => {
    for (const name of [
      `${hex}/layer.tar`,
      `${hex}/${hex}`,
      `x/${hex}.tar`,
      `${hex}.txt`,
      `blobs/sha512/${hex}`,
    ]) {
      expect(digestFromName(name), name).toBeNull();
    }
  });

  it('validates digests when parsing them', () => {
    expect(parseDigest(`sha256:${hex}`)).toBe(`sha256:${hex}`);
    expect(parseDigest(`sha256:${hex.toUpperCase()}`)).toBeNull();
    expect(parseDigest(`sha256:${hex.slice(1)}`)).toBeNull();
    expect(parseDigest('sha512:abc')).toBe('sha512:abc');
    expect(parseDigest(42)).toBeNull();
  });
});
