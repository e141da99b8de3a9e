/** How the JSON view finds the opened archive of the report it is part of: given by whoever
 * shows the report (a tab, the embed), read by the View JSON buttons deep inside it. */
import { getContext, setContext } from 'svelte';
import type { Archive } from '../../lib/archive/archive.ts';

const KEY = Symbol('stevedore.documents');

/** The archive behind a report; null where the report came without it (from the library). */
export type DocumentSource = () => Archive | null;

/** Gives the components below the archive their report was read from. */
export function provideDocuments(source: DocumentSource): void {
  setContext(KEY, source);
}

/** Returns the archive given above, or a source of none. */
export function documentSource(): DocumentSource {
  return getContext<DocumentSource | undefined>(KEY) ?? (() => null);
}
