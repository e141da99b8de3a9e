/**
 * The report as a view of the image model: what the JSON schema, the Markdown and the page
 * show. Reads nothing from the archive.
 */
import type { Archive } from '../archive/archive.ts';
import type { Image, ImageArchive, Layer, Manifest } from '../oci/model.ts';
import type { ImageReport, LayerReport, ManifestReport, Report } from './model.ts';
import { ProblemLog } from '../errors.ts';
import { MAX_SHOWN_CONFIG_BYTES } from '../limits.ts';
import { emptyConfig } from '../oci/config.ts';
import { dockerfileFromHistory } from './dockerfile.ts';
import { platformString } from './format.ts';

/** Returns the report of an archive's image model (verification not run yet). `hashed` (entry
 * name → SHA-256 of blobs a verification read) gives a legacy layer that no name or diff_id
 * names its digest. */
export function buildReport(
  archive: Archive,
  model: ImageArchive,
  hashed?: ReadonlyMap<string, string>,
): Report {
  const problems = new ProblemLog([...model.problems]);
  const budget = { left: MAX_SHOWN_CONFIG_BYTES };
  return {
    schema: 'stevedore.report/v1',
    source: {
      name: archive.name,
      size: archive.size,
      format: model.format,
      compression: archive.container === 'tar+gzip' ? 'gzip' : 'none',
    },
    images: model.images.map((image) => imageReport(image, budget, problems, hashed)),
    verification: { status: 'not-run', checks: [] },
    problems: problems.list,
  };
}

function imageReport(
  image: Image,
  budget: { left: number },
  problems: ProblemLog,
  hashed?: ReadonlyMap<string, string>,
): ImageReport {
  const index = image.root.type === 'index' ? image.root : null;
  return {
    ref: image.ref,
    name: image.name,
    digest: index?.blob.descriptor?.digest ?? null,
    mediaType: index?.mediaType ?? null,
    manifests: image.manifests.map((m) => manifestReport(m, budget, problems, hashed)),
  };
}

/** Returns a manifest's report; its config's text only while the budget lasts. */
export function manifestReport(
  m: Manifest,
  budget: { left: number } = { left: Infinity },
  problems?: ProblemLog,
  hashed?: ReadonlyMap<string, string>,
): ManifestReport {
  let config = m.config;
  if (m.configBytes > budget.left) {
    config = { ...emptyConfig(), diffIds: m.config.diffIds };
    problems?.note(
      'text-budget',
      `the config of ${m.imageId ?? 'a manifest'} is not shown again: the report already shows ${MAX_SHOWN_CONFIG_BYTES / 2 ** 20} MiB of config text`,
      m.imageId,
    );
  } else budget.left -= m.configBytes;
  const descriptor = m.blob?.descriptor ?? null;
  const shell = config.shell;
  return {
    platform: m.platform,
    platformString: platformString(m.platform),
    kind: m.kind,
    included: m.included,
    subject: m.subject,
    digest: descriptor?.digest ?? null,
    mediaType: m.mediaType,
    size: descriptor?.size ?? null,
    dockerVersion: config.dockerVersion,
    totalSize: m.layers.reduce((sum, l) => sum + (l.size ?? 0), 0),
    imageId: m.imageId,
    created: config.created,
    entrypoint: config.entrypoint,
    cmd: config.cmd,
    shell,
    env: config.env,
    labels: config.labels,
    user: config.user,
    exposedPorts: config.exposedPorts,
    workingDir: config.workingDir,
    history: config.history.map((h) => ({
      ...h,
      dockerfile: dockerfileFromHistory(h.createdBy, shell),
    })),
    layers: m.layers.map((l) => layerReport(l, hashed)),
  };
}

function layerReport(l: Layer, hashed?: ReadonlyMap<string, string>): LayerReport {
  const name = l.entry?.name;
  return {
    digest: l.digest ?? (name ? (hashed?.get(name) ?? null) : null),
    size: l.size,
    mediaType: l.mediaType,
    diffId: l.diffId,
    compression: l.compression,
    ...(l.annotations ? { annotations: l.annotations } : {}),
  };
}
