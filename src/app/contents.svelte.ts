/**
 * What is inside one tab's layers, as the views read it: per platform (a `ManifestReport`), its
 * layers merged (`ImageLayers`: the merged filesystem, a row per layer with its changes and
 * space) and its OS packages (`LayeredPackages`), or why they are not there yet or will not be.
 *
 * The listings come from the tab's verification (its workers list each decodable layer from the
 * very bytes they hash for the diff_id, and keep the package files' bytes) and from the listing
 * store in IndexedDB (a report reopened from the library, a layer shared with an image listed
 * before), keyed by diff_id. Nothing here reads an archive.
 *
 * API (stable; the file views build on it):
 * - `tab.contents.of(manifest)`: `ManifestContents`: `ready` with `layers: ImageLayers`, or
 *   `waiting` (verification has not listed the layers yet: not started, cancelled, failed),
 *   `listing` (`listed` of `total` layers so far, while verification runs), or `unavailable`
 *   with a `reason` (`not-an-image`, `not-included`, `no-diff-id`, `undecodable`, `not-kept`),
 *   the `layer` concerned (0 = base, null for the whole manifest) and a plain-language `message`.
 * - `tab.contents.packagesOf(manifest)`: `PackagesState`: `ready` with `packages`
 *   (`LayeredPackages`: distro, records each with its layer, the top layer's read `found` as
 *   `readImagePackages` gives it, problems naming the file), or the same not-ready states.
 * - `tab.contents.summaryOf(manifest)`: `ContentsSummary | null`: unpacked size and per-layer
 *   change counts and sizes, once the layers are ready.
 * - `tab.contents.layerRead(diffId)`: the raw `LayerRead` (listing data and kept files).
 * - `contentsOf(report)`: the contents of the tab showing that report object (components get
 *   the report, not the tab); null for a report no tab shows.
 * All of them are reactive (they read `$state`): call them inside `$derived` or markup.
 * Results are computed once per manifest and kept while the tab lives.
 */
import type { Digest, ManifestReport, Report } from '../lib/report/model.ts';
import type { BlobProgress } from '../lib/verify/model.ts';
import { CHANGE_KINDS, type ChangeKind, type LayerChangeSummary } from '../lib/layers/changes.ts';
import { imageLayers, isMissing, type ImageLayers } from '../lib/layers/image-layers.ts';
import { LayerListing } from '../lib/layers/listing.ts';
import { mergeLayers, type MergedFilesystem } from '../lib/layers/merge.ts';
import { packagesByLayer, type LayeredPackages } from '../lib/packages/by-layer.ts';
import { debianArchOf } from '../lib/packages/read.ts';
import type { LayerRead, ListingStore } from './library/listing-store.ts';
import type { RunState } from './verification.svelte.ts';

export type { LayerRead } from './library/listing-store.ts';

/** Why a platform's contents will not come (as things stand). */
export type UnavailableReason =
  /** An attestation or artifact: its layers are not a filesystem. */
  | 'not-an-image'
  /** A platform the index lists but the archive does not hold (a partial save). */
  | 'not-included'
  /** A layer has no diff_id in the config: its listing cannot be keyed. */
  | 'no-diff-id'
  /** A layer could not be read or decoded (unsupported compression, corrupt data). */
  | 'undecodable'
  /** A report without its archive whose listings this browser does not keep. */
  | 'not-kept';

/** The contents not (yet) at hand. */
export type NotReady =
  | { status: 'waiting'; message: string }
  | { status: 'listing'; listed: number; total: number }
  | { status: 'unavailable'; reason: UnavailableReason; layer: number | null; message: string };

/** A platform's merged layers, or why not. */
export type ManifestContents = { status: 'ready'; layers: ImageLayers } | NotReady;

/** A platform's packages, or why not. */
export type PackagesState = { status: 'ready'; packages: LayeredPackages } | NotReady;

/** Counts and bytes of one kind of change in one layer. */
export interface ChangeFigures {
  count: number;
  bytes: number;
}

/** What a platform's layers hold, in figures (for the summary strip and the embed's event). */
export interface ContentsSummary {
  /** Σ of every layer's entry sizes (dive's image size). */
  unpackedSize: number;
  /** One per layer, base first. */
  layers: {
    index: number;
    diffId: Digest | null;
    entries: number;
    unpackedSize: number;
    changes: Record<ChangeKind, ChangeFigures>;
  }[];
}

/** What the contents need of their tab: whether it can verify, and how its run stands. */
export interface ContentsSource {
  readonly canVerify: boolean;
  readonly verifier: { readonly state: RunState; readonly jobs: BlobProgress[] | null };
}

/** The layers a verification run listed, by diff_id, and those it could not. */
export interface ListedLayers {
  layers: ReadonlyMap<Digest, LayerRead>;
  /** Why a layer was not listed (read or decode failure), by the diff_id it should have. */
  unlisted: ReadonlyMap<Digest, string>;
}

const shownBy = new WeakMap<Report, TabContents>();

/** Records that `contents` are those of the tab showing `report` (the tab calls it each time
 * its report changes). */
