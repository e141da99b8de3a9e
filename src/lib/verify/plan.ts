/**
 * The verification plan: which blobs to read (each once, largest first) and what each must
 * match. References are settled here, without reading any blob.
 */
import type { Archive, ArchiveEntry } from '../archive/archive.ts';
import type { Check, CheckKind, Report } from '../report/model.ts';
import type { BlobJob, Decoding } from './model.ts';
import type { Problem } from '../errors.ts';
import { digestFromName, isSha256 } from '../oci/digest.ts';
import { readImageArchive } from '../oci/read.ts';
import { type Reference, type ReferenceFilter, collectReferences } from './references.ts';

/** A check to make once a blob's digests are known. */
export interface Expectation {
  kind: Exclude<CheckKind, 'reference' | 'layer-path' | 'consistency'>;
  target: string;
  expected: string;
  /** How the message names the blob. */
  what: string;
}

/** One blob to read, and everything it must match. */
export interface PlannedBlob {
  job: BlobJob;
  entry: ArchiveEntry;
  expectations: Expectation[];
  /** What this blob's checks are about: digests, diff_ids, entry names. */
  targets: string[];
  /** What cannot be checked on it, and why (digests of other algorithms than sha256). */
  unsupported: string[];
}

/** A referenced blob that is not in the archive. */
export interface MissingBlob {
  target: string;
  what: string;
  /** A foreign layer, which may lawfully be absent: not a failure, but not verified either. */
  foreign: boolean;
  /** The platform of a manifest an index lists that a partial save left out (not a failure,
   * but the verification is incomplete); null otherwise. */
  notIncluded: string | null;
}

/** Everything verification will do, decided before any blob is read. */
export interface VerifyPlan {
  /** Largest first, ids 0… in that order. */
  blobs: PlannedBlob[];
  /** One `reference` check per distinct reference, passed or failed. */
  references: Check[];
  missing: MissingBlob[];
  /** Bytes that will be read: the blobs', or the whole file where `sequential`. */
  bytesTotal: number;
  /** True where the archive can only be read front to back (gzip-compressed outer tar). */
  sequential: boolean;
  /** What the archive holds that no check can reach (manifests past the walk's budget,
   * descriptors that do not parse, …): the verification cannot be ok while any is here. */
  unchecked: Problem[];
}

/** Problems that leave part of what the documents name unread, hence unchecked. */
export const UNCHECKED_CODES: ReadonlySet<string> = new Set([
  'too-many-manifests',
  'too-many-layers',
  'documents-budget',
  'index-too-deep',
  'descriptor-invalid',
  'json-invalid',
  'entry-too-large',
  'entry-not-file',
  'diff-ids-count',
  'tar-truncated',
  'gzip-truncated',
  'too-many-entries',
  'tar-header-invalid',
]);

interface Draft extends Omit<PlannedBlob, 'job'> {
  keys: Set<string>;
  decode: Decoding | null;
}

/** Returns the plan of checks for an archive: a view of the same image model its report was
 * built from (`report` only names which reading; the model is the archive's, read once). */
