/**
 * What an embedded viewer shows and does, for the <stevedore-report> element and the app's iframe
 * mode alike: one archive at a time (a newer one replaces it, and whatever the older one was
 * still doing is dropped), its report, and its verification when asked for. The archive is a
 * Tab, as in the app, so that the app's report view and verifier serve here unchanged.
 */
import { tick } from 'svelte';
import type { Archive } from '../lib/archive/archive.ts';
import { blobSource } from '../lib/archive/byte-source.ts';
import { openArchive } from '../lib/archive/open.ts';
import { ArchiveError } from '../lib/errors.ts';
import { inspectArchive } from '../lib/inspect.ts';
import { renderJson } from '../lib/report/json.ts';
import type { Report, Verification } from '../lib/report/model.ts';
import { Tab, type OpenError } from '../app/tab.svelte.ts';
import type { ContentsSummary } from '../app/contents.svelte.ts';
import { packageSummary } from '../app/packages-view.ts';
import type { VerifyFunction } from '../app/verification.svelte.ts';

/** How much of the report is shown: everything, or the header and one line per platform. */
export type ViewMode = 'full' | 'compact';

/** Returns the view mode an attribute or query value names: `compact`, else `full`. */
export function viewMode(value: string | null | undefined): ViewMode {
  return value === 'compact' ? 'compact' : 'full';
}

/** What a viewer tells its owner, and what it is given to work with. */
export interface ViewerHooks {
  /** A report is shown: the JSON report (as `renderJson` writes it), parsed; and again, with
   * `contents`, once verification has listed the layers. */
  onreport?: (report: Report & { contents?: PlatformContents[] }) => void;
  /** The shown archive was verified, whatever the outcome (see its `status`). */
  onverified?: (verification: Verification) => void;
  /** The archive gave no report: what is wrong, and where. */
  onerror?: (error: OpenError) => void;
  /** How archives are verified: the page's worker pool unless given. */
  verify?: VerifyFunction;
  fetch?: typeof fetch;
}

/** Returns the report as its JSON export has it: schema key order, plain data only. */
export function reportJson(report: Report): Report {
  return JSON.parse(renderJson(report)) as Report;
}

/** What the `report` event says of one platform's layers once they are listed: the unpacked
 * size, per layer the counts and bytes of each kind of change (not every file), and the OS
 * packages in figures. */
export interface PlatformContents {
  /** The image reference and the platform, as the report names them. */
  image: string;
  platform: string;
  digest: string | null;
  unpackedSize: number;
  layers: ContentsSummary['layers'];
  packages: ReturnType<typeof packageSummary>;
}

/** Returns the contents of every platform of the tab's report whose layers are listed. */
export function platformContents(tab: Tab): PlatformContents[] {
  const out: PlatformContents[] = [];
  for (const image of tab.report?.images ?? [])
    for (const m of image.manifests) {
      const summary = tab.contents.summaryOf(m);
      const packages = tab.contents.packagesOf(m);
      if (!summary || packages.status !== 'ready') continue;
      out.push({
        image: image.ref,
        platform: m.platformString,
        digest: m.digest,
        unpackedSize: summary.unpackedSize,
        layers: summary.layers,
        packages: packageSummary(packages.packages),
      });
    }
  return out;
}

/** Returns the JSON report of a tab, with `contents` where any platform's layers are listed. */
function reportWithContents(tab: Tab, report: Report): Report & { contents?: PlatformContents[] } {
  const contents = platformContents(tab);
  return contents.length > 0 ? { ...reportJson(report), contents } : reportJson(report);
}

/** Returns the file name a URL ends in (decoded), else the URL itself. */
export function urlFileName(url: string): string {
  try {
    const last = new URL(url).pathname.split('/').pop() ?? '';
    return last === '' ? url : decodeURIComponent(last);
  } catch {
    return url;
  }
}

/** Returns whether a value is a Blob (or File), from this window or another one. */
function isBlob(value: unknown): value is Blob {
  if (value instanceof Blob) return true;
  // A Blob made in another frame fails instanceof: its tag, and what reading it calls, say it.
  const tag = Object.prototype.toString.call(value);
  const v = value as Partial<Blob>;
  return (
    (tag === '[object Blob]' || tag === '[object File]') &&
    typeof v.size === 'number' &&
    typeof v.slice === 'function'
  );
}