export function showContents(report: Report, contents: TabContents): void {
  shownBy.set(report, contents);
}

/** Returns the contents of the tab showing this report object; null for any other report. */
export function contentsOf(report: Report): TabContents | null {
  return shownBy.get(report) ?? null;
}

const DONE: ReadonlySet<string> = new Set(['ok', 'mismatch', 'missing', 'unsupported', 'error']);

/** One tab's layer contents. */
export class TabContents {
  /** The layers listed or loaded so far, by diff_id. */
  reads = $state.raw<ReadonlyMap<Digest, LayerRead>>(new Map());
  /** The diff_ids whose listing came from the store: listed from an earlier file, so shown as
   * this file's only once this run has hashed this file's layer to that diff_id. */
  fromStore = $state.raw<ReadonlySet<Digest>>(new Set());
  /** Layers that could not be listed, and why, by diff_id. */
  unlisted = $state.raw<ReadonlyMap<Digest, string>>(new Map());

  readonly #listings = new Map<Digest, LayerListing>();
  readonly #merged = new Map<string, ImageLayers>();
  readonly #fs = new Map<string, MergedFilesystem>();
  readonly #packages = new Map<string, LayeredPackages>();

  constructor(
    private readonly source: ContentsSource,
    /** Where listings are kept between visits; null keeps them in this tab only. */
    private readonly store: ListingStore | null = null,
  ) {}

  /** Returns the kept read of a layer, or null. */
  layerRead(diffId: Digest): LayerRead | null {
    return this.reads.get(diffId) ?? null;
  }

  /** Returns the diff_ids already listed (verification hashes them but does not list again). */
  known(): ReadonlySet<string> {
    return new Set(this.reads.keys());
  }

  /** Loads the kept listings of these diff_ids from the store (those not here already). */
  async load(diffIds: readonly (Digest | null)[]): Promise<void> {
    if (!this.store) return;
    const wanted = [...new Set(diffIds.filter((d): d is Digest => d !== null))].filter(
      (d) => !this.reads.has(d),
    );
    const found = new Map<Digest, LayerRead>();
    for (const d of wanted) {
      const read = await this.store.get(d);
      if (read) found.set(d, read);
    }
    if (found.size > 0) {
      this.reads = new Map([...this.reads, ...found]);
      this.fromStore = new Set([...this.fromStore, ...found.keys()]);
    }
  }

  /** Returns the layers of `m` (indices) whose files are shown from a listing kept from an
   * earlier file, which this run has not (yet) confirmed by hashing this file's layer to its
   * diff_id: until then a config could claim another image's diff_id. */
  unconfirmed(m: ManifestReport): number[] {
    // A report reopened from the library has no file to check against (it says it is kept).
    if (!this.source.canVerify) return [];
    const jobs = this.source.verifier.jobs ?? [];
    return m.layers.flatMap((l, i) =>
      l.diffId !== null &&
      this.fromStore.has(l.diffId) &&
      !jobs.some((j) => j.state === 'ok' && j.targets.includes(l.diffId!))
        ? [i]
        : [],
    );
  }

  /** Takes what a verification run listed, and keeps the new layers in the store. */
  async add(listed: ListedLayers): Promise<void> {
    const fresh = [...listed.layers].filter(([d]) => !this.reads.has(d));
    if (fresh.length > 0) this.reads = new Map([...this.reads, ...fresh]);
    // Kept even where a listing of the diff_id is known: this archive's bytes are not it.
    const failed = [...listed.unlisted];
    if (failed.length > 0) this.unlisted = new Map([...this.unlisted, ...failed]);
    if (!this.store) return;
    for (const [diffId, read] of fresh) await this.store.put(diffId, read);
  }

