// Writes the benchmark archives outside the repository (they are GiBs): a multi-platform OCI
// archive with gzip layers and a legacy `docker save` with uncompressed layer.tar files. The
// bytes are deterministic (seeded PRNG), so every run measures the same input; files are
// reused when already there.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, statSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';

const MiB = 1024 * 1024;
const BLOCK = 64 * 1024;

/** xorshift32: fast, seeded, good enough to make incompressible bytes. */
function prng(seed) {
  let x = (seed * 2654435761) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Returns a generator of 64 KiB blocks that compress like real layers (~1.8× with gzip -6):
 * 40% random bytes (already-compressed assets), 60% text from a 2,000-word vocabulary. */
function* contentBlocks(seed, totalBytes) {
  const next = prng(seed);
  const words = Array.from({ length: 2000 }, () => {
    const n = 2 + (next() % 9);
    return Array.from({ length: n }, () => String.fromCharCode(97 + (next() % 26))).join('');
  });
  for (let done = 0; done < totalBytes; done += BLOCK) {
    const block = Buffer.alloc(Math.min(BLOCK, totalBytes - done));
    if (next() % 10 < 4) {
      for (let i = 0; i < block.length; i += 4) block.writeUInt32LE(next() >>> 0, i);
    } else {
      let at = 0;
      while (at < block.length) {
        const w = words[next() % words.length] + (next() % 12 === 0 ? '\n' : ' ');
        at += block.write(w, at, 'latin1');
      }
    }
    yield block;
  }
}

function tarHeader(name, size, type = '0') {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i];
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

const pad = (size) => Buffer.alloc((512 - (size % 512)) % 512);

/** Writes one layer tar (one file of `bytes` generated content) to `out`, gzip'd or not;
 * returns {digest, diffId, size}. */
async function writeLayer(path, seed, bytes, gzip) {
  return writeTarLayer(path, gzip, async (emit) => {
    await emit(tarHeader(`data/blob-${seed}.bin`, bytes));
    for (const block of contentBlocks(seed, bytes)) await emit(block);
    await emit(pad(bytes));
  });
}

/** Writes a gzip layer of many files, sized like a distribution's (most of a few KB, some of
 * 100s of KB, a few of MBs), `bytes` of content in all, 50 to a directory: the listing's cost
 * per entry shows here, which a layer of one file hides. Returns {digest, diffId, size, files}. */
async function writeFilesLayer(path, seed, bytes) {
  const next = prng(seed);
  let files = 0;
  const layer = await writeTarLayer(path, true, async (emit) => {
    for (let done = 0; done < bytes; files++) {
      if (files % 50 === 0) await emit(tarHeader(`usr/share/d${files / 50}/`, 0, '5'));
      const pick = next() % 100;
      const max = pick < 70 ? 8 * 1024 : pick < 95 ? 128 * 1024 : 2 * MiB;
      const size = Math.min(bytes - done, (next() % max) + 1);
      await emit(tarHeader(`usr/share/d${Math.floor(files / 50)}/f${files}.dat`, size));
      // Content from the same mix as the big layers, cut to the file's size.
      const block = contentBlocks(seed * 1000 + files, Math.ceil(size / 4) * 4);
      let left = size;
      for (const chunk of block) {
        await emit(chunk.subarray(0, Math.min(chunk.length, left)));
        left -= Math.min(chunk.length, left);
      }
      await emit(pad(size));
      done += size;
    }
  });
  return { ...layer, files };
}

/** Writes a gzip layer of `count` small files (1 to 400 bytes of text each, one tar block),
 * 1,000 to a directory, plus the directories: the layer the listing's memory and the tree's
 * responsiveness are measured on. Headers are built in batches (a million awaits would be the
 * generator's own bottleneck). Returns {digest, diffId, size, files}. */
async function writeManySmallFilesLayer(path, seed, count) {
  const next = prng(seed);
  const words = Array.from({ length: 500 }, () =>
    Array.from({ length: 2 + (next() % 8) }, () => String.fromCharCode(97 + (next() % 26))).join(
      '',
    ),
  );
  const layer = await writeTarLayer(path, true, async (emit) => {
    const BATCH = 2048;
    let batch = [];
    for (let i = 0; i < count; i++) {
      if (i % 1000 === 0)
        batch.push(tarHeader(`srv/d${String(i / 1000).padStart(4, '0')}/`, 0, '5'));
      let text = `file ${i}\n`;
      const size = 1 + (next() % 400);
      while (text.length < size) text += words[next() % words.length] + (next() % 9 ? ' ' : '\n');
      const body = Buffer.alloc(512);
      body.write(text.slice(0, size), 'latin1');
      const name = `srv/d${String(Math.floor(i / 1000)).padStart(4, '0')}/f${String(i).padStart(7, '0')}.txt`;
      batch.push(tarHeader(name, size), body);
      if (batch.length >= BATCH) {
        await emit(Buffer.concat(batch));
        batch = [];
      }
    }
    if (batch.length) await emit(Buffer.concat(batch));
  });
  return { ...layer, files: count };
}

/** Writes a docker save of one image whose one layer is the gzip layer of `count` small files
 * (docker save stores layers as `<dir>/layer.tar` whatever their compression; the page reads
 * the gzip by its magic bytes). */
async function writeManyFilesImage(dir, count) {
  const path = join(dir, count === 1_000_000 ? 'bench-1m-files.tar' : `bench-files-${count}.tar`);
  if (existsSync(path)) return path;
  const tmp = join(dir, 'layers');
  mkdirSync(tmp, { recursive: true });
  const layerPath = join(tmp, `many-small-files-${count}.gz`);
  const layer = await writeManySmallFilesLayer(layerPath, 11, count);
  const tar = new TarWriter(`${path}.partial`);
  await tar.addFile(`${layer.diffId.slice(7)}/layer.tar`, layerPath);
  const cfg = config({ architecture: 'amd64' }, [layer.diffId]);
  await tar.add(`${sha(cfg).slice(7)}.json`, cfg);
  await tar.add(
    'manifest.json',
    json([
      {
        Config: `${sha(cfg).slice(7)}.json`,
        RepoTags: ['bench:many-files'],
        Layers: [`${layer.diffId.slice(7)}/layer.tar`],
      },
    ]),
  );
  await tar.close();
  renameSync(`${path}.partial`, path);
  process.stderr.write(
    `bench: ${count} small files in one layer, ${(layer.size / MiB).toFixed(0)} MiB gzip\n`,
  );
  return path;
}

/** Writes a layer tar whose entries `body` emits, ending it with two zero blocks; gzip'd or not.
 * Returns {digest, diffId, size}. */
async function writeTarLayer(path, gzip, body) {
  const diff = createHash('sha256');
  const blob = createHash('sha256');
  const file = createWriteStream(path);
  let size = 0;
  const sink = gzip ? createGzip({ level: 6 }) : null;
  if (sink) {
    sink.on('data', (c) => {
      blob.update(c);
      size += c.length;
      if (!file.write(c)) sink.pause();
    });
    file.on('drain', () => sink.resume());
  }
  const emit = async (chunk) => {
    diff.update(chunk);
    if (sink) {
      if (!sink.write(chunk)) await once(sink, 'drain');
    } else {
      blob.update(chunk);
      size += chunk.length;
      if (!file.write(chunk)) await once(file, 'drain');
    }
  };
  await body(emit);
  await emit(Buffer.alloc(1024));
  if (sink) {
    sink.end();
    await once(sink, 'end');
  }
  file.end();
  await once(file, 'finish');
  return { digest: `sha256:${blob.digest('hex')}`, diffId: `sha256:${diff.digest('hex')}`, size };
}

/** An outer tar writer that streams files into one archive. */
class TarWriter {
  constructor(path) {
    this.out = createWriteStream(path);
  }
  async add(name, data) {
    await this.write(tarHeader(name, data.length));
    await this.write(data);
    await this.write(pad(data.length));
  }
  async addFile(name, path) {
    const { createReadStream } = await import('node:fs');
    const size = statSync(path).size;
    await this.write(tarHeader(name, size));
    for await (const chunk of createReadStream(path, { highWaterMark: 4 * MiB }))
      await this.write(chunk);
    await this.write(pad(size));
  }
  async write(chunk) {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  async close() {
    await this.write(Buffer.alloc(1024));
    this.out.end();
    await once(this.out, 'finish');
  }
}

const json = (v) => Buffer.from(JSON.stringify(v));
const sha = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function config(platform, diffIds) {
  return json({
    architecture: platform.architecture,
    os: 'linux',
    ...(platform.variant ? { variant: platform.variant } : {}),
    created: '2026-01-01T00:00:00Z',
    config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: diffIds.map((_, i) => ({
      created: '2026-01-01T00:00:00Z',
      created_by: `/bin/sh -c generate layer ${i}`,
    })),
  });
}

/** Writes the multi-platform OCI archive: 2 platforms × 3 gzip layers of ~190 MiB compressed. */
async function writeOci(dir, layerBytes) {
  const path = join(dir, 'bench-oci-multiplatform.tar');
  if (existsSync(path)) return path;
  const platforms = [{ architecture: 'amd64' }, { architecture: 'arm64', variant: 'v8' }];
  const tmp = join(dir, 'layers');
  mkdirSync(tmp, { recursive: true });
  const tar = new TarWriter(`${path}.partial`);
  const manifests = [];
  let seed = 1;
  for (const platform of platforms) {
    const layers = [];
    for (let i = 0; i < 3; i++) {
      const layerPath = join(tmp, `layer-${seed}.tar.gz`);
      const layer = await writeLayer(layerPath, seed++, layerBytes, true);
      layers.push(layer);
      await tar.addFile(`blobs/sha256/${layer.digest.slice(7)}`, layerPath);
      process.stderr.write(`bench: layer ${seed - 1} ${(layer.size / MiB).toFixed(0)} MiB gzip\n`);
    }
    const cfg = config(
      platform,
      layers.map((l) => l.diffId),
    );
    await tar.add(`blobs/sha256/${sha(cfg).slice(7)}`, cfg);
    const manifest = json({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha(cfg),
        size: cfg.length,
      },
      layers: layers.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: l.digest,
        size: l.size,
      })),
    });
    await tar.add(`blobs/sha256/${sha(manifest).slice(7)}`, manifest);
    manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha(manifest),
      size: manifest.length,
      platform: { os: 'linux', ...platform },
    });
  }
  const index = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests,
  });
  await tar.add(`blobs/sha256/${sha(index).slice(7)}`, index);
  await tar.add('oci-layout', json({ imageLayoutVersion: '1.0.0' }));
  await tar.add(
    'index.json',
    json({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
          digest: sha(index),
          size: index.length,
          annotations: { 'io.containerd.image.name': 'docker.io/library/bench:multi' },
        },
      ],
    }),
  );
  await tar.close();
  renameSync(`${path}.partial`, path);
  return path;
}

