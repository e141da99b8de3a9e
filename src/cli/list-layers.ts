/**
 * What `stevedore files` and `stevedore efficiency` share: one platform of an archive chosen,
 * its blobs verified by the same plan and in-thread runner `stevedore verify` uses, with the
 * layers of that platform listed from the very bytes their diff_ids are hashed from (the
 * job's `list` flag), and the listings merged.
 */
import type { Archive } from '../lib/archive/archive.ts';
import type { BlobResult } from '../lib/verify/model.ts';
import type { Image, Manifest } from '../lib/oci/model.ts';
import { LayerListing } from '../lib/layers/listing.ts';
import type { KeptFiles } from '../lib/layers/kept-files.ts';
import { imageLayers, isMissing, type ImageLayers } from '../lib/layers/image-layers.ts';
import { readImageArchive } from '../lib/oci/read.ts';
import { runVerification, type BlobRunner } from '../lib/verify/orchestrate.ts';
import { planVerification } from '../lib/verify/plan.ts';
import { platformPath } from '../lib/verify/references.ts';
import { inThreadRunner } from '../lib/verify/run.ts';
import type { VerifyOutcome } from '../lib/verify/session.ts';
import { isDigests } from '../lib/verify/model.ts';
import { nodeEngine } from './node-hash.ts';
import { withArchive } from './with-archive.ts';
import { visible } from '../lib/text.ts';

/** An error the CLI prints as one line and exits 2 with. */
export class LayersError extends Error {}

/** One platform of the archive, its layers listed and merged. */
export interface ListedImage {
  image: Image;
  manifest: Manifest;
  /** `os/arch[/variant]`, or '' where the image says none. */
  platform: string;
  /** The other image manifests' platforms, for a note when none was asked for. */
  others: string[];
  layers: ImageLayers;
  outcome: VerifyOutcome;
  /** Per layer (0 = base), the package files its read kept; empty unless `keep` was asked. */
  kept: (KeptFiles | null)[];
}

/** Returns the image manifest of the platform asked for, else the archive's first one (an
 * attestation or artifact is never chosen); throws naming the platforms there are. */
export function choosePlatform(
  images: readonly Image[],
  platform: string | null,
): { image: Image; manifest: Manifest; others: string[] } {
  const candidates = images.flatMap((image) =>
    image.manifests
      .filter((m) => m.kind === 'image' && m.included)
      .map((manifest) => ({ image, manifest, path: platformPath(manifest.platform) })),
  );
  const all = [...new Set(candidates.map((c) => c.path || 'unknown'))];
  if (candidates.length === 0) throw new LayersError('the archive holds no image manifest');
  const chosen = platform ? candidates.find((c) => c.path === platform) : candidates[0];
  if (!chosen)
    throw new LayersError(`no image of ${platform} in the archive; it has ${all.join(', ')}`);
  const others = all.filter((p) => p !== (chosen.path || 'unknown'));
  return { image: chosen.image, manifest: chosen.manifest, others };
}

/** Returns the chosen platform's layers, read once each through the verifier's digest+list
 * path (with `keep`, the package files' bytes kept from the same read); throws a LayersError
 * naming a layer that could not be listed. */
export async function listImage(
  archive: Archive,
  platform: string | null,
  signal?: AbortSignal,
  options: { keep?: boolean } = {},
): Promise<ListedImage> {
  const model = await readImageArchive(archive, signal);
  const { image, manifest, others } = choosePlatform(model.images, platform);
  const path = platformPath(manifest.platform);
  const plan = await planVerification(archive, null, signal, { platform: path || null });
  const wanted = new Set(manifest.layers.map((l) => l.entry?.name).filter(Boolean));
  for (const b of plan.blobs)
    if (b.job.decode !== null && wanted.has(b.job.name)) {
      b.job.list = true;
      if (options.keep) b.job.keep = true;
    }

  const byName = new Map<string, BlobResult>();
  const keep = (r: BlobResult) => {
    const job = plan.blobs[r.id]?.job;
    if (job?.list) byName.set(job.name, r);
  };
  const base = inThreadRunner({ engine: nodeEngine });
  const runner: BlobRunner = {
    concurrency: base.concurrency,
    async digest(a, blob, hooks, s) {
      const r = await base.digest(a, blob, hooks, s);
      keep(r);
      return r;
    },
    pass: (a, jobs, hooks, s) =>
      base.pass(a, jobs, { ...hooks, onResult: (r) => (keep(r), hooks.onResult(r)) }, s),
  };
  const outcome = await runVerification(archive, plan, runner, { signal });

  const byDiffId = new Map<string, LayerListing>();
  const kept: (KeptFiles | null)[] = [];
  const why: string[] = [];
  manifest.layers.forEach((layer, i) => {
    const name = layer.entry?.name;
    const r = name ? byName.get(name) : undefined;
    const what = `layer ${i + 1} (${layer.digest ?? layer.path})`;
    if (!layer.diffId) why.push(`${what} has no diff_id`);
    else if (!name) why.push(`${what} is not in the archive`);
    else if (!r) why.push(`${what} was not read`);
    else if (!isDigests(r)) why.push(`${what} could not be read: ${r.error}`);
    else if (!r.listing) {
      const e = r.content && 'error' in r.content ? r.content.error : 'no listing';
      why.push(`${what} could not be decoded: ${e}`);
    } else {
      byDiffId.set(layer.diffId, LayerListing.fromTransfer(r.listing));
      kept[i] = r.kept ?? null;
    }
  });
  if (why.length > 0) throw new LayersError(`cannot list the layers: ${why.join('; ')}`);
  const layers = imageLayers(manifest, byDiffId);
  if (isMissing(layers)) throw new LayersError('cannot list the layers (no listing by diff_id)');
  return { image, manifest, platform: path, others, layers, outcome, kept };
}

