/**
 * From digests to verdicts: the checks a blob's result settles, the state it ends in, and the
 * verification they all add up to. Pure functions.
 */
import type { Check, Verification } from '../report/model.ts';
import type { BlobDigests, BlobResult, BlobState } from './model.ts';
import type { Expectation, PlannedBlob, VerifyPlan } from './plan.ts';
import { isDigests } from './model.ts';
import { ESCAPES, type UnsafePath } from './layer-paths.ts';
import { check } from './plan.ts';
import type { Format } from './model.ts';

/** What decoders say of damaged data, in words about the archive (zlib's and libzstd's wording,
 * with what older decoders said: fflate's, fzstd's). */
const DECODE_REASONS: [RegExp, string][] = [
  [/incorrect data check|crc|checksum/i, 'its checksum does not match its data'],
  [
    /incorrect header check|invalid (gzip|zlib|header)|not gzip|magic|unknown frame descriptor/i,
    'it does not start as one',
  ],
  [/incorrect length check|length mismatch/i, 'its recorded length does not match its data'],
  [
    /unexpected end|unexpected eof|truncat|premature|ended before|ends inside|incomplete/i,
    'it ends before its end marker',
  ],
  [/junk|trailing/i, 'bytes that are not part of it follow its end'],
  [
    /invalid (block|distance|code|literal|length|stored|bit|window|huffman|dictionary|match|offset)|too many|too far|oversubscribed|corrupt/i,
    'its compressed data is damaged',
  ],
];

/** Text that only a browser's own machinery writes: never shown as what is wrong with an archive. */
const INTERNALS =
  /Failed to execute|WritableStream|ReadableStream|TransformStream|DOMException|TypeError|on '[A-Z]\w+'/;

/** Returns what a failed decoding says of a layer, in plain words: `not a valid gzip stream: its
 * checksum does not match its data`. What the decoder said is kept where it is plain, dropped
 * where it is a browser's internals ("Failed to execute 'write' on 'WritableStreamDefaultWriter'"). */
export function decodeFailure(format: Format | null, raw: string): string {
  const stream = format && format !== 'none' ? `a valid ${format} stream` : 'decodable';
  const reason = DECODE_REASONS.find(([pattern]) => pattern.test(raw))?.[1];
  if (reason) return `not ${stream}: ${reason}`;
  if (INTERNALS.test(raw) || raw.trim() === '')
    return `not ${stream}: its data could not be decoded`;
  return `not ${stream}: ${raw}`;
}

/** Returns why a blob could not be read, in plain words where the browser gave only its internals. */
export function readFailure(raw: string): string {
  return INTERNALS.test(raw)
    ? 'the file could not be read to its end here (has it changed or moved since it was opened?)'
    : raw;
}

/** Returns the checks a blob's result settles, in the order the plan lists them; none for a
 * blob that could not be read. */
export function checksOf(blob: PlannedBlob, result: BlobResult): Check[] {
  if (!isDigests(result)) return [];
  return blob.expectations.flatMap((e) => {
    const settled = settle(e, result);
    const paths = e.kind === 'diff-id' ? layerPathCheck(e, result) : null;
    return [...(settled ? [settled] : []), ...(paths ? [paths] : [])];
  });
}

const WHY: Record<UnsafePath['why'], string> = {
  'dot-dot': 'climbs out with ../',
  absolute: 'absolute path',
  'symlink-escapes': 'symlink out of the root',
  'through-symlink': 'written through such a symlink',
  'hardlink-escapes': 'hard link to a path outside the root',
  'global-header': 'pax global header',
  ambiguous: 'read differently by other tar readers',
  incomplete: 'not read to its end',
};

/** Returns the `layer-path` check of a decoded layer, or null where it has nothing to say.
 * It fails for entries that climb out of the layer's root (`../` names, relative symlinks that
 * climb out, entries written through them: never followed here, a careless unpacker would write
 * outside its root) and for a layer that could not be read to its end (what follows the cut is
 * not checked). Absolute names and symlink targets (unpackers keep them under the root), pax
 * global headers and ambiguous headers are notes: listed, and the check stays ok. */
