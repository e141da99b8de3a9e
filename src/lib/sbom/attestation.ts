/**
 * Attestations BuildKit stores beside an image (`docker buildx build --sbom --provenance`): an
 * attestation manifest whose descriptor says `vnd.docker.reference.type: attestation-manifest`
 * and names the image manifest it is about (the model's `subject`), with one layer per in-toto
 * statement (`application/vnd.in-toto+json`). A statement whose predicateType is
 * `https://spdx.dev/Document` carries an SPDX SBOM: its packages are read (bounded) and compared
 * with the packages Stevedore found in the layers. Provenance statements are listed, not read.
 * Hostile JSON never throws: it gives a problem naming the layer.
 */
import type { Archive } from '../archive/archive.ts';
import type { Image, Layer, Manifest } from '../oci/model.ts';
import type { PackageRecord } from '../packages/by-layer.ts';
import { compareC, decodeText } from '../packages/text.ts';

/** The media type of an in-toto statement layer. */
export const IN_TOTO_MEDIA_TYPE = 'application/vnd.in-toto+json';
/** The predicate type of an SPDX SBOM statement. */
export const SPDX_PREDICATE = 'https://spdx.dev/Document';
/** A statement larger than this is not read (BuildKit's SBOMs of large images run to a few
 * MiB; its SPDX documents list files too). */
export const MAX_STATEMENT_BYTES = 64 * 1024 * 1024;
/** Packages read from one SBOM statement; the rest are counted. */
export const MAX_DECLARED_PACKAGES = 100_000;
/** Characters kept of a declared name or version (a hostile document could make one huge). */
const MAX_FIELD = 1024;

/** A package an SBOM attestation declares. */
export interface DeclaredPackage {
  name: string;
  version: string | null;
  /** The purl's type (`apk`, `deb`, `rpm`, `npm`…); null without a purl. */
  type: string | null;
  arch: string | null;
  purl: string | null;
}

/** A package found in the layers, as the comparison lists it. */
export interface FoundPackage {
  type: string;
  name: string;
  version: string | null;
  arch: string | null;
}

/** What the attestation declares beside what the layers hold (OS packages only: apk, deb, rpm). */
export interface Comparison {
  /** OS packages both list with the same version. */
  same: number;
  declaredOnly: DeclaredPackage[];
  foundOnly: FoundPackage[];
  versionDiffers: {
    type: string;
    name: string;
    arch: string | null;
    declared: string | null;
    found: string | null;
  }[];
  /** Declared packages that are not OS packages (language packages, files' packages) or have no
   * purl: not compared. */
  notCompared: number;
}

/** One in-toto layer of an attestation manifest about the platform. */
export interface AttestationReport {
  /** The attestation manifest's digest and the layer's. */
  manifest: string | null;
  layer: string | null;
  predicateType: string | null;
  /** The statement's subject digests (`sha256:…`). */
  subjects: string[];
  /** For an SPDX statement: how many packages it declares, and the comparison. */
  declared: number | null;
  comparison: Comparison | null;
  /** What could not be read, each naming the layer. */
  problems: string[];
}

/** Returns the in-toto layers of the attestation manifests whose subject is `manifest`. */
export function attestationLayers(
  image: Image,
  manifest: Manifest,
): { manifest: Manifest; layer: Layer }[] {
  const digest = manifest.blob?.descriptor?.digest;
  if (!digest) return [];
  return image.manifests
    .filter((m) => m.kind === 'attestation' && m.subject === digest && m.included)
    .flatMap((m) =>
      m.layers
        .filter((l) => l.mediaType === IN_TOTO_MEDIA_TYPE)
        .map((layer) => ({ manifest: m, layer })),
    );
}

