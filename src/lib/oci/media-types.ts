import type { Compression } from './model.ts';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER_TAR = 'application/vnd.docker.image.rootfs.diff.tar';
export const DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
export const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';

/** Returns true for an image index or Docker manifest list. */
export function isIndexType(mediaType: string | null | undefined): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_LIST;
}

/** Returns true for an image manifest (OCI or Docker schema 2). */
export function isManifestType(mediaType: string | null | undefined): boolean {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST;
}

/** Returns true for a config media type that holds a runnable image's configuration. */
export function isImageConfigType(mediaType: string | null | undefined): boolean {
  return mediaType === OCI_CONFIG || mediaType === DOCKER_CONFIG;
}

/** Returns the compression a layer media type declares, or null when it says nothing. */
export function compressionOfType(mediaType: string | null | undefined): Compression | null {
  if (!mediaType) return null;
  if (/[+.]gzip$/.test(mediaType)) return 'gzip';
  if (/[+.]zstd$/.test(mediaType)) return 'zstd';
  if (
    /(?:\.layer\.v1\.tar|\.rootfs\.diff\.tar|\.foreign\.diff\.tar|\.nondistributable\.v1\.tar)$/.test(
      mediaType,
    )
  )
    return 'none';
  return null;
}

/** Returns the compression the first bytes of a blob show: gzip and zstd by magic, tar by `ustar`. */
export function compressionOfBytes(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head.length >= 262 && String.fromCharCode(...head.subarray(257, 262)) === 'ustar')
    return 'none';
  // An empty layer is a tar of two zero blocks.
  if (head.length >= 512 && head.every((b) => b === 0)) return 'none';
  return 'unknown';
}

/** Returns the Docker media type a legacy `docker save` layer would have, from its compression. */
export function legacyLayerType(compression: Compression): string | null {
  if (compression === 'none') return DOCKER_LAYER_TAR;
  if (compression === 'gzip') return DOCKER_LAYER_GZIP;
  if (compression === 'zstd') return OCI_LAYER_ZSTD;
  return null;
}
