/**
 * The JSON export (`stevedore.report/v1`). Objects are rebuilt field by field so that the key
 * order is the schema's order in DESIGN.md whatever order the parser filled them in, and so
 * that nothing outside the schema leaks into the file.
 */
import type {
  Check,
  HistoryEntry,
  ImageReport,
  LayerReport,
  ManifestReport,
  Problem,
  Report,
  Verification,
} from './model.ts';

function history(entry: HistoryEntry): HistoryEntry {
  return {
    created: entry.created,
    createdBy: entry.createdBy,
    emptyLayer: entry.emptyLayer,
    dockerfile: entry.dockerfile,
  };
}

function layer(l: LayerReport): LayerReport {
  return {
    digest: l.digest,
    size: l.size,
    mediaType: l.mediaType,
    diffId: l.diffId,
    compression: l.compression,
  };
}

function manifest(m: ManifestReport): ManifestReport {
  return {
    platform: {
      os: m.platform.os,
      architecture: m.platform.architecture,
      variant: m.platform.variant,
      osVersion: m.platform.osVersion,
      osFeatures: m.platform.osFeatures,
    },
    platformString: m.platformString,
    kind: m.kind,
    included: m.included,
    subject: m.subject,
    digest: m.digest,
    mediaType: m.mediaType,
    size: m.size,
    dockerVersion: m.dockerVersion,
    totalSize: m.totalSize,
    imageId: m.imageId,
    created: m.created,
    entrypoint: m.entrypoint,
    cmd: m.cmd,
    shell: m.shell,
    env: m.env,
    labels: m.labels,
    user: m.user,
    exposedPorts: m.exposedPorts,
    workingDir: m.workingDir,
    history: m.history.map(history),
    layers: m.layers.map(layer),
  };
}

function image(i: ImageReport): ImageReport {
  return {
    ref: i.ref,
    name: i.name,
    digest: i.digest,
    mediaType: i.mediaType,
    manifests: i.manifests.map(manifest),
  };
}

function check(c: Check): Check {
  return {
    kind: c.kind,
    target: c.target,
    expected: c.expected,
    actual: c.actual,
    ok: c.ok,
    message: c.message,
  };
}

function verification(v: Verification): Verification {
  return { status: v.status, checks: v.checks.map(check) };
}

function problem(p: Problem): Problem {
  return { code: p.code, where: p.where, message: p.message };
}

/** Returns the report as pretty-printed JSON in schema key order, ending in a newline. */
export function renderJson(report: Report): string {
  const ordered: Report = {
    schema: report.schema,
    source: {
      name: report.source.name,
      size: report.source.size,
      format: report.source.format,
      compression: report.source.compression,
    },
    images: report.images.map(image),
    verification: verification(report.verification),
    problems: report.problems.map(problem),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

/** Returns a verification alone (the receipt the page downloads) as pretty-printed JSON in
 * schema key order, ending in a newline: the `verification` of `renderJson`, un-indented. */
export function renderVerificationJson(v: Verification): string {
  return JSON.stringify(verification(v), null, 2) + '\n';
}