/** Returns every in-toto statement about the platform, SBOMs compared with `found`. */
export async function readAttestations(
  archive: Archive,
  image: Image,
  manifest: Manifest,
  found: readonly PackageRecord[],
): Promise<AttestationReport[]> {
  const out: AttestationReport[] = [];
  for (const { manifest: m, layer } of attestationLayers(image, manifest)) {
    const where = `attestation layer ${layer.digest ?? layer.path}`;
    const base = { manifest: m.blob?.descriptor?.digest ?? null, layer: layer.digest };
    const entry = layer.entry;
    if (!entry || entry.type !== 'file' || entry.truncated) {
      out.push({ ...base, ...empty(), problems: [`${where}: not in the archive`] });
      continue;
    }
    if (entry.size > MAX_STATEMENT_BYTES) {
      out.push({
        ...base,
        ...empty(),
        problems: [
          `${where}: ${entry.size} bytes, more than the ${MAX_STATEMENT_BYTES}-byte limit; not read`,
        ],
      });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await archive.read(entry, MAX_STATEMENT_BYTES);
    } catch (e) {
      out.push({
        ...base,
        ...empty(),
        problems: [`${where}: cannot be read: ${e instanceof Error ? e.message : String(e)}`],
      });
      continue;
    }
    out.push({ ...base, ...readStatement(bytes, where, found) });
  }
  return out;
}

function empty() {
  return { predicateType: null, subjects: [], declared: null, comparison: null };
}

/** Returns what one in-toto statement says, its SBOM compared with `found`. */
export function readStatement(
  bytes: Uint8Array,
  where: string,
  found: readonly PackageRecord[],
): Omit<AttestationReport, 'manifest' | 'layer'> {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(decodeText(bytes));
  } catch (e) {
    return {
      ...empty(),
      problems: [`${where}: not JSON (${e instanceof Error ? e.message : String(e)})`],
    };
  }
  const statement = asObject(doc);
  if (!statement)
    return { ...empty(), problems: [`${where}: not an in-toto statement (not a JSON object)`] };
  const predicateType =
    typeof statement.predicateType === 'string' ? clip(statement.predicateType) : null;
  if (predicateType === null) problems.push(`${where}: no predicateType`);
  const subjects = (Array.isArray(statement.subject) ? statement.subject : [])
    .slice(0, 1000)
    .flatMap((s) => {
      const sha = asObject(asObject(s)?.digest)?.sha256;
      return typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) ? [`sha256:${sha}`] : [];
    });
  if (predicateType !== SPDX_PREDICATE)
    return { predicateType, subjects, declared: null, comparison: null, problems };
  const predicate = asObject(statement.predicate);
  if (!predicate || !Array.isArray(predicate.packages)) {
    problems.push(`${where}: the SPDX predicate has no packages list`);
    return { predicateType, subjects, declared: null, comparison: null, problems };
  }
  const list = predicate.packages as unknown[];
  if (list.length > MAX_DECLARED_PACKAGES)
    problems.push(
      `${where}: ${list.length} packages declared; the first ${MAX_DECLARED_PACKAGES} compared`,
    );
  const declared: DeclaredPackage[] = [];
  let unnamed = 0;
  for (const item of list.slice(0, MAX_DECLARED_PACKAGES)) {
    const d = declaredPackage(item);
    if (d) declared.push(d);
    else unnamed++;
  }
  if (unnamed > 0)
    problems.push(`${where}: ${unnamed} declared package(s) without a name, skipped`);
  return {
    predicateType,
    subjects,
    declared: declared.length,
    comparison: compareDeclared(declared, found),
    problems,
  };
}

/** Returns an SPDX package entry as a declared package; null without a string name. */
function declaredPackage(item: unknown): DeclaredPackage | null {
  const p = asObject(item);
  if (!p || typeof p.name !== 'string' || p.name === '') return null;
  const refs = Array.isArray(p.externalRefs) ? p.externalRefs : [];
  const locator = refs
    .map(asObject)
    .find((r) => r?.referenceType === 'purl' && typeof r.referenceLocator === 'string')
    ?.referenceLocator as string | undefined;
  const purl = locator ? parsePurl(clip(locator)) : null;
  const versionInfo = typeof p.versionInfo === 'string' ? clip(p.versionInfo) : null;
  let version = purl?.version ?? versionInfo;
  // rpm: the purl keeps the epoch apart; the layers' records write `epoch:version-release`.
  if (
    purl?.type === 'rpm' &&
    purl.version !== null &&
    purl.qualifiers.epoch &&
    purl.qualifiers.epoch !== '0'
  )
    version = `${purl.qualifiers.epoch}:${purl.version}`;
  return {
    name: clip(purl?.name ?? p.name),
    version,
    type: purl?.type ?? null,
    arch: purl?.qualifiers.arch ?? null,
    purl: locator ? clip(locator) : null,
  };
}

