/**
 * What the image model says must be in the archive: every descriptor (index → manifests →
 * configs → layers) and every file manifest.json names, with the digest, size and diff_id each
 * promises. A map over the model the report was built from: nothing is read here.
 */
import type { BlobRef, Image, ImageArchive, ImageIndex, Manifest, Platform } from '../oci/model.ts';
import type { Digest } from '../report/model.ts';
import type { Decoding } from './model.ts';
import { compressionOfType } from '../oci/media-types.ts';

/** One reference to a blob: where it must be and what it must match. */
export interface Reference {
  /** What its checks are about: the descriptor's digest, or the path manifest.json gives. */
  target: string;
  /** Where the blob must be in the archive. */
  path: string;
  /** How messages name it: `layer 1 sha256:… of linux/amd64`. */
  what: string;
  /** The descriptor's digest and size; null for a path from manifest.json. */
  digest: Digest | null;
  size: number | null;
  /** The config's diff_id for a layer, and how to decode the layer to check it. */
  diffId: Digest | null;
  decode: Decoding | null;
  /** A layer registries serve from elsewhere (foreign, non-distributable): it may be absent. */
  foreign: boolean;
  /** A manifest an index lists that the archive does not hold (a partial save): its platform
   * is not included, which is not a corruption but leaves the verification incomplete. */
  notIncluded: string | null;
  /** False for a manifest found among the blobs rather than named by a document: its blob is
   * checked against its name, not referenced. */
  listed: boolean;
}

/** Which manifests to follow: all, or those of one platform (`linux/arm64/v8`). */
export interface ReferenceFilter {
  platform?: string | null;
}

/** Returns every reference the model makes, in document order. */
export function collectReferences(model: ImageArchive, filter: ReferenceFilter = {}): Reference[] {
  const out: Reference[] = [];
  for (const image of model.images) walkImage(image, filter, out);
  return out;
}

function walkImage(image: Image, filter: ReferenceFilter, out: Reference[]): void {
  const visit = (node: ImageIndex | Manifest, underIndex: boolean): void => {
    if (node.type === 'index') {
      const d = node.blob.descriptor!;
      out.push(blobRef(node.blob, `index ${d.digest}`));
      for (const child of node.children) visit(child, true);
      return;
    }
    if (filter.platform && !matches(node, filter.platform)) return;
    manifestRefs(image, node, underIndex, out);
  };
  visit(image.root, false);
}

/** Returns true when a manifest is of the platform asked for (an attestation: of its subject's). */
function matches(m: Manifest, platform: string): boolean {
  return platformPath(m.platform) === platform || (m.kind !== 'image' && m.subject !== null);
}

function manifestRefs(image: Image, m: Manifest, underIndex: boolean, out: Reference[]): void {
  const platform = m.kind === 'attestation' ? 'attestation' : platformPath(m.platform);
  const manifestDigest = m.blob?.descriptor?.digest ?? null;
  if (m.blob) {
    const ref = blobRef(m.blob, `manifest ${manifestDigest}${platform ? ` (${platform})` : ''}`);
    if (!m.included && underIndex) ref.notIncluded = platform || 'unknown platform';
    ref.listed = m.listed;
    out.push(ref);
  }
  const of =
    platform && platform !== 'attestation'
      ? platform
      : manifestDigest
        ? `manifest ${manifestDigest}`
        : image.ref;
  if (m.configBlob) {
    const c = m.configBlob;
    out.push(
      blobRef(
        c,
        c.descriptor
          ? `config ${c.descriptor.digest} of ${of}`
          : `config "${c.path}" of ${image.ref}`,
      ),
    );
  }
  for (const [i, layer] of m.layers.entries()) {
    const what = layer.descriptor
      ? `layer ${i + 1} ${layer.descriptor.digest} of ${of}`
      : `layer ${i + 1} "${layer.path}" of ${image.ref}`;
    out.push({
      ...blobRef(layer, what),
      diffId: layer.diffId,
      decode: layer.diffId ? decodingOf(layer.descriptor ? layer.mediaType : null) : null,
      foreign: layer.foreign,
    });
  }
}

/** Returns the reference a blob makes, with nothing to decode. */
function blobRef(blob: BlobRef, what: string): Reference {
  const d = blob.descriptor;
  return {
    target: d?.digest ?? blob.path,
    path: blob.path,
    what,
    digest: d?.digest ?? null,
    size: d?.size ?? null,
    diffId: null,
    decode: null,
    foreign: false,
    notIncluded: null,
    listed: true,
  };
}

/** Returns `linux/arm64/v8`, or '' when the platform names no os. */
export function platformPath(p: Platform): string {
  return p.os ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : '';
}

/** Returns how a layer of this media type is decoded: as it declares, as itself when it is no
 * tar at all (in-toto statements), else by its first bytes. */
function decodingOf(mediaType: string | null): Decoding {
  const declared = compressionOfType(mediaType);
  if (declared && declared !== 'unknown') return declared;
  if (mediaType && !/tar/.test(mediaType)) return 'none';
  return 'auto';
}
