/**
 * Which manifest of an image is shown in detail, kept per tab and image for as long as the
 * page lives: switching tabs or images and coming back finds the same platform.
 */
import { SvelteMap } from 'svelte/reactivity';

const chosen = new SvelteMap<string, number>();

/** Returns the manifest index chosen for `key` (tab and image), or undefined. */
export function chosenManifest(key: string): number | undefined {
  return chosen.get(key);
}

/** Keeps `index` as the manifest shown in detail for `key`. */
export function chooseManifest(key: string, index: number): void {
  chosen.set(key, index);
}