/** A purl's parts, decoded; null where the text is not a purl. */
export function parsePurl(text: string): {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
  qualifiers: Record<string, string>;
} | null {
  const m = /^pkg:\/*([A-Za-z.+-][A-Za-z0-9.+-]*)\/([^?#]+)(?:\?([^#]*))?(?:#.*)?$/.exec(text);
  if (!m) return null;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  let path = m[2]!;
  let version: string | null = null;
  const at = path.lastIndexOf('@');
  if (at > path.lastIndexOf('/')) {
    version = decode(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const segments = path.split('/').filter((s) => s !== '');
  const name = segments.pop();
  if (!name) return null;
  const qualifiers: Record<string, string> = {};
  for (const pair of (m[3] ?? '').split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0) qualifiers[pair.slice(0, eq).toLowerCase()] = decode(pair.slice(eq + 1));
  }
  return {
    type: m[1]!.toLowerCase(),
    namespace: segments.length > 0 ? segments.map(decode).join('/') : null,
    name: decode(name),
    version,
    qualifiers,
  };
}

const OS_TYPES = new Set(['apk', 'deb', 'rpm']);

/** Returns the comparison of declared OS packages with the ones found: matched by ecosystem,
 * name and (where both say) arch; then their versions compared as written. */
export function compareDeclared(
  declared: readonly DeclaredPackage[],
  found: readonly PackageRecord[],
): Comparison {
  // apk and deb names are case-insensitive in purls (written lowercase); rpm's are not.
  const keyOf = (type: string, name: string) =>
    `${type}\0${type === 'rpm' ? name : name.toLowerCase()}`;
  const byKey = new Map<string, PackageRecord[]>();
  for (const r of found) {
    const key = keyOf(r.type, r.name);
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  const matched = new Set<PackageRecord>();
  const out: Comparison = {
    same: 0,
    declaredOnly: [],
    foundOnly: [],
    versionDiffers: [],
    notCompared: 0,
  };
  for (const d of declared) {
    if (d.type === null || !OS_TYPES.has(d.type)) {
      out.notCompared++;
      continue;
    }
    const candidates = (byKey.get(keyOf(d.type, d.name)) ?? []).filter((r) => !matched.has(r));
    const r =
      candidates.find((c) => c.arch === d.arch && c.version === d.version) ??
      candidates.find((c) => c.arch === d.arch || c.arch === null || d.arch === null);
    if (!r) {
      out.declaredOnly.push(d);
      continue;
    }
    matched.add(r);
    if (r.version === d.version) out.same++;
    else
      out.versionDiffers.push({
        type: d.type,
        name: d.name,
        arch: r.arch,
        declared: d.version,
        found: r.version,
      });
  }
  for (const r of found)
    if (!matched.has(r))
      out.foundOnly.push({ type: r.type, name: r.name, version: r.version, arch: r.arch });
  const order = (
    a: { type: string | null; name: string },
    b: { type: string | null; name: string },
  ) => compareC(a.type ?? '', b.type ?? '') || compareC(a.name, b.name);
  out.declaredOnly.sort(order);
  out.foundOnly.sort(order);
  out.versionDiffers.sort(order);
  return out;
}

function asObject(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : null;
}

function clip(s: string): string {
  return s.length > MAX_FIELD ? `${s.slice(0, MAX_FIELD)}…` : s;
}
