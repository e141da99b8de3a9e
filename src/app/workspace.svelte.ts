import { blobSource } from '../lib/archive/byte-source.ts';
import { DirectoryArchive, type DirectoryFile } from '../lib/archive/directory-archive.ts';
import { ArchiveError } from '../lib/errors.ts';
import { inspectArchive, inspectSource } from '../lib/inspect.ts';
import { Tab } from './tab.svelte.ts';

/** The sample the app ships (public/samples/), fetched from the app's own origin. */
export const SAMPLE_NAME = 'gen-buildah-multiarch-oci-archive.tar';

/** The archives open in the page, one tab each, and which one is shown. */
export class Workspace {
  tabs: Tab[] = $state.raw([]);
  activeId: string | null = $state(null);
  active: Tab | null = $derived(this.tabs.find((t) => t.id === this.activeId) ?? null);

  /** Opens an archive file (tar or tar.gz) in a new tab; returns the tab. */
  openFile(file: File): Tab {
    const tab = this.#add(new Tab(file.name, file.size));
    void tab.load((signal) => inspectSource(blobSource(file), signal));
    return tab;
  }

  /** Opens a dropped folder (an OCI layout directory) in a new tab, once `files` are listed. */
  openFolder(name: string, files: Promise<DirectoryFile[]>): Tab {
    const tab = this.#add(new Tab(name, null));
    void tab.load(async (signal) =>
      inspectArchive(new DirectoryArchive(name, await files), signal),
    );
    return tab;
  }

  /** Opens the bundled sample image in a new tab. */
  openSample(): Tab {
    const tab = this.#add(new Tab(SAMPLE_NAME, null));
    void tab.load(async (signal) => {
      const url = `${import.meta.env.BASE_URL}samples/${SAMPLE_NAME}`;
      const response = await fetch(url, { signal });
      if (!response.ok) {
        throw new ArchiveError(
          'sample-unavailable',
          `the sample image could not be loaded (HTTP ${response.status})`,
          url,
        );
      }
      const file = new File([await response.blob()], SAMPLE_NAME);
      return inspectSource(blobSource(file), signal);
    });
    return tab;
  }

  /** Shows the tab with this id. */
  select(id: string): void {
    if (this.tabs.some((t) => t.id === id)) this.activeId = id;
  }

  /** Closes a tab, freeing its report; the neighbouring tab is shown instead. */
  close(id: string): void {
    const at = this.tabs.findIndex((t) => t.id === id);
    if (at < 0) return;
    this.tabs[at]!.close();
    this.tabs = this.tabs.filter((t) => t.id !== id);
    if (this.activeId === id) {
      this.activeId = (this.tabs[at] ?? this.tabs[at - 1] ?? null)?.id ?? null;
    }
  }

  #add(tab: Tab): Tab {
    this.tabs = [...this.tabs, tab];
    this.activeId = tab.id;
    return tab;
  }
}

/** The page's one workspace. */
export const workspace = new Workspace();
