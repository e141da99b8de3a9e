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
import { fileStem } from '../oci/reference.ts';
import { oneLine, visible } from '../text.ts';
import { formatDate, formatSize, jsonCompact } from './format.ts';
import type { ImageReport, LayerReport, ManifestReport, Report } from './model.ts';

const COMPRESSED_NOTE = '(compressed transfer size, not on-disk size)';
// Our wording (DESIGN.md asks for a plain statement): a legacy archive stores each layer as
// an uncompressed tar, so its "size" is neither what a registry transfers nor what a disk holds.
const UNCOMPRESSED_NOTE = '(uncompressed layer tar size from a legacy docker save archive)';
// A legacy-layout archive whose layers are compressed (kaniko, go-containerregistry tarballs).
const STORED_NOTE = '(size of the layer files as stored in the archive, which has no manifest)';
// An archive with a manifest whose layers are stored uncompressed (Docker 25+ `docker save`,
// `--output type=oci,compression=uncompressed`): what a registry would transfer is not known.
const UNCOMPRESSED_OCI_NOTE = '(uncompressed layer tar size as stored in the archive)';
// Some layers compressed, some not: the sum is neither transfer nor tar size.
const MIXED_NOTE = '(size of the layers as stored in the archive, some of them uncompressed)';
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

// Text that means nothing to CommonMark, GFM or a linkifier wherever it sits on a line: no
// emphasis, entity, HTML, link, image, autolink or table character, no `//` (a linkifier's
// protocol-relative link) and no `www.` (GFM's autolink). Every value repo-info prints bare
// (`linux; arm64 variant v8`, `18.06.1-ce`, `application/vnd.oci.image.layer.v1.tar+gzip`)
// passes, so ordinary reports print exactly as repo-info's do.
const PLAIN = /^[A-Za-z0-9]([A-Za-z0-9 ,;+/.-]*[A-Za-z0-9,;+/.-])?$/;
const LINKISH = /\/\/|www\./i;

/** Returns `value` as plain Markdown text where it holds nothing Markdown would read, else as
 * a code span. `atStart`: the value begins a block (a list item's text), where a leading
 * digit could start an ordered list, so only a letter may lead. */
export function plainText(value: string, atStart = false): string {
  const plain = PLAIN.test(value) && !LINKISH.test(value) && !/ {2}/.test(value);
  if (plain && (!atStart || /^[A-Za-z]/.test(value))) return value;
  return codeSpan(value);
}

/** Returns the fence for a code block whose lines may themselves start with backticks. */
function fenceFor(body: string): string {
  const runs = body.match(/^ {0,3}`{3,}/gm) ?? [];
  const longest = Math.max(2, ...runs.map((run) => run.trimStart().length));
  return '`'.repeat(longest + 1);
}

function pullBlock(name: string, digest: string): string {
  return '```console\n' + `$ docker pull ${oneLine(name)}@${oneLine(digest)}\n` + '```\n';
}

/** Returns the layer list item; a line that is not the item's last ends in two spaces. */
function renderLayer(layer: LayerReport): string {
  const lines = [`\t-\t${layer.digest === null ? UNKNOWN_DIGEST : codeSpan(layer.digest)}`];
  if (layer.size !== null) lines.push(`\t\tSize: ${formatSize(layer.size)}`);
  // No MIME line when none is known (a legacy `layer.tar`): repo-info would have asked the
  // registry, and inventing one would claim more than the archive says.
  if (layer.mediaType !== null) lines.push(`\t\tMIME: ${plainText(layer.mediaType)}`);
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
  const body = visible(out);
  const fence = fenceFor(body);
  return `${fence}dockerfile\n${body}${fence}\n`;
}

/** Returns the Total Size note: repo-info's "compressed transfer size" only where no layer is
 * known to be stored uncompressed; a manifest-less archive says what its files are. */
export function sizeNote(manifest: ManifestReport, legacy: boolean): string {
  const uncompressed = manifest.layers.filter((l) => l.compression === 'none').length;
  if (legacy) return uncompressed === manifest.layers.length ? UNCOMPRESSED_NOTE : STORED_NOTE;
  // Attestation layers (no compression: not a layer tar) and layers not yet sniffed keep
  // repo-info's wording, as in its own reports.
  if (uncompressed === 0) return COMPRESSED_NOTE;
  return uncompressed === manifest.layers.length ? UNCOMPRESSED_OCI_NOTE : MIXED_NOTE;
}

function renderManifest(
  image: ImageReport,
  manifest: ManifestReport,
  topDigest: string | null,
  legacy: boolean,
): string {
  let out = `\n### ${codeSpan(image.ref)} - ${plainText(manifest.platformString)}\n\n`;
  if (!manifest.included) {
    // A partial save (Docker's containerd store, `ctr export`): the index lists the platform,
    // the archive does not hold it. Nothing else is known; no 0.0 B section is made up.
    const digest = manifest.digest === null ? '' : ` (${codeSpan(manifest.digest)})`;
    return `${out}-\tNot included in this archive: the index lists this manifest${digest}, the archive does not hold it\n`;
  }
  // A section repeats no pull line already given at the top (a single-manifest image).
  if (manifest.digest !== null && manifest.digest !== topDigest) {
    // No pull line for an image the archive gives no name (DESIGN.md), nor for what is not
    // a runnable image (attestations, artifacts).
    if (image.name !== null && manifest.kind === 'image')
      out += pullBlock(image.name, manifest.digest) + '\n';
  }

  if (manifest.dockerVersion) out += `-\tDocker Version: ${plainText(manifest.dockerVersion)}\n`;
  if (manifest.mediaType !== null) out += `-\tManifest MIME: ${codeSpan(manifest.mediaType)}\n`;
  out += `-\tTotal Size: **${formatSize(manifest.totalSize)}**  \n`;
  out += `\t${sizeNote(manifest, legacy)}\n`;
  if (manifest.imageId !== null) out += `-\tImage ID: ${codeSpan(manifest.imageId)}\n`;
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

/** Returns the `##` heading: the image's reference; where the archive names no repository,
 * the file name, said to be one (DESIGN.md: no invented repository). */
function heading(image: ImageReport, report: Report): string {
  if (image.name !== null) return codeSpan(image.ref);
  const file = report.source.name;
  const stem = fileStem(file);
  if (image.ref.startsWith(`${stem}:`)) {
    const tag = image.ref.slice(stem.length + 1);
    return `${codeSpan(tag)} in ${codeSpan(file)} (a tag only: the archive names no repository)`;
  }
  return `${codeSpan(file)} (the file name: the archive names no image)`;
}

function renderImage(image: ImageReport, report: Report): string {
  const isIndex = image.digest !== null;
  const only = image.manifests.length === 1 ? image.manifests[0] : undefined;
  // A single manifest is pulled by its own digest, given once at the top (repo-info's form).
  const topDigest = image.digest ?? only?.digest ?? null;

  let out = `## ${heading(image, report)}\n\n`;
  const runnable = !only || only.kind === 'image';
  if (topDigest !== null && image.name !== null && runnable)
    out += pullBlock(image.name, topDigest) + '\n';
  if (isIndex && image.mediaType !== null)
    out += `-\tManifest MIME: ${codeSpan(image.mediaType)}\n`;
  out += '-\tPlatforms:\n';
  for (const manifest of image.manifests)
    out += `\t-\t${plainText(manifest.platformString, true)}\n`;

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