  /** Returns a platform's merged layers, or why not. */
  of(m: ManifestReport): ManifestContents {
    const why = this.#notReady(m);
    if (why) return why;
    const key = keyOf(m);
    let layers = this.#merged.get(key);
    if (!layers) {
      const byDiffId = new Map<Digest, LayerListing>();
      for (const l of m.layers) byDiffId.set(l.diffId!, this.#listing(l.diffId!));
      const merged = imageLayers(
        { layers: m.layers, config: { history: m.history } },
        byDiffId,
        (listings) => this.#mergeOf(m, listings),
      );
      if (isMissing(merged)) {
        const first = merged.missing[0]!;
        return unavailable('not-kept', first.layer, 'a layer listing is missing');
      }
      layers = merged;
      this.#merged.set(key, layers);
    }
    return { status: 'ready', layers };
  }

  /** Returns a platform's OS packages (read from its merged filesystem), or why not. */
  packagesOf(m: ManifestReport): PackagesState {
    const contents = this.of(m);
    if (contents.status !== 'ready') return contents;
    const key = keyOf(m);
    let packages = this.#packages.get(key);
    if (!packages) {
      const kept = m.layers.map((l) => this.reads.get(l.diffId!)?.kept ?? null);
      const arch = debianArchOf(m.platform.architecture, m.platform.variant);
      packages = packagesByLayer(contents.layers.fs, kept, arch);
      this.#packages.set(key, packages);
    }
    return { status: 'ready', packages };
  }

  /** Returns a platform's figures once its layers are ready; null before. */
  summaryOf(m: ManifestReport): ContentsSummary | null {
    const contents = this.of(m);
    if (contents.status !== 'ready') return null;
    const rows = contents.layers.layers;
    return {
      unpackedSize: rows.reduce((n, r) => n + r.unpackedSize, 0),
      layers: rows.map((r) => ({
        index: r.index,
        diffId: r.diffId,
        entries: r.entries,
        unpackedSize: r.unpackedSize,
        changes: figuresOf(r.changes),
      })),
    };
  }

  /** Returns the unpacked size (Σ of the layers' entry sizes) of each of these platforms, once
   * every one is ready; null before. */
  unpackedSizes(manifests: readonly ManifestReport[]): number[] | null {
    const sizes: number[] = [];
    for (const m of manifests) {
      const s = this.summaryOf(m);
      if (!s) return null;
      sizes.push(s.unpackedSize);
    }
    return sizes.length > 0 ? sizes : null;
  }

  /** Returns the merge of a manifest's listings, made once per list of diff_ids: the key of the
   * layers' cache holds other report fields, and the 1M-file page was seen keeping two merges
   * (a merge of a million paths costs seconds and tens of megabytes). */
  #mergeOf(m: ManifestReport, listings: LayerListing[]): MergedFilesystem {
    const key = m.layers.map((l) => l.diffId).join(' ');
    let fs = this.#fs.get(key);
    if (!fs) this.#fs.set(key, (fs = mergeLayers(listings)));
    return fs;
  }

  #listing(diffId: Digest): LayerListing {
    let listing = this.#listings.get(diffId);
    if (!listing) {
      listing = LayerListing.fromTransfer(this.reads.get(diffId)!.listing);
      this.#listings.set(diffId, listing);
    }
    return listing;
  }

  #notReady(m: ManifestReport): NotReady | null {
    if (m.kind !== 'image')
      return unavailable('not-an-image', null, `this ${m.kind} holds no filesystem to list`);
    if (!m.included)
      return unavailable(
        'not-included',
        null,
        'the archive does not hold this platform (a partial save): only its descriptor is known',
      );
    const noDiffId = m.layers.findIndex((l) => l.diffId === null);
    if (noDiffId >= 0)
      return unavailable(
        'no-diff-id',
        noDiffId,
        `layer ${noDiffId + 1} has no diff_id in the image config, so its files cannot be listed`,
      );
    const reads = this.reads;
    const diffIds = [...new Set(m.layers.map((l) => l.diffId!))];
    // A run that found a layer's bytes are not its diff_id (or could not read them) outranks a
    // listing kept for that diff_id: the kept one is another archive's layer.
    const failed = m.layers.findIndex((l) => this.unlisted.has(l.diffId!));
    if (failed < 0 && diffIds.every((d) => reads.has(d))) return null;
    if (failed >= 0)
      return unavailable(
        'undecodable',
        failed,
        `layer ${failed + 1} could not be listed: ${this.unlisted.get(m.layers[failed]!.diffId!)}`,
      );
    const { verifier, canVerify } = this.source;
    if (verifier.state === 'running') {
      const jobs = verifier.jobs ?? [];
      const listed = diffIds.filter(
        (d) => reads.has(d) || jobs.some((j) => DONE.has(j.state) && j.targets.includes(d)),
      ).length;
      return { status: 'listing', listed, total: diffIds.length };
    }
    if (!canVerify) {
      const first = m.layers.findIndex((l) => !reads.has(l.diffId!));
      return unavailable(
        'not-kept',
        first,
        'this browser does not keep the file listings of this image: open the archive file again to list them',
      );
    }
    if (verifier.state === 'done') {
      const first = m.layers.findIndex((l) => !reads.has(l.diffId!));
      return unavailable(
        'undecodable',
        first,
        `layer ${first + 1} was not listed when the archive was verified`,
      );
    }
    const message =
      verifier.state === 'cancelled'
        ? 'verification was cancelled before the layers were listed: verify again to list them'
        : verifier.state === 'failed'
          ? 'verification broke off before the layers were listed: verify again to list them'
          : 'the layers are listed while they are verified';
    return { status: 'waiting', message };
  }
}

function unavailable(reason: UnavailableReason, layer: number | null, message: string): NotReady {
  return { status: 'unavailable', reason, layer, message };
}

/** A manifest's identity for the caches: its layers (diff_ids and digests) and history. */
function keyOf(m: ManifestReport): string {
  return JSON.stringify([
    m.digest,
    m.imageId,
    m.layers.map((l) => [l.diffId, l.digest, l.size, l.mediaType]),
    m.history.map((h) => [h.createdBy, h.emptyLayer]),
  ]);
}

/** Returns a layer's change summary as counts and bytes per kind. */
function figuresOf(s: LayerChangeSummary): Record<ChangeKind, ChangeFigures> {
  const out = {} as Record<ChangeKind, ChangeFigures>;
  for (const k of CHANGE_KINDS) out[k] = { count: s.count[k], bytes: s.bytes[k] };
  return out;
}
