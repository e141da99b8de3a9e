/**
 * A layer's listing taken from its decoded bytes as they stream past: a tar parser (the path
 * scanner's during verification, so that headers are walked once) reads each header (Go's reading: pax and GNU records applied, typeflag promoted) into a
 * LayerListingBuilder, and each regular file's body into a streaming xxhash64, one hasher reused
 * from file to file. Fed the same bytes the diff_id is hashed from, so no layer is read twice.
 */
import { type IHasher, createXXHash64 } from 'hash-wasm';
import type { ArchiveEntry } from '../archive/archive.ts';
import { TarParser, type TarHeader, type TarParserHandlers } from '../archive/tar-parser.ts';
import { FileKeeper, type KeepBounds, type KeepRule, type KeptFiles } from './kept-files.ts';
import { LayerListingBuilder, type LayerListing } from './listing.ts';

// xxhash64 of no bytes (seed 0), ef46db37 51d8e999: empty files, which are many, skip the
// WebAssembly round trip.
const EMPTY_HIGH = 0xef46db37;
const EMPTY_LOW = 0x51d8e999;

// Hashers are reused across layers: instantiating the module costs more than a small layer.
const spare: IHasher[] = [];

/** Lists a layer tar pushed to it chunk by chunk; `finish()` returns the listing. */
export class ListingScanner {
  private readonly builder = new LayerListingBuilder();
  private parser: TarParser | null = null;
  private current = -1;
  private bodyBytes = 0;
  private released = false;

  /** What a tar parser tells the scanner: give these to the parser that already walks the
   * layer (the path scanner's) instead of pushing bytes here. */
  readonly handlers: Required<Pick<TarParserHandlers, 'entry' | 'data' | 'end'>> = {
    entry: (entry, header) => this.onEntry(entry, header),
    data: (_entry, chunk) => {
      this.bodyBytes += chunk.length;
      this.hasher.update(chunk);
      this.keeper?.data(chunk);
    },
    end: () => this.onEnd(),
  };

  private constructor(
    private readonly hasher: IHasher,
    private readonly keeper: FileKeeper | null,
  ) {}

  /** Returns a scanner with its xxhash64 ready (WebAssembly, loaded on first use); with `keep`,
   * it also keeps the bytes of the regular files the rule chooses, within the bounds. */
  static async create(keep?: { rule: KeepRule; bounds: KeepBounds }): Promise<ListingScanner> {
    const keeper = keep ? new FileKeeper(keep.rule, keep.bounds) : null;
    return new ListingScanner(spare.pop() ?? (await createXXHash64()), keeper);
  }

  /** Returns the files kept so far (null when none were asked for); call once, at the end. */
  kept(): KeptFiles | null {
    return this.keeper?.result() ?? null;
  }

  /** Takes the next decoded bytes through a parser of its own (a view valid only during the
   * call); not for a scanner whose handlers another parser drives. */
  push(chunk: Uint8Array): void {
    (this.parser ??= new TarParser(this.handlers)).push(chunk);
  }

  /** Returns why its own parser could not read the tar to its end, were it to end here; null
   * when it could. */
  get incomplete(): string | null {
    const p = this.parser;
    if (!p) return null;
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
    const i = this.builder.add(header, entry.dataOffset);
    // Only bodies the parser gives (regular files, sparse ones excepted) are hashed.
    this.current = i >= 0 && entry.type === 'file' ? i : -1;
    this.bodyBytes = 0;
    if (this.current >= 0) this.hasher.init();
    if (this.keeper && this.current >= 0) this.keeper.begin(i, this.builder.lastPath, header.size);
  }

  private onEnd(): void {
    this.keeper?.end();
    if (this.current < 0) return;
    if (this.bodyBytes === 0) this.builder.setContentHashWords(this.current, EMPTY_HIGH, EMPTY_LOW);
    else {
      // The canonical (big-endian) bytes, as the hex digest spells them.
      const d = this.hasher.digest('binary');
      const high = ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
      const low = ((d[4]! << 24) | (d[5]! << 16) | (d[6]! << 8) | d[7]!) >>> 0;
      this.builder.setContentHashWords(this.current, high, low);
    }
    this.current = -1;
  }
}
