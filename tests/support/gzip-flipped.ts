/** A copy of the buildah OCI fixture with one byte in the middle of a gzip layer's compressed
 * data changed: the deflate stream itself is damaged (not only its trailer, as
 * tests/fixtures/bad/oci-layer-byte-flipped.tar is), so decoders stop with an error. */
import { readFile } from 'node:fs/promises';
import { fixture } from './paths.ts';

export const GZIP_FLIP_FIXTURE = 'gen-buildah-multiarch-oci-archive.tar';
/** The linux/amd64 image's first (and only) layer. */
export const FLIPPED_LAYER =
  'sha256:00bdeca78fe17a30dd4dac23b24b7226d359363dbff26c0ba0e8039df58c843f';

/** Returns the fixture's bytes with the byte at `at` (a fraction of the layer) of that layer
 * inverted. */
export async function gzipFlippedFixture(at = 0.5): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(await readFile(fixture(GZIP_FLIP_FIXTURE)));
  const field = (from: number, length: number) =>
    new TextDecoder().decode(bytes.subarray(from, from + length)).replace(/\0.*$/s, '');
  const name = `blobs/sha256/${FLIPPED_LAYER.slice(7)}`;
  for (let offset = 0; offset + 512 <= bytes.length;) {
    const entry = field(offset, 100);
    if (entry === '') break;
    const size = parseInt(field(offset + 124, 12).trim(), 8);
    if (entry === name) {
      const where = offset + 512 + Math.floor(size * at);
      bytes[where] = bytes[where]! ^ 0xff;
      return bytes;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} not found in ${GZIP_FLIP_FIXTURE}`);
}
