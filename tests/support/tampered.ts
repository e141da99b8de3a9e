/** A same-size copy of a fixture with one byte of a layer changed: the same manifest.json and
 * size, so the same content identity (src/lib/identity.ts); only hashing the layer tells. */
import { readFile } from 'node:fs/promises';
import { fixture } from './paths.ts';

/** The fixture, and the layer file inside it that is changed. */
export const TAMPER_FIXTURE = 'gen-buildah-docker-archive-arm64-v8.tar';
const LAYER = 'f96d367e8328ed0e02d15a95cf9955fc5e0bacd8ce8ef61cc7a6b3258e674abb.tar';
/** Text inside that layer (its etc/platform.txt); its first letter is flipped to upper case. */
const CONTENT = 'platform linux/arm64/v8';

/** Returns the bytes of the fixture with one byte of its first layer's file content flipped. */
export async function tamperedFixture(): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(await readFile(fixture(TAMPER_FIXTURE)));
  const field = (at: number, length: number) =>
    new TextDecoder().decode(bytes.subarray(at, at + length)).replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= bytes.length;) {
    const name = field(at, 100);
    if (name === '') break;
    const size = parseInt(field(at + 124, 12).trim(), 8);
    if (name === LAYER) {
      const data = bytes.subarray(at + 512, at + 512 + size);
      const found = Buffer.from(data).indexOf(CONTENT);
      if (found < 0) throw new Error(`${CONTENT} not found in ${LAYER}`);
      data[found] = data[found]! ^ 0x20;
      return bytes;
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${LAYER} not found in ${TAMPER_FIXTURE}`);
}
