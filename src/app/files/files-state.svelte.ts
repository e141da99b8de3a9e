/**
 * What the layer table and the Files section share, per manifest section id: whether the files
 * of that platform are listed (the table then offers "Files of layer N"), and the last request
 * to show a layer's changes (the section follows it).
 */

/** Sections whose files are listed, by id. */
export const filesReady: Record<string, boolean> = $state({});

/** The latest "show layer N's changes" request; `seq` grows with each. */
export const filesRequest = $state({ id: '', layer: -1, seq: 0 });

/** Asks the Files section of `id` to show what layer `layer` (an index) changed. */
export function showLayerChanges(id: string, layer: number): void {
  filesRequest.id = id;
  filesRequest.layer = layer;
  filesRequest.seq++;
}
