/**
 * The platform grid: fields × platforms, each row either one value "same on all N" or the
 * values that differ. Attestations and artifacts are no platforms: they attach to the
 * platform they are about, as chips. Pure functions (no DOM, no runes), tested in Node.
 */
import type { ImageReport, ManifestReport } from '../../lib/report/model.ts';
import { jsonList, shortDigest } from '../report-view.ts';
import { humanDate, manifestPlatform, peopleSize } from '../summary-view.ts';

export { NO_PLATFORM } from '../summary-view.ts';

/** How many env variables and labels the grid compares at most, each; the rest are in each
 * platform's details. */
export const GRID_KEYS = 100;

/** Returns a platform as people write it (`linux/arm64/v8`), or that none is stated. */
export function platformName(manifest: ManifestReport): string {
  return manifestPlatform({ ...manifest, kind: 'image' });
}

/** A manifest attached to a platform: an attestation or an artifact whose subject it is. */
export interface Chip {
  /** The manifest's index in `image.manifests`. */
  index: number;
  /** `provenance`, `SBOM`, `signature`, else what its layers' media type says. */
  text: string;
  /** Its kind and layer media types, in full. */
  title: string;
  kind: ManifestReport['kind'];
  /** Its short digest; null where it has none. */
  digest: string | null;
}

/** The annotation BuildKit puts on each layer (in-toto statement) of an attestation manifest. */
export const PREDICATE_TYPE = 'in-toto.io/predicate-type';

/** Returns an in-toto predicate type in a word or two: `SBOM` (SPDX, CycloneDX), `provenance`
 * (SLSA, any version), else the last part of its address that is not a version
 * (`https://example.com/vuln-scan/v1` → `vuln-scan`). */
