/**
 * Package URLs (purl) of installed OS packages and of the image itself, encoded as the purl
 * specification's "Characters and encoding" says: UTF-8, every octet outside the
 * alphanumerics, `.-_~` and the colon percent-encoded (`+` is `%2B`, `/` in a qualifier value
 * `%2F`, a space `%20`), qualifier keys lowercase and sorted, empty values dropped; and each
 * type's case rules (apk, deb: namespace and name lowercase; rpm: namespace lowercase; oci:
 * name lowercase). packageurl-js 2.0.1 was tried and left: it keeps `+` in versions and
 * encodes `:` and `~` in qualifier values, which the spec's own tests reject
 * (`pkg:deb/debian/attr@1:2.4.47-2%2Bb1`).
 *
 * What goes where, per the purl types:
 * - `pkg:apk/<distro id>/<name>@<version>?arch=…&distro=<id>-<version id>`
 * - `pkg:deb/<distro id>/<name>@<version>?arch=…&distro=…`: the epoch stays in the version
 *   (`1:2.38.1-5`), as dpkg writes it;
 * - `pkg:rpm/<distro id>/<name>@<version>-<release>?arch=…&distro=…&epoch=N`: rpm's epoch is
 *   the `epoch` qualifier, never in the version;
 * - `pkg:oci/<last name segment>@<manifest digest>?arch=…&repository_url=…&tag=…`.
 * The namespace (vendor) is the os-release ID; where the image has no os-release there is none.
 */
import type { PackageRecord } from '../packages/by-layer.ts';
import type { Distro } from '../packages/model.ts';

/** Returns the `distro` qualifier: `<ID>-<VERSION_ID>` (`debian-12`, `alpine-3.18.4`), the ID
 * alone when the version is unknown, null without an os-release. */
export function distroQualifier(distro: Distro | null): string | null {
  if (!distro?.id) return null;
  return distro.versionId ? `${distro.id}-${distro.versionId}` : distro.id;
}

/** Returns the purl of an installed package, or null for an empty name. */
export function packagePurl(record: PackageRecord, distro: Distro | null): string | null {
  const qualifiers: Record<string, string> = {};
  if (record.arch) qualifiers.arch = record.arch;
  const d = distroQualifier(distro);
  if (d) qualifiers.distro = d;
  let version = record.version;
  if (record.type === 'rpm') {
    // by-layer's rpm version is `[epoch:]version-release`; the purl keeps epoch apart.
    const detail = record.detail as { version: string | null; release: string | null };
    version =
      detail.version === null
        ? null
        : detail.release === null
          ? detail.version
          : `${detail.version}-${detail.release}`;
    if (record.epoch !== null) qualifiers.epoch = String(record.epoch);
  }
  return purl(record.type, distro?.id?.toLowerCase() || null, record.name, version, qualifiers);
}

/** What the image purl is made from. */
export interface ImageNaming {
  /** The repository (`python`, `ghcr.io/org/app`); null for an unnamed image. */
  name: string | null;
  /** The reference shown (`python:3-alpine3.9`), the file stem for an unnamed image. */
  ref: string;
  /** The manifest digest; null for a legacy save, which has no manifest. */
  digest: string | null;
  architecture: string | null;
}

/** Returns the `pkg:oci` purl of the image: name the repository's last segment (lowercased, as
 * the type says), version the manifest digest, `repository_url` the repository as Docker
 * expands it (`python` → `docker.io/library/python`), `tag` the reference's tag. */
export function imagePurl(image: ImageNaming): string | null {
  const qualifiers: Record<string, string> = {};
  if (image.architecture) qualifiers.arch = image.architecture;
  // An unnamed image's ref is the archive's own label: its name without a tag, nothing else.
  let name = image.ref.replace(/:[^/:]*$/, '');
  if (image.name) {
    name = image.name.slice(image.name.lastIndexOf('/') + 1);
    qualifiers.repository_url = dockerRepository(image.name);
    const rest = image.ref.startsWith(image.name) ? image.ref.slice(image.name.length) : '';
    if (rest.startsWith(':')) qualifiers.tag = rest.slice(1);
  }
  return purl('oci', null, name, image.digest, qualifiers);
}

/** Returns a repository name as Docker expands it: a first segment without `.` or `:` (and
 * not `localhost`) is a Docker Hub path, a single segment an official image. */
export function dockerRepository(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost'))
    return name;
  return slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
}

/** Returns a purl component percent-encoded (the spec's allowed set, plus the colon). */
export function encodePurlComponent(text: string): string {
  let out = '';
  for (const byte of utf8.encode(text)) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9.\-_~:]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const utf8 = new TextEncoder();

/** Types whose namespace and name are case-insensitive (lowercased); rpm's name is not. */
const LOWER_NAME = new Set(['apk', 'deb', 'oci']);

/** Returns a purl from its parts; null for an empty name (the spec requires one). */
export function purl(
  type: string,
  namespace: string | null,
  name: string,
  version: string | null,
  qualifiers: Record<string, string>,
): string | null {
  if (name === '') return null;
  const n = LOWER_NAME.has(type) ? name.toLowerCase() : name;
  const segments = (namespace ?? '')
    .toLowerCase()
    .split('/')
    .filter((s) => s !== '');
  let out = `pkg:${type}/`;
  for (const s of segments) out += `${encodePurlComponent(s)}/`;
  out += encodePurlComponent(n);
  if (version !== null && version !== '') out += `@${encodePurlComponent(version)}`;
  const keys = Object.keys(qualifiers)
    .filter((k) => qualifiers[k] !== '')
    .sort();
  if (keys.length > 0)
    out += `?${keys.map((k) => `${k.toLowerCase()}=${encodePurlComponent(qualifiers[k]!)}`).join('&')}`;
  return out;
}
