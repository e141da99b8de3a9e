/**
 * Two tiny archives written in memory for warming the page up (warm-up.ts): an OCI layout (an
 * image index of two platforms, gzip layers) and a legacy `docker save`, the two shapes the
 * opening and report code takes. Opening them runs that code once before any real drop, so that
 * V8 has compiled it by then. Nothing of them is ever shown or kept.
 */
import { BLOCK, paddedSize } from '../lib/archive/tar-header.ts';
import { hexOf } from '../lib/oci/digest.ts';
import { OCI_CONFIG, OCI_INDEX, OCI_MANIFEST } from '../lib/oci/media-types.ts';

const encoder = new TextEncoder();

/** Returns a ustar archive of these files, in this order, with its two end blocks. */
export function tarOf(files: readonly [name: string, data: Uint8Array][]): Uint8Array<ArrayBuffer> {
  const size = files.reduce((sum, [, data]) => sum + BLOCK + paddedSize(data.length), 2 * BLOCK);
  const out = new Uint8Array(size);
  let at = 0;
  for (const [name, data] of files) {
    const header = out.subarray(at, at + BLOCK);
    const field = (offset: number, text: string) => header.set(encoder.encode(text), offset);
    field(0, name);
    field(100, '0000644\0');
    field(108, '0000000\0');
    field(116, '0000000\0');
    field(124, `${data.length.toString(8).padStart(11, '0')}\0`);
    field(136, '00000000000\0');
    field(156, '0');
    field(257, 'ustar\0');
    field(263, '00');
    header.fill(0x20, 148, 156);
    const sum = header.reduce((s, b) => s + b, 0);
    field(148, `${sum.toString(8).padStart(6, '0')}\0 `);
    out.set(data, at + BLOCK);
    at += BLOCK + paddedSize(data.length);
  }
  return out;
}

const json = (value: unknown) => encoder.encode(JSON.stringify(value));

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return `sha256:${hexOf(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))}`;
}

/** The first bytes of a gzip member: what a layer's head shows of its compression. */
const GZIP_HEAD = new Uint8Array([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0]);

const CREATED = '2026-01-01T00:00:00Z';

function configOf(
  platform: { os: string; architecture: string; variant?: string },
  layers: number,
) {
  return {
    ...platform,
    created: CREATED,
    config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/sh'], WorkingDir: '/' },
    rootfs: {
      type: 'layers',
      diff_ids: Array.from({ length: layers }, (_, i) => `sha256:${String(i).repeat(64)}`),
    },
    history: Array.from({ length: layers }, (_, i) => ({
      created: CREATED,
      created_by: `/bin/sh -c #(nop) ADD file:${i} in /`,
    })),
  };
}

/** Returns an OCI layout archive: index.json → an image index → two platforms' manifests. */
export async function warmOciArchive(): Promise<Uint8Array<ArrayBuffer>> {
  const blobs: [string, Uint8Array][] = [];
  const blob = async (bytes: Uint8Array<ArrayBuffer>, mediaType: string) => {
    const digest = await sha256(bytes);
    blobs.push([`blobs/sha256/${digest.slice(7)}`, bytes]);
    return { mediaType, digest, size: bytes.length };
  };
  const platforms = [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
  ];
  const manifests = [];
  for (const [p, platform] of platforms.entries()) {
    const layers = [];
    for (let i = 0; i < 2; i++) {
      const layer = new Uint8Array(64);
      layer.set(GZIP_HEAD);
      layer[20] = p * 2 + i;
      layers.push(await blob(layer, 'application/vnd.oci.image.layer.v1.tar+gzip'));
    }
    const config = await blob(json(configOf(platform, layers.length)), OCI_CONFIG);
    const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers };
    manifests.push({ ...(await blob(json(manifest), OCI_MANIFEST)), platform });
  }
  const index = await blob(json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }), OCI_INDEX);
  const top = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [{ ...index, annotations: { 'io.containerd.image.name': 'warm-up:oci' } }],
  };
  return tarOf([
    ...blobs,
    ['oci-layout', json({ imageLayoutVersion: '1.0.0' })],
    ['index.json', json(top)],
  ]);
}

/** Returns a legacy `docker save`: manifest.json, a config and uncompressed `layer.tar`s. */
export async function warmLegacyArchive(): Promise<Uint8Array<ArrayBuffer>> {
  const layers: [string, Uint8Array<ArrayBuffer>][] = [];
  for (let i = 0; i < 2; i++) {
    const layer = tarOf([[`file-${i}`, encoder.encode(`layer ${i}\n`)]]);
    layers.push([`${(await sha256(layer)).slice(7)}/layer.tar`, layer]);
  }
  const config = json(configOf({ os: 'linux', architecture: 'amd64' }, layers.length));
  const configName = `${(await sha256(config)).slice(7)}.json`;
  const manifest = [
    { Config: configName, RepoTags: ['warm-up:legacy'], Layers: layers.map(([name]) => name) },
  ];
  return tarOf([...layers, [configName, config], ['manifest.json', json(manifest)]]);
}