/** Writes the legacy docker save: 8 uncompressed layer.tar files of `layerBytes` each (2.1 GiB,
 * the size the app's drop-to-report target is set for). */
async function writeLegacy(dir, layerBytes) {
  const path = join(dir, 'bench-docker-save-legacy-2g.tar');
  if (existsSync(path)) return path;
  const tmp = join(dir, 'layers');
  mkdirSync(tmp, { recursive: true });
  const tar = new TarWriter(`${path}.partial`);
  const layers = [];
  for (let i = 0; i < 8; i++) {
    const layerPath = join(tmp, `legacy-${i}.tar`);
    const layer = await writeLayer(layerPath, 100 + i, layerBytes, false);
    await tar.addFile(`${layer.diffId.slice(7)}/layer.tar`, layerPath);
    layers.push(layer);
  }
  const cfg = config(
    { architecture: 'amd64' },
    layers.map((l) => l.diffId),
  );
  await tar.add(`${sha(cfg).slice(7)}.json`, cfg);
  await tar.add(
    'manifest.json',
    json([
      {
        Config: `${sha(cfg).slice(7)}.json`,
        RepoTags: ['bench:legacy'],
        Layers: layers.map((l) => `${l.diffId.slice(7)}/layer.tar`),
      },
    ]),
  );
  await tar.close();
  renameSync(`${path}.partial`, path);
  return path;
}

