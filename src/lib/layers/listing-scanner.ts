/**
 * A layer's listing taken from its decoded bytes as they stream past: the one tar parser reads
 * each header (Go's reading: pax and GNU records applied, typeflag promoted) into a
 * LayerListingBuilder, and each regular file's body into a streaming xxhash64, one hasher reused
 * from file to file. Fed the same bytes the diff_id is hashed from, so no layer is read twice.
 */
import { type IHasher, createXXHash64 } from 'hash-wasm';
import type { ArchiveEntry } from '../archive/archive.ts';
import { TarParser, type TarHeader } from '../archive/tar-parser.ts';
import { LayerListingBuilder, type LayerListing } from './listing.ts';

// xxhash64 of no bytes (seed 0): empty files, which are many, skip the WebAssembly round trip.
const EMPTY_XXHASH64 = 'ef46db3751d8e999';

// Hashers are reused across layers: instantiating the module costs more than a small layer.
const spare: IHasher[] = [];

/** Lists a layer tar pushed to it chunk by chunk; `finish()` returns the listing. */
export class ListingScanner {
  private readonly builder = new LayerListingBuilder();
  private readonly parser: TarParser;
  private current = -1;
  private bodyBytes = 0;
  private released = false;

  private constructor(private readonly hasher: IHasher) {
    this.parser = new TarParser({
      entry: (entry, header) => this.onEntry(entry, header),
      data: (_entry, chunk) => {
        this.bodyBytes += chunk.length;
        this.hasher.update(chunk);
      },
      end: () => this.onEnd(),
    });
  }

  /** Returns a scanner with its xxhash64 ready (WebAssembly, loaded on first use). */
  static async create(): Promise<ListingScanner> {
    return new ListingScanner(spare.pop() ?? (await createXXHash64()));
  }

  /** Takes the next decoded bytes (a view valid only during the call). */
  push(chunk: Uint8Array): void {
    this.parser.push(chunk);
  }

  /** Returns why the tar could not be read to its end, were it to end here; null when it could. */
  get incomplete(): string | null {
    const p = this.parser;
    return (p.done ? p.fault : p.endProblem())?.message ?? null;
  }

  /** Returns the listing of every entry read so far; the scanner is done after. */
  finish(): LayerListing {
    this.release();
    return this.builder.finish();
  }

  /** Gives the hasher back without a listing (on cancel or failure). */
  release(): void {
    if (this.released) return;
    this.released = true;
    spare.push(this.hasher);
  }

  private onEntry(entry: ArchiveEntry, header: TarHeader): void {
    const i = this.builder.add(header);
    // Only bodies the parser gives (regular files, sparse ones excepted) are hashed.
    this.current = i >= 0 && entry.type === 'file' ? i : -1;
    this.bodyBytes = 0;
    if (this.current >= 0) this.hasher.init();
  }

  private onEnd(): void {
    if (this.current < 0) return;
    const hex = this.bodyBytes === 0 ? EMPTY_XXHASH64 : this.hasher.digest('hex');
    this.builder.setContentHash(this.current, hex);
    this.current = -1;
  }
}
