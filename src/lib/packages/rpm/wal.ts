/**
 * SQLite's write-ahead log (`<db>-wal`): a 32-byte header, then frames of a 24-byte header and
 * one page. A frame counts only when its salts match the header's and the running checksum
 * holds; pages count only up to the last commit frame (one whose "database size" is set), as
 * a reader opening the database would see them (https://www.sqlite.org/fileformat2.html#wal).
 */
import { type PackageProblem, packageProblem } from '../model.ts';

/** The committed pages of a WAL: page number → its newest committed image. */
export interface WalOverlay {
  pages: Map<number, Uint8Array>;
  /** The database size in pages after the last commit; null when nothing is committed. */
  pageCount: number | null;
}

/** Returns the committed pages of a WAL file (empty when it has none, or is not for this page
 * size; a problem says why when the file is not empty). */
export function walPages(
  wal: Uint8Array,
  pageSize: number,
  path: string,
  problems: PackageProblem[],
): WalOverlay {
  const none: WalOverlay = { pages: new Map(), pageCount: null };
  if (wal.length === 0) return none;
  if (wal.length < 32) {
    problems.push(
      packageProblem(
        'package-db-truncated',
        'a WAL shorter than its 32-byte header; ignored',
        path,
      ),
    );
    return none;
  }
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) {
    problems.push(
      packageProblem('package-db-corrupt', 'not a SQLite WAL (bad magic); ignored', path),
    );
    return none;
  }
  const bigEndian = magic === 0x377f0683;
  if (view.getUint32(8) !== pageSize) {
    problems.push(
      packageProblem(
        'package-db-corrupt',
        `WAL page size ${view.getUint32(8)} differs from the database's; ignored`,
        path,
      ),
    );
    return none;
  }
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);
  let [s0, s1] = checksum(view, 0, 24, 0, 0, bigEndian);
  if (s0 !== view.getUint32(24) || s1 !== view.getUint32(28)) {
    problems.push(
      packageProblem('package-db-corrupt', 'the WAL header checksum does not hold; ignored', path),
    );
    return none;
  }
  const pending = new Map<number, Uint8Array>();
  const out = none;
  const frameSize = 24 + pageSize;
  for (let at = 32; at + frameSize <= wal.length; at += frameSize) {
    if (view.getUint32(at + 8) !== salt1 || view.getUint32(at + 12) !== salt2) break;
    [s0, s1] = checksum(view, at, 8, s0, s1, bigEndian);
    [s0, s1] = checksum(view, at + 24, pageSize, s0, s1, bigEndian);
    if (s0 !== view.getUint32(at + 16) || s1 !== view.getUint32(at + 20)) break;
    pending.set(view.getUint32(at), wal.subarray(at + 24, at + frameSize));
    const commitSize = view.getUint32(at + 4);
    if (commitSize !== 0) {
      for (const [n, page] of pending) out.pages.set(n, page);
      pending.clear();
      out.pageCount = commitSize;
    }
  }
  return out;
}

/** Returns SQLite's WAL checksum (s0, s1) continued over `length` bytes at `at`. */
function checksum(
  view: DataView,
  at: number,
  length: number,
  s0: number,
  s1: number,
  bigEndian: boolean,
): [number, number] {
  for (let i = at; i < at + length; i += 8) {
    s0 = (s0 + view.getUint32(i, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(i + 4, !bigEndian) + s0) >>> 0;
  }
  return [s0, s1];
}