/** Returns why a value given as an archive cannot be opened (it is no Blob or File), or null
 * for a Blob, and for null or undefined (which show nothing). */
export function fileProblem(value: unknown): OpenError | null {
  if (value === null || value === undefined || isBlob(value)) return null;
  const kind = Array.isArray(value)
    ? 'a list'
    : typeof value === 'object'
      ? 'an object'
      : `a ${typeof value}`;
  return {
    code: 'file-not-blob',
    message: `the file property takes a Blob or File, not ${kind}`,
    where: 'file',
  };
}

/** One embedded viewer: the archive shown, its report, and its verification. */
export class Viewer {
  /** The archive shown; null before the first. */
  tab = $state.raw<Tab | null>(null);
  view = $state<ViewMode>('full');
  /** Verify each archive as soon as its report is shown. */
  autoVerify = false;

  constructor(private readonly hooks: ViewerHooks = {}) {}

  /** Opens an archive held in a Blob or File in place of the one shown; resolves once its
   * report, or why there is none, is shown (and verified, with `autoVerify`). */
  open(blob: Blob, name: string = (blob as File).name || 'archive'): Promise<void> {
    return this.#load(new Tab(name, blob.size, this.hooks.verify), (signal) =>
      openArchive(blobSource(blob, name), signal),
    );
  }

  /** Fetches the archive at `url` (absolute: the only request a viewer ever makes) and opens it
   * as `open` does. */
  openUrl(url: string): Promise<void> {
    const name = urlFileName(url);
    return this.#load(new Tab(name, null, this.hooks.verify), async (signal) => {
      const blob = await this.#fetch(url, signal);
      return openArchive(blobSource(blob, name), signal);
    });
  }

  /** Verifies the archive shown (again); resolves when the run ends. Tells `onverified` unless
   * the run was cancelled, broke off, or the archive was replaced meanwhile. */
  async verify(): Promise<void> {
    const tab = this.tab;
    if (!tab?.canVerify || tab.verifier.state === 'running') return;
    const listedBefore = platformContents(tab).length;
    const verification = await tab.verify();
    if (!verification || this.tab !== tab) return;
    this.hooks.onverified?.(structuredClone(verification));
    // The layers were listed as they were verified: the report again, now with its contents.
    if (tab.report && platformContents(tab).length > listedBefore)
      this.hooks.onreport?.(reportWithContents(tab, tab.report));
  }

  /** Shows why what it was given cannot be opened, in place of the archive shown, and tells
   * `onerror`. */
  fail(name: string, error: OpenError): void {
    this.clear();
    const tab = new Tab(name, null, this.hooks.verify);
    tab.error = error;
    tab.status = 'error';
    this.tab = tab;
    this.hooks.onerror?.({ ...error });
  }

  /** Stops whatever runs and shows nothing. */
  clear(): void {
    this.tab?.close();
    this.tab = null;
  }

  async #load(tab: Tab, open: (signal: AbortSignal) => Promise<Archive>): Promise<void> {
    this.clear();
    this.tab = tab;
    await tab.load(async (signal) => {
      const archive = await open(signal);
      tab.archive = archive;
      return inspectArchive(archive, signal);
    });
    if (this.tab !== tab) return; // replaced while it was read
    if (tab.status === 'error' && tab.error) {
      this.hooks.onerror?.({ ...tab.error });
      return;
    }
    if (!tab.report) return;
    // Listeners find the report on the page by the time they hear of it.
    await tick();
    if (this.tab !== tab) return;
    this.hooks.onreport?.(reportWithContents(tab, tab.report));
    if (this.autoVerify) await this.verify();
  }

  async #fetch(url: string, signal: AbortSignal): Promise<Blob> {
    let response: Response;
    try {
      response = await (this.hooks.fetch ?? fetch)(url, { signal });
    } catch (error) {
      if (signal.aborted) throw error;
      // A refused connection, a CORS or CSP refusal: the browser says no more than this.
      const detail = error instanceof Error ? error.message : String(error);
      throw new ArchiveError('fetch-failed', `the archive could not be fetched: ${detail}`, url);
    }
    if (!response.ok) {
      throw new ArchiveError(
        'fetch-failed',
        `the archive could not be fetched (HTTP ${response.status})`,
        url,
      );
    }
    return response.blob();
  }
}