export async function planVerification(
  archive: Archive,
  _report: Report | null,
  signal?: AbortSignal,
  filter: ReferenceFilter = {},
): Promise<VerifyPlan> {
  const model = await readImageArchive(archive, signal);
  const drafts = new Map<ArchiveEntry, Draft>();
  const draftOf = (entry: ArchiveEntry): Draft => {
    let draft = drafts.get(entry);
    if (!draft) {
      draft = {
        entry,
        expectations: [],
        targets: [],
        unsupported: [],
        keys: new Set(),
        decode: null,
      };
      drafts.set(entry, draft);
    }
    return draft;
  };
  // Where another reader could see a different image, no amount of hashing makes it ok.
  const references: Check[] = model.ambiguities.map((p) =>
    check(
      'consistency',
      p.where ?? archive.name,
      'one image for every reader',
      null,
      false,
      p.message,
    ),
  );
  const missing: MissingBlob[] = [];
  const seen = new Set<string>();
  for (const ref of collectReferences(model, filter)) {
    signal?.throwIfAborted();
    // A manifest found among the blobs (Docker 25) is named by nobody: its name checks it.
    if (!ref.listed) continue;
    const found = archive.lookup(ref.path);
    const entry = found?.type === 'file' && found.name ? found : undefined;
    const key = `${ref.target}\0${ref.path}`;
    const first = !seen.has(key);
    seen.add(key);
    if (!entry) {
      if (!first) continue;
      missing.push({
        target: ref.target,
        what: ref.what,
        foreign: ref.foreign,
        notIncluded: ref.notIncluded,
      });
      if (ref.foreign || ref.notIncluded) continue;
      const message = `${ref.what} is not in the archive (no ${ref.path})`;
      references.push(check('reference', ref.target, ref.path, null, false, message));
      continue;
    }
    if (first) {
      const at = entry.name === ref.path ? '' : ` (at ${entry.name})`;
      const message = `${ref.what} is in the archive${at}`;
      references.push(check('reference', ref.target, ref.path, entry.name, true, message));
    }
    expect(draftOf(entry), ref, entry);
  }
  // Entries named by a digest are checked against their name, referenced or not; where a
  // descriptor already checks the same digest, that check says it all.
  for (const entry of archive.entries) {
    const name = entry.name;
    if (entry.type !== 'file' || !name || archive.lookup(name) !== entry) continue;
    const digest = digestFromName(name);
    if (!digest) continue;
    const draft = draftOf(entry);
    add(draft, { kind: 'name', target: name, expected: digest, what: `entry "${name}"` });
    draft.targets.push(digest);
  }
  const ordered = [...drafts.values()].filter(
    (d) => d.expectations.length > 0 || d.unsupported.length > 0,
  );
  ordered.sort((a, b) => b.entry.size - a.entry.size || (a.entry.name! < b.entry.name! ? -1 : 1));
  const blobs = ordered.map((d, id): PlannedBlob => ({
    job: {
      id,
      name: d.entry.name!,
      size: d.entry.size,
      dataOffset: d.entry.dataOffset,
      decode: d.decode,
    },
    entry: d.entry,
    expectations: d.expectations,
    targets: [...new Set([d.entry.name!, ...d.targets])],
    unsupported: d.unsupported,
  }));
  const sequential = archive.container === 'tar+gzip';
  const bytesTotal = sequential ? archive.size : blobs.reduce((n, b) => n + b.job.size, 0);
  const unchecked = model.problems.filter((p) => UNCHECKED_CODES.has(p.code));
  return { blobs, references, missing, bytesTotal, sequential, unchecked };
}

/** Adds what one reference expects of the blob it resolved to. */
function expect(draft: Draft, ref: Reference, entry: ArchiveEntry): void {
  const { what } = ref;
  draft.targets.push(ref.target);
  if (ref.digest) {
    if (isSha256(ref.digest)) {
      add(draft, { kind: 'blob-digest', target: ref.digest, expected: ref.digest, what });
    } else draft.unsupported.push(`${what}: only sha256 digests are checked`);
  }
  if (ref.digest && ref.size !== null) {
    add(draft, { kind: 'blob-size', target: ref.digest, expected: String(ref.size), what });
  }
  if (ref.diffId) {
    draft.targets.push(ref.diffId);
    if (!isSha256(ref.diffId)) {
      draft.unsupported.push(`${what}: only sha256 diff_ids are checked`);
      return;
    }
    const target = ref.digest ?? digestFromName(entry.name!) ?? ref.target;
    add(draft, { kind: 'diff-id', target, expected: ref.diffId, what });
    // A layer named with several decodings: one that says what it is beats sniffing.
    if (draft.decode === null || draft.decode === 'auto') draft.decode = ref.decode;
  }
}

/** Adds an expectation unless the same one (kind, target, expected value) is there already;
 * a name check is dropped where a descriptor's digest check expects the same digest. */
function add(draft: Draft, e: Expectation): void {
  if (e.kind === 'name' && draft.keys.has(`blob-digest\0${e.expected}\0${e.expected}`)) return;
  const key = `${e.kind}\0${e.target}\0${e.expected}`;
  if (draft.keys.has(key)) return;
  draft.keys.add(key);
  draft.expectations.push(e);
}

/** Returns a Check record. */
export function check(
  kind: CheckKind,
  target: string,
  expected: string | null,
  actual: string | null,
  ok: boolean,
  message: string,
): Check {
  return { kind, target, expected, actual, ok, message };
}