export function layerPathCheck(e: Expectation, r: BlobDigests): Check | null {
  const content = r.content;
  const found = content && !('error' in content) ? (content.unsafePaths ?? []) : [];
  if (found.length === 0) return null;
  const incomplete = found.find((p) => p.why === 'incomplete');
  const paths = found.filter((p) => p.why === 'absolute' || ESCAPES.has(p.why));
  const notes = found.filter((p) => p.why === 'global-header' || p.why === 'ambiguous');
  const escaping = paths.filter((p) => ESCAPES.has(p.why));
  const list = paths
    .map((p) => `"${p.name}"${p.target ? ` -> "${p.target}"` : ''} (${WHY[p.why]})`)
    .join(', ');
  // The list of paths comes last, in layer order; what else there is to say comes before it.
  const said: string[] = [];
  if (incomplete)
    said.push(`entries past where reading stopped are not checked (${incomplete.detail})`);
  for (const n of notes) said.push(n.detail ?? WHY[n.why]);
  const absolute = paths.length > escaping.length;
  if (escaping.length > 0) {
    said.push(
      `entries that would land outside the layer's root when unpacked${absolute ? ' (absolute paths are only noted: unpackers keep them under the root)' : ''}: ${list}`,
    );
  } else if (absolute) said.push(`absolute paths, kept under the root by unpackers: ${list}`);
  const ok = escaping.length === 0 && !incomplete;
  return check(
    'layer-path',
    e.target,
    'every entry inside the layer root',
    (escaping[0] ?? paths[0])?.name ?? null,
    ok,
    `${e.what}: ${ok ? 'no entry escapes the layer root; noted: ' : ''}${said.join('; ')}`,
  );
}

/** Returns the check an expectation becomes, or null where it cannot be made (unsupported). */
function settle(e: Expectation, r: BlobDigests): Check | null {
  const { kind, target, expected, what } = e;
  switch (kind) {
    case 'blob-digest':
    case 'name': {
      const ok = r.sha256 === expected;
      const says = kind === 'name' ? 'its name says' : 'expected';
      const message = ok
        ? `${what}: SHA-256 matches ${kind === 'name' ? 'its name' : 'the digest'}`
        : `${what}: SHA-256 is ${r.sha256}, ${says} ${expected}`;
      return check(kind, target, expected, r.sha256, ok, message);
    }
    case 'blob-size': {
      const actual = String(r.length);
      const ok = actual === expected;
      const message = ok
        ? `${what}: ${actual} bytes, as the descriptor says`
        : `${what}: ${actual} bytes, the descriptor says ${expected}`;
      return check(kind, target, expected, actual, ok, message);
    }
    case 'diff-id': {
      const content = r.content;
      if (!content) return check(kind, target, expected, null, false, `${what}: not decoded`);
      if ('error' in content) {
        if (content.unsupported) return null;
        const message = `${what} is ${decodeFailure(content.format, content.error)}; its diff_id ${expected} is not checked`;
        return check(kind, target, expected, null, false, message);
      }
      const ok = content.sha256 === expected;
      const what2 = `${what}: uncompressed${content.format === 'none' ? '' : ` (${content.format})`}`;
      const message = ok
        ? `${what2} SHA-256 matches the diff_id`
        : `${what2} SHA-256 is ${content.sha256}, expected diff_id ${expected}`;
      return check(kind, target, expected, content.sha256, ok, message);
    }
  }
}

/** Returns the state a blob ends in, and why where it is not ok. */
export function outcomeOf(
  blob: PlannedBlob,
  result: BlobResult,
  checks: readonly Check[],
): { state: BlobState; detail: string | null } {
  if (!isDigests(result)) return { state: 'error', detail: readFailure(result.error) };
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0)
    return { state: 'mismatch', detail: failed.map((c) => c.message).join('; ') };
  const unsupported = [...blob.unsupported];
  const content = result.content;
  if (content && 'error' in content && content.unsupported) {
    unsupported.push(`"${blob.job.name}": ${content.error}, its diff_id is not checked`);
  }
  if (unsupported.length > 0) return { state: 'unsupported', detail: unsupported.join('; ') };
  return { state: 'ok', detail: null };
}

/** Returns the verification a plan and its blobs' results add up to: `failed` when any check
 * failed, else `partial` when something could not be checked (unreadable, unsupported, not
 * run, foreign layer absent), else `ok`. */
export function conclude(plan: VerifyPlan, results: ReadonlyMap<number, BlobResult>): Verification {
  const checks = [...plan.references];
  let partial =
    plan.unchecked.length > 0 || plan.missing.some((m) => m.foreign || m.notIncluded !== null);
  for (const blob of plan.blobs) {
    const result = results.get(blob.job.id);
    if (!result) {
      partial = true;
      continue;
    }
    const own = checksOf(blob, result);
    checks.push(...own);
    const { state } = outcomeOf(blob, result, own);
    if (state === 'error' || state === 'unsupported') partial = true;
  }
  const status = checks.some((c) => !c.ok) ? 'failed' : partial ? 'partial' : 'ok';
  return { status, checks };
}
