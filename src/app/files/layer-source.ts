/**
 * Where each layer of a platform is stored in the dropped archive, for opening its files: the
 * archive's image model gives each layer's entry, and the entry its range of the File. A layer
 * is found by its diff_id and digest (the same bytes wherever another manifest names them).
 */
import type { Archive } from '../../lib/archive/archive.ts';
import { readImageArchive } from '../../lib/oci/read.ts';
import type { Layer } from '../../lib/oci/model.ts';
import type { ManifestReport } from '../../lib/report/model.ts';
import type { LayerSource } from './preview.ts';

/** Returns the stored bytes of each of a manifest's layers (null where not in a Blob). */
export async function layerSourcesOf(
  archive: Archive,
  manifest: ManifestReport,
  signal?: AbortSignal,
): Promise<(LayerSource | null)[]> {
  const model = await readImageArchive(archive, signal);
  const byDiffId = new Map<string, Layer[]>();
  for (const image of model.images)
    for (const m of image.manifests)
      for (const layer of m.layers) {
        if (!layer.diffId || !layer.entry) continue;
        const list = byDiffId.get(layer.diffId) ?? [];
        list.push(layer);
        byDiffId.set(layer.diffId, list);
      }
  return manifest.layers.map((wanted) => {
    if (!wanted.diffId) return null;
    const candidates = byDiffId.get(wanted.diffId) ?? [];
    const layer =
      candidates.find((c) => wanted.digest !== null && c.digest === wanted.digest) ??
      candidates.find((c) => c.compression === wanted.compression) ??
      null;
    const range = layer?.entry ? archive.blobRange(layer.entry) : null;
    if (!layer || !range) return null;
    const c = layer.compression;
    return { ...range, format: c === null || c === 'unknown' ? null : c };
  });
}
