/**
 * Where a digest (or an entry name) inside a document leads in the opened archive: an index, a
 * manifest or a config (shown as JSON), a layer (shown in its table), another blob, or nothing
 * here. Read from the archive's one model (`readImageArchive`), so the JSON view and the report
 * cannot name different blobs. Pure functions over the model; reading is the archive's.
 */
import type { Archive, ArchiveEntry } from '../../lib/archive/archive.ts';
import { blobPath, digestFromName } from '../../lib/oci/digest.ts';
import { asObject, asStringMap } from '../../lib/oci/json.ts';
import type { BlobRef, ImageArchive, ImageIndex, Manifest } from '../../lib/oci/model.ts';
import { readImageArchive } from '../../lib/oci/read.ts';
import { MAX_JSON_BYTES } from '../../lib/limits.ts';
import { messageOf } from '../../lib/errors.ts';
import { platformText } from '../summary-view.ts';
import { countText, shortDigest } from '../report-view.ts';
import { parseDocument, type ParsedDocument } from './json-view.ts';

/** Where a link leads. */
export type Target =
  | { kind: 'document'; title: string; entry: ArchiveEntry; digest: string | null }
  | {
      kind: 'layer';
      title: string;
      /** Positions in the report: which image, which of its manifests, which layer (from 1). */
      image: number;
      manifest: number;
      layer: number;
    }
  | { kind: 'blob'; title: string; entry: ArchiveEntry; digest: string | null }
  | { kind: 'absent'; title: string };

/** What a document is: `manifest of linux/amd64`, `config of linux/arm64/v8 (attestation)`. */
function manifestName(m: Manifest, what: string): string {
  const kind = m.kind === 'image' ? '' : ` (${m.kind})`;
  return `${what} of ${platformText(m.platform)}${kind}`;
}

/** Returns the digest a blob reference names: its descriptor's, or its path's. */
function digestOfRef(ref: BlobRef): string | null {
  return ref.descriptor?.digest ?? digestFromName(ref.path);
}

/** The targets of an archive's model, by digest and by entry name. */
export class DocumentMap {
  readonly #byKey = new Map<string, Target>();
  readonly #annotations = new Map<string, Record<string, string>>();

  constructor(
    readonly archive: Archive,
    model: ImageArchive,
  ) {
    for (const [i, image] of model.images.entries()) {
      const indexes: ImageIndex[] = [];
      const walk = (node: ImageIndex | Manifest) => {
        if (node.type === 'index') {
          indexes.push(node);
          node.children.forEach(walk);
        }
      };
      walk(image.root);
      for (const ref of [...indexes.map((x) => x.blob), ...image.manifests.map((m) => m.blob)]) {
        const digest = ref?.descriptor?.digest;
        const annotations = ref?.descriptor?.annotations ?? {};
        if (digest && Object.keys(annotations).length > 0 && !this.#annotations.has(digest))
          this.#annotations.set(digest, annotations);
      }
      for (const [n, index] of indexes.entries()) {
        const title = n === 0 ? `index of ${image.ref}` : `nested index of ${image.ref}`;
        this.#document(index.blob, title);
      }
      for (const [j, m] of image.manifests.entries()) {
        if (m.blob) this.#document(m.blob, manifestName(m, 'manifest'));
        if (m.configBlob) this.#document(m.configBlob, manifestName(m, 'config'), m.imageId);
        for (const [k, layer] of m.layers.entries()) {
          const short = layer.digest ? ` (${shortDigest(layer.digest)})` : '';
          const target: Target = {
            kind: 'layer',
            title: `layer ${k + 1}${short} of ${platformText(m.platform)}`,
            image: i,
            manifest: j,
            layer: k + 1,
          };
          // The first manifest that has it: a layer shared by platforms opens there.
          for (const key of [layer.digest, layer.diffId, layer.entry ? layer.path : null])
            if (key && !this.#byKey.has(key)) this.#byKey.set(key, target);
        }
      }
    }
    const manifestJson = archive.lookup('manifest.json');
    if (manifestJson)
      this.#set('manifest.json', docTarget('manifest.json (docker save)', manifestJson, null));
    const indexJson = archive.lookup('index.json');
    if (indexJson) this.#set('index.json', docTarget('index.json (OCI layout)', indexJson, null));
  }

  #document(ref: BlobRef, title: string, digest: string | null = null): void {
    if (!ref.entry) return;
    const d = digest ?? digestOfRef(ref);
    const target = docTarget(title, ref.entry, d);
    if (d) this.#set(d, target);
    this.#set(ref.path, target);
  }

  #set(key: string, target: Target): void {
    if (!this.#byKey.has(key)) this.#byKey.set(key, target);
  }

  /** Returns where a digest or an entry name leads; `absent` where the archive has no such blob. */
  resolve(key: string): Target {
    const known = this.#byKey.get(key);
    if (known) return known;
    const digest = /^[a-z0-9]+:[0-9a-f]+$/.test(key) ? key : null;
    const entry = this.archive.lookup(digest ? blobPath(digest) : key);
    if (entry && entry.type === 'file')
      return { kind: 'blob', title: `blob ${digest ? shortDigest(digest) : key}`, entry, digest };
    return { kind: 'absent', title: `${digest ? shortDigest(digest) : key}: not in this archive` };
  }

  /** Returns the annotations the descriptor naming this digest gives it (in its index). */
  descriptorAnnotations(digest: string): Record<string, string> {
    return this.#annotations.get(digest) ?? {};
  }

  /** Returns whether a string names something in the archive (worth a link). */
  has(key: string): boolean {
    return this.resolve(key).kind !== 'absent';
  }
}

const maps = new WeakMap<Archive, Promise<DocumentMap>>();

/** Returns the document map of an opened archive, made once per archive from its one model. */
export function documentMap(archive: Archive): Promise<DocumentMap> {
  let map = maps.get(archive);
  if (!map) {
    map = readImageArchive(archive).then((model) => new DocumentMap(archive, model));
    maps.set(archive, map);
  }
  return map;
}

function docTarget(title: string, entry: ArchiveEntry, digest: string | null): Target {
  return { kind: 'document', title, entry, digest };
}

/** Returns a document or blob of the archive parsed as JSON, read within the lib's bound. */
export async function readDocument(archive: Archive, entry: ArchiveEntry): Promise<ParsedDocument> {
  if (entry.size > MAX_JSON_BYTES)
    return {
      ok: false,
      error: `it is ${countText(entry.size)} bytes, more than the ${countText(MAX_JSON_BYTES)} a JSON document may have`,
    };
  try {
    return parseDocument(await archive.read(entry, MAX_JSON_BYTES));
  } catch (error) {
    return {
      ok: false,
      error: `it could not be read (${messageOf(error)})`,
    };
  }
}

/** Returns a parsed document's own `annotations` (string values only), in its order. */
export function documentAnnotations(parsed: ParsedDocument): [string, string][] {
  if (!parsed.ok) return [];
  const map = asStringMap(asObject(parsed.value)?.['annotations']);
  return map ? Object.entries(map) : [];
}
