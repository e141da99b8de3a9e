/**
 * The Markdown export, in docker-library/repo-info's format (their `.remote.pl`), byte for
 * byte: tabs after `-`, two trailing spaces where Markdown needs a line break, blank lines
 * between blocks. Differences from repo-info, all deliberate:
 * - no `Last Modified` lines: a tarball has no registry upload time;
 * - `-\tPlatforms:` has no count, as in the 2019 reports our seed comes from;
 * - a section's `Manifest MIME` is the manifest's real media type;
 * - a legacy `docker save` has no manifests, hence no digests and no pull lines, and its
 *   layers are the uncompressed `layer.tar` files, which the Total Size note says plainly.
 */
import { oneLine } from '../text.ts';
import { formatDate, formatSize, jsonCompact } from './format.ts';
import type { ImageReport, LayerReport, ManifestReport, Report } from './model.ts';

const COMPRESSED_NOTE = '(compressed transfer size, not on-disk size)';
// Our wording (DESIGN.md asks for a plain statement): a legacy archive stores each layer as
// an uncompressed tar, so its "size" is neither what a registry transfers nor what a disk holds.
const UNCOMPRESSED_NOTE = '(uncompressed layer tar size from a legacy docker save archive)';
// A legacy-layout archive whose layers are compressed (kaniko, go-containerregistry tarballs).
const STORED_NOTE = '(size of the layer files as stored in the archive, which has no manifest)';
// Printed where a layer's digest is not known (not yet hashed); repo-info always has one.
const UNKNOWN_DIGEST = '(digest unknown)';

/** Returns an inline code span of `value`; one holding backticks gets a longer fence, as
 * CommonMark allows, so that it cannot close early. Ordinary values print as `value`. */
export function codeSpan(value: string): string {
  const safe = oneLine(value);
  if (!safe.includes('`')) return `\`${safe}\``;
  const longest = Math.max(...(safe.match(/`+/g) ?? ['']).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${safe} ${fence}`;
}

/** Returns the fence for a code block whose lines may themselves start with backticks. */
function fenceFor(body: string): string {
  const runs = body.match(/^ {0,3}`{3,}/gm) ?? [];
  const longest = Math.max(2, ...runs.map((run) => run.trimStart().length));
  return '`'.repeat(longest + 1);
}

function pullBlock(name: string, digest: string): string {
  return '```console\n' + `$ docker pull ${oneLine(name)}@${digest}\n` + '```\n';
}

/** Returns the layer list item; a line that is not the item's last ends in two spaces. */
function renderLayer(layer: LayerReport): string {
  const lines = [`\t-\t${layer.digest === null ? UNKNOWN_DIGEST : `\`${layer.digest}\``}`];
  if (layer.size !== null) lines.push(`\t\tSize: ${formatSize(layer.size)}`);
  // No MIME line when none is known (a legacy `layer.tar`): repo-info would have asked the
  // registry, and inventing one would claim more than the archive says.
  if (layer.mediaType !== null) lines.push(`\t\tMIME: ${oneLine(layer.mediaType)}`);
  return lines.join('  \n') + '\n';
}

function renderDockerfile(manifest: ManifestReport): string {
  let out = '';
  for (const entry of manifest.history) {
    const date = entry.created === null ? null : formatDate(entry.created);
    if (date !== null) out += `# ${date}\n`;
    // An entry without `created_by` (e.g. `docker import`) keeps its date but adds no empty line.
    if (entry.dockerfile !== '') out += `${entry.dockerfile}\n`;
  }
  // History is printed verbatim (heredocs span lines); only a line that would close the
  // block changes anything, and then only the fence's length.
  const fence = fenceFor(out);
  return `${fence}dockerfile\n${out}${fence}\n`;
}

/** Returns the Total Size note of a manifest-less archive: uncompressed only when it is. */
function legacyNote(manifest: ManifestReport): string {
  return manifest.layers.every((l) => l.compression === 'none') ? UNCOMPRESSED_NOTE : STORED_NOTE;
}

function renderManifest(
  image: ImageReport,
  manifest: ManifestReport,
  topDigest: string | null,
  legacy: boolean,
): string {
  let out = `\n### ${codeSpan(image.ref)} - ${oneLine(manifest.platformString)}\n\n`;
  // A section repeats no pull line already given at the top (a single-manifest image).
  if (manifest.digest !== null && manifest.digest !== topDigest) {
    out += pullBlock(image.name, manifest.digest) + '\n';
  }

  if (manifest.dockerVersion) out += `-\tDocker Version: ${oneLine(manifest.dockerVersion)}\n`;
  if (manifest.mediaType !== null) out += `-\tManifest MIME: ${codeSpan(manifest.mediaType)}\n`;
  out += `-\tTotal Size: **${formatSize(manifest.totalSize)}**  \n`;
  out += `\t${legacy ? legacyNote(manifest) : COMPRESSED_NOTE}\n`;
  if (manifest.imageId !== null) out += `-\tImage ID: \`${manifest.imageId}\`\n`;
  // As repo-info: an empty Entrypoint is left out, an empty Cmd or Shell is printed (`[]`).
  if (manifest.entrypoint !== null && manifest.entrypoint.length > 0) {
    out += `-\tEntrypoint: ${codeSpan(jsonCompact(manifest.entrypoint))}\n`;
  }
  if (manifest.cmd !== null) out += `-\tDefault Command: ${codeSpan(jsonCompact(manifest.cmd))}\n`;
  if (manifest.shell !== null) out += `-\t\`SHELL\`: ${codeSpan(jsonCompact(manifest.shell))}\n`;

  out += '\n' + renderDockerfile(manifest);
  out += '\n-\tLayers:\n';
  for (const layer of manifest.layers) out += renderLayer(layer);
  return out;
}

function renderImage(image: ImageReport, report: Report): string {
  const isIndex = image.digest !== null;
  const only = image.manifests.length === 1 ? image.manifests[0] : undefined;
  // A single manifest is pulled by its own digest, given once at the top (repo-info's form).
  const topDigest = image.digest ?? only?.digest ?? null;

  let out = `## ${codeSpan(image.ref)}\n\n`;
  if (topDigest !== null) out += pullBlock(image.name, topDigest) + '\n';
  if (isIndex && image.mediaType !== null)
    out += `-\tManifest MIME: ${codeSpan(image.mediaType)}\n`;
  out += '-\tPlatforms:\n';
  for (const manifest of image.manifests) out += `\t-\t${oneLine(manifest.platformString)}\n`;

  for (const manifest of image.manifests) {
    const legacy = report.source.format === 'docker-save' && manifest.digest === null;
    out += renderManifest(image, manifest, topDigest, legacy);
  }
  return out;
}

/** Returns the report as repo-info Markdown: one `##` section per image, ending in one newline. */
export function renderMarkdown(report: Report): string {
  return report.images.map((image) => renderImage(image, report)).join('\n');
}