/** The scale of the archives: 1 for the full ones (1.27 GiB OCI, 2.13 GiB legacy), 0.05 for a
 * quick check of the benchmark itself while the machine is busy (STEVEDORE_BENCH_SCALE). */
export function benchScale() {
  const scale = Number(process.env.STEVEDORE_BENCH_SCALE ?? 1);
  if (!(scale > 0 && scale <= 1)) throw new Error('STEVEDORE_BENCH_SCALE must be in (0, 1]');
  return scale;
}

/** Returns MiB × scale in whole MiB (at least one), in bytes. */
const scaled = (mib, scale) => Math.max(1, Math.round(mib * scale)) * MiB;

/** Returns the paths of the benchmark archives under `dir` (the many-files layer, and the image
 * of 1,000,000 small files: 1,000,000 × scale), writing
 * them first when missing; `scale` shrinks every layer (a folder per scale: see run.ts). */
export async function generate(dir, scale = 1) {
  mkdirSync(dir, { recursive: true });
  const oci = await writeOci(dir, scaled(340, scale));
  const legacy = await writeLegacy(dir, scaled(272, scale));
  // No package database in it: the packages row puts a real Debian root in front of it
  // (withDebianRoot in worker.ts). files-layer-packages.tar.gz, of an older bench, held a
  // generated one that hid the real root; it is not read any more.
  const filesPath = join(dir, 'files-layer.tar.gz');
  let filesLayer = filesPath;
  if (!existsSync(filesPath)) {
    const layer = await writeFilesLayer(`${filesPath}.partial`, 7, scaled(256, scale));
    renameSync(`${filesPath}.partial`, filesPath);
    process.stderr.write(`bench: many-files layer, ${layer.files} files\n`);
    filesLayer = filesPath;
  }
  const manyFiles = await writeManyFilesImage(dir, Math.max(1000, Math.round(1_000_000 * scale)));
  return { oci, legacy, filesLayer, manyFiles };
}