export function predicateText(type: string): string {
  const lower = type.toLowerCase();
  if (/^https?:\/\/(spdx\.dev\/document|cyclonedx\.org\/bom)\b/.test(lower)) return 'SBOM';
  if (/^https?:\/\/slsa\.dev\/provenance\b/.test(lower)) return 'provenance';
  const parts = type
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split(/[/#?]/)
    .filter((p) => p !== '' && !/^v?\d+(\.\d+)*$/i.test(p));
  return parts.length > 1 ? parts[parts.length - 1]! : (parts[0] ?? type);
}

/** Returns what an attestation or artifact carries, in a word or two: from the predicate types
 * its layers are annotated with (BuildKit's attestations: `SBOM + provenance`), else from its
 * layers' media types. */
export function chipText(manifest: ManifestReport): string {
  const predicates = [
    ...new Set(
      manifest.layers.flatMap((l) => {
        const type = l.annotations?.[PREDICATE_TYPE];
        return type ? [predicateText(type)] : [];
      }),
    ),
  ];
  if (predicates.length > 0) return predicates.join(' + ');
  const types = [...new Set(manifest.layers.flatMap((l) => (l.mediaType ? [l.mediaType] : [])))];
  const all = types.join(' ').toLowerCase();
  if (/spdx|cyclonedx|sbom|syft/.test(all)) return 'SBOM';
  if (/provenance|slsa/.test(all)) return 'provenance';
  if (/signature|cosign|notary|\.sig\b/.test(all)) return 'signature';
  if (/in-toto/.test(all)) return 'in-toto statement';
  const first = types[0];
  if (!first) return manifest.kind;
  const short = first.replace(/^application\//, '').replace(/^vnd\./, '');
  return types.length > 1 ? `${short} +${types.length - 1}` : short;
}

function chip(manifest: ManifestReport, index: number): Chip {
  const predicates = [
    ...new Set(manifest.layers.flatMap((l) => l.annotations?.[PREDICATE_TYPE] ?? [])),
  ];
  const types = [...new Set(manifest.layers.flatMap((l) => (l.mediaType ? [l.mediaType] : [])))];
  const digest = manifest.digest ? ` ${shortDigest(manifest.digest)}` : '';
  return {
    index,
    text: chipText(manifest),
    title: `${manifest.kind}${digest}: ${predicates.join(', ') || types.join(', ') || 'no layers'}`,
    kind: manifest.kind,
    digest: manifest.digest ? shortDigest(manifest.digest) : null,
  };
}

/** One platform of the grid. */
export interface GridColumn {
  /** The manifest's index in `image.manifests`. */
  index: number;
  manifest: ManifestReport;
  /** `linux/arm64/v8`; with the short digest where two platforms would read the same. */
  name: string;
  chips: Chip[];
}

/** Returns the manifests of an image that are platforms: runnable images, not attestations or
 * artifacts (an image of none but those has no platform at all). */
export function platformIndexes(image: ImageReport): number[] {
  const out: number[] = [];
  image.manifests.forEach((m, i) => {
    if (m.kind === 'image') out.push(i);
  });
  return out;
}

/** Returns the image's platforms, each with the attestations and artifacts about it. */
export function gridColumns(image: ImageReport): GridColumn[] {
  const byDigest = new Map<string, number[]>();
  image.manifests.forEach((m, i) => {
    if (m.kind === 'image' || m.subject === null) return;
    const list = byDigest.get(m.subject) ?? [];
    list.push(i);
    byDigest.set(m.subject, list);
  });
  const indexes = platformIndexes(image);
  const names = indexes.map((i) => platformName(image.manifests[i]!));
  const count = new Map<string, number>();
  for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
  return indexes.map((index, k) => {
    const manifest = image.manifests[index]!;
    const name = names[k]!;
    const repeated = (count.get(name) ?? 0) > 1 && manifest.digest !== null;
    const attached = manifest.digest ? (byDigest.get(manifest.digest) ?? []) : [];
    return {
      index,
      manifest,
      name: repeated ? `${name} (${shortDigest(manifest.digest!)})` : name,
      chips: attached.map((i) => chip(image.manifests[i]!, i)),
    };
  });
}

/** Returns the image's attestations and artifacts that attach to none of its platforms. */
export function looseChips(image: ImageReport): Chip[] {
  const platforms = new Set(
    image.manifests.flatMap((m) => (m.kind === 'image' && m.digest ? [m.digest] : [])),
  );
  const out: Chip[] = [];
  image.manifests.forEach((m, i) => {
    if (m.kind !== 'image' && (m.subject === null || !platforms.has(m.subject)))
      out.push(chip(m, i));
  });
  return out;
}

/** How a row's values are shown. */
export type RowType = 'text' | 'code' | 'digest' | 'chips' | 'status';

/** One field of the grid: a value per platform (null where the platform has none). */
export interface GridRow {
  key: string;
  /** What the row is: `Digest`; for an env variable or a label, `Env` or `Label`. */
  field: string;
  /** The variable's or label's name; null for the other rows. */
  name: string | null;
  type: RowType;
  values: (string | null)[];
  /** Whether every platform has the same value. */
  same: boolean;
}

type Field = [
  key: string,
  field: string,
  type: RowType,
  value: (m: ManifestReport) => string | null,
];

const FIELDS: Field[] = [
  ['digest', 'Digest', 'digest', (m) => m.digest],
  ['size', 'Size', 'text', (m) => (m.included ? peopleSize(m.totalSize) : null)],
  ['layers', 'Layers', 'text', (m) => (m.included ? String(m.layers.length) : null)],
  ['created', 'Created', 'text', (m) => (m.created ? humanDate(m.created) : null)],
  ['docker', 'Docker version', 'text', (m) => m.dockerVersion],
  ['image-id', 'Image ID', 'digest', (m) => m.imageId],
  ['entrypoint', 'Entrypoint', 'code', (m) => jsonList(m.entrypoint)],
  ['cmd', 'Command', 'code', (m) => jsonList(m.cmd)],
  ['shell', 'Shell', 'code', (m) => jsonList(m.shell)],
  ['user', 'User', 'code', (m) => m.user],
  ['workdir', 'Working directory', 'code', (m) => m.workingDir],
  ['ports', 'Exposed ports', 'code', (m) => m.exposedPorts?.join(', ') || null],
  ['media-type', 'Media type', 'code', (m) => m.mediaType],
];

function row(
  key: string,
  field: string,
  type: RowType,
  values: (string | null)[],
  name: string | null = null,
): GridRow {
  return { key, field, name, type, values, same: values.every((v) => v === values[0]) };
}

/** Returns an env list as name → value (the first of a name wins, as a shell would not). */
function envMap(env: string[] | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of env ?? []) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (!out.has(name)) out.set(name, eq < 0 ? '' : entry.slice(eq + 1));
  }
  return out;
}

/** Returns the union of keys, in first-seen order, at most `GRID_KEYS`, and how many more. */
function keysOf(maps: Map<string, string>[]): { keys: string[]; more: number } {
  const seen = new Set<string>();
  for (const map of maps) for (const key of map.keys()) seen.add(key);
  const keys = [...seen];
  return { keys: keys.slice(0, GRID_KEYS), more: Math.max(0, keys.length - GRID_KEYS) };
}

/** The grid: its rows, and the env variables and labels left out of it. */
export interface Grid {
  rows: GridRow[];
  moreEnv: number;
  moreLabels: number;
}

/** Returns the grid's rows for the given platforms (rows empty on every platform left out). */
export function platformGrid(columns: readonly GridColumn[]): Grid {
  const ms = columns.map((c) => c.manifest);
  const rows: GridRow[] = [];
  // A partial save lists platforms it does not hold: say which, before their empty values.
  if (ms.some((m) => !m.included))
    rows.push(
      row(
        'included',
        'In this archive',
        'text',
        ms.map((m) => (m.included ? 'included' : 'not included in this archive')),
      ),
    );
  for (const [key, field, type, value] of FIELDS) rows.push(row(key, field, type, ms.map(value)));
  const envs = ms.map((m) => envMap(m.env));
  const env = keysOf(envs);
  for (const name of env.keys)
    rows.push(
      row(
        `env:${name}`,
        'Env',
        'code',
        envs.map((e) => e.get(name) ?? null),
        name,
      ),
    );
  const labelMaps = ms.map((m) => new Map(Object.entries(m.labels ?? {})));
  const labels = keysOf(labelMaps);
  for (const name of labels.keys)
    rows.push(
      row(
        `label:${name}`,
        'Label',
        'code',
        labelMaps.map((l) => l.get(name) ?? null),
        name,
      ),
    );
  const chips = columns.map((c) => c.chips.map((x) => x.text).join(', ') || null);
  rows.push(row('attached', 'Attestations', 'chips', chips));
  return {
    rows: rows.filter((r) => r.values.some((v) => v !== null)),
    moreEnv: env.more,
    moreLabels: labels.more,
  };
}

/** One manifest that can be shown in detail. */
export interface DetailChoice {
  /** Its index in `image.manifests`. */
  index: number;
  label: string;
}

/** Returns what the detail selector offers: each platform, then what is attached to each, then
 * the attestations and artifacts attached to none. */
export function detailChoices(
  columns: readonly GridColumn[],
  loose: readonly Chip[],
): DetailChoice[] {
  const out: DetailChoice[] = columns.map((c) => ({ index: c.index, label: c.name }));
  for (const c of columns)
    for (const chip of c.chips) out.push({ index: chip.index, label: `${chip.text} of ${c.name}` });
  for (const chip of loose) out.push({ index: chip.index, label: looseLabel(chip) });
  return out;
}

/** Returns how an attestation or artifact attached to no platform reads: its kind and digest. */
function looseLabel(chip: Chip): string {
  return `${chip.text} (${chip.kind}${chip.digest ? ` ${chip.digest}` : ''})`;
}