/** Returns the lines to print on stderr about the run: the platform chosen among several, a
 * layer that could not be read to its end, and verification failures. */
export function runNotes(listed: ListedImage, asked: string | null): string[] {
  const notes: string[] = [];
  const shown = listed.platform || 'unknown platform';
  if (!asked && listed.others.length > 0)
    notes.push(
      `${shown} of ${listed.image.ref} shown; the archive also has ${listed.others.join(', ')} (choose with --platform)`,
    );
  for (const n of listed.layers.notes) notes.push(`note: ${n}`);
  // Odd names and what the merge had to decide: one line per layer and kind, counted.
  const { fs } = listed.layers;
  fs.layers.forEach((listing, l) => {
    for (const n of listing.notes)
      notes.push(`note: layer ${l + 1}: ${n.count} × ${n.kind} (first: ${n.example})`);
  });
  // A whiteout of nothing is common and harmless (umoci marks new directories opaque).
  for (const n of fs.notes.filter((n) => n.kind !== 'whiteout-missing'))
    notes.push(`note: layer ${n.layer + 1}: ${n.count} × ${n.kind} (first: ${n.example})`);
  for (const c of listed.outcome.verification.checks)
    if (!c.ok) notes.push(`verification: ${c.kind}: ${c.message}`);
  return notes;
}

/** Returns true when verification found the bytes listed are not the image's. */
export function verificationFailed(listed: ListedImage): boolean {
  return listed.outcome.verification.status === 'failed';
}

/** Runs a listing command: `--help`, its options parsed, the archive opened and handed to
 * `run` with them; a failure is one line on stderr and exit 2. Returns the exit code. */
export async function runListingCommand<O extends { path: string }>(
  argv: readonly string[],
  usage: string,
  parse: (argv: readonly string[]) => O | string,
  err: (text: string) => void,
  run: (archive: Archive, options: O) => Promise<number>,
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    err(`usage:\n${usage}\n`);
    return 0;
  }
  const o = parse(argv);
  if (typeof o === 'string') {
    err(`stevedore: ${o}\nusage:\n${usage}\n`);
    return 2;
  }
  try {
    return await withArchive(o.path, (archive) => run(archive, o));
  } catch (error) {
    err(`stevedore: ${escapeName(failureLine(o.path, error))}\n`);
    return 2;
  }
}

/** A command line split into one positional argument (the archive), `--name value` options
 * (also `--name=value`) and flags; or an error message. */
export function splitArgs(
  argv: readonly string[],
  valued: readonly string[],
  flags: readonly string[],
): { path: string; values: Map<string, string>; flags: Set<string> } | string {
  const values = new Map<string, string>();
  const set = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (valued.includes(name)) {
      const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) return `--${name} needs a value`;
      values.set(name, value);
    } else if (flags.includes(name) && eq < 0) set.add(name);
    else return `unknown option ${arg}`;
  }
  if (positional.length === 0) return 'needs an archive path';
  if (positional.length > 1) return `unexpected argument "${positional[1]}"`;
  return { path: positional[0]!, values, flags: set };
}

/** Returns the platform option checked (`os/arch[/variant]`), null when absent, or an error. */
export function platformOption(values: Map<string, string>): string | null | { error: string } {
  const p = values.get('platform');
  if (p === undefined) return null;
  if (/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p)) return p;
  return {
    error: `--platform takes os/arch[/variant], e.g. linux/arm64/v8, not ${JSON.stringify(p)}`,
  };
}

/** Returns one line saying why a command on `path` listed nothing; never a stack trace. */
export function failureLine(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `cannot open ${path}: no such file`;
  if (code === 'EACCES') return `cannot open ${path}: permission denied`;
  return `${path}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Returns a name with control characters and backslashes escaped as GNU tar does, so that
 * one entry is one line whatever its name; what GNU tar leaves to the terminal (C1 controls,
 * U+2028 / U+2029, bidi overrides and other invisible format characters) is written as a
 * `\u202e` escape, as the page shows it, so that a name cannot disguise itself. */
export function escapeName(name: string): string {
  const gnu = name.replace(/[\\\x00-\x1f\x7f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
  });
  return visible(
    gnu.replace(
      /[\u0080-\u009f\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  );
}
