/**
 * The extract worker's job on compressed layers: dive's test image layers (415 entries, a 1 MB
 * busybox) compressed by Node's zlib and by the zstd command, and a zstd layer as stored in an
 * OCI fixture: every regular file taken out equals the test-side tar reader's body; a preview
 * limit keeps the start; a listing that does not fit the layer is refused; cancel stops it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extract, handleExtract } from '../../../workers/extract-job.ts';
import type { ExtractReply, ExtractRequest } from '../../../workers/extract-messages.ts';
import type { Format } from '../../../src/lib/verify/model.ts';
import { fixture } from '../../support/paths.ts';
import { writeTar } from '../../support/tar.ts';
import { imageLayers, inflate, listingOf, readTar } from '../layers/support.ts';

/** Returns the stored (compressed) layer blobs of an OCI archive's first manifest. */
function storedLayers(name: string): Uint8Array[] {
  const files = new Map(
    readTar(new Uint8Array(fs.readFileSync(fixture(name)))).map((e) => [
      e.name.replace(/^\.\//, ''),
      e.body,
    ]),
  );
  const json = (p: string) => JSON.parse(Buffer.from(files.get(p)!).toString('utf8'));
  const blob = (d: string) => `blobs/${d.replace(':', '/')}`;
  let doc = json('index.json');
  while (!doc.layers) doc = json(blob(doc.manifests[0].digest));
  return doc.layers.map((l: { digest: string }) => files.get(blob(l.digest))!);
}

const request = (
  stored: Uint8Array,
  format: Format,
  entry: number,
  path: string,
  limit = 1 << 30,
): ExtractRequest => ({
  type: 'extract',
  id: 1,
  blob: new Blob([stored as BlobPart]),
  start: 0,
  end: stored.length,
  format,
  entry,
  path,
  limit,
});

const dive = imageLayers(fixture('dive-test-docker-image.tar'))[0]!.layers;
const gzipped = dive.map((tar) => new Uint8Array(gzipSync(tar)));
const zstded = dive.map(
  (tar) => new Uint8Array(execFileSync('zstd', ['-c', '-3'], { input: tar, maxBuffer: 1 << 28 })),
);

describe.each([
  ['dive layers, gzip', gzipped, 'gzip'],
  ['dive layers, zstd', zstded, 'zstd'],
  ['dive-test-oci-zstd-image.tar', storedLayers('dive-test-oci-zstd-image.tar'), 'zstd'],
] as const)('%s', (_name, layers, format) => {
  it('takes every regular file out of every layer, byte for byte', async () => {
    let files = 0;
    for (const stored of layers) {
      const tar = inflate(stored);
      const listing = await listingOf(tar);
      const raw = readTar(tar);
      for (let i = 0; i < listing.count; i++) {
        // The first and last files of a layer, and a few between.
        if (listing.type(i) !== 'file' || (files > 10 && i < listing.count - 2)) continue;
        const r = await extract(
          request(stored, format, i, listing.path(i)),
          new AbortController().signal,
        );
        expect(r.size).toBe(raw[i]!.size);
        expect(r.cut).toBe(false);
        expect(Buffer.from(await r.data.arrayBuffer())).toEqual(Buffer.from(raw[i]!.body));
        files++;
      }
    }
    expect(files).toBeGreaterThan(0);
  });
});

describe('extract', () => {
  const stored = gzipped[0]!;
  const tar = inflate(stored);
  const raw = readTar(tar);
  const big = raw.findIndex((e) => e.size > 100_000);

  it('a file of 20 MiB comes out whole, across the Blobs it is gathered in', async () => {
    const body = new Uint8Array(20 * 1024 * 1024 + 123);
    for (let i = 0; i < body.length; i++) body[i] = (i * 2654435761) >>> 24;
    const layer = new Uint8Array(gzipSync(writeTar([{ name: 'big.bin', data: body }])));
    const r = await extract(request(layer, 'gzip', 0, 'big.bin'), new AbortController().signal);
    expect(r.size).toBe(body.length);
    expect(r.data.size).toBe(body.length);
    expect(Buffer.from(await r.data.arrayBuffer()).equals(Buffer.from(body))).toBe(true);
  });

  it('keeps only the start of a file past the limit, and says so', async () => {
    const r = await extract(
      request(stored, 'gzip', big, raw[big]!.name.replace(/^\.?\//, ''), 1000),
      new AbortController().signal,
    );
    expect(r.cut).toBe(true);
    expect(r.size).toBe(raw[big]!.size);
    expect(Buffer.from(await r.data.arrayBuffer())).toEqual(
      Buffer.from(raw[big]!.body.subarray(0, 1000)),
    );
  });

  it('refuses a listing that does not fit the layer, and an entry past its end', async () => {
    const signal = new AbortController().signal;
    await expect(extract(request(stored, 'gzip', big, 'not/this'), signal)).rejects.toThrow(
      /does not fit this layer/,
    );
    await expect(extract(request(stored, 'gzip', raw.length + 5, 'x'), signal)).rejects.toThrow(
      /has no entry/,
    );
  });

  it('replies with progress and the file, or stops when cancelled', async () => {
    const replies: ExtractReply[] = [];
    await handleExtract(request(stored, 'gzip', big, raw[big]!.name.replace(/^\.?\//, '')), (r) =>
      replies.push(r),
    );
    const done = replies.at(-1)!;
    expect(done.type).toBe('done');
    const cancelled: ExtractReply[] = [];
    const run = handleExtract({ ...request(stored, 'gzip', raw.length - 1, 'x'), id: 2 }, (r) =>
      cancelled.push(r),
    );
    await handleExtract({ type: 'cancel', id: 2 }, () => {});
    await run;
    expect(cancelled.at(-1)).toMatchObject({ type: 'error', id: 2, aborted: true });
  });
});
