/**
 * The CycloneDX 1.6 JSON BOM of one platform: the image is `metadata.component` (type
 * `container`), the distro an `operating-system` component (grype reads the distro from it),
 * each OS package a `library` component with its purl and licences: one SPDX expression when
 * every licence parses, else one entry per licence, `license.id` for a plain id CycloneDX
 * knows and `license.name` for the rest (the two forms cannot be mixed).
 */
import { CYCLONEDX_LICENCE_IDS } from './generated/cyclonedx-licence-ids.js';
import { type SbomFacts, derivedUuid, layerOf } from './input.ts';
import { classifyLicences, type Licence } from './licences.ts';
import { imagePurl, packagePurl } from './purl.ts';

/** Returns the CycloneDX 1.6 BOM (a plain object, in the order it is written). */
export function cyclonedxDocument(facts: SbomFacts): Record<string, unknown> {
  const { input, distro, records, platform, identity, timestamp } = facts;
  const { image, manifest, tool } = input;
  const refs = new Set<string>();
  const unique = (ref: string) => {
    let r = ref;
    for (let n = 2; refs.has(r); n++) r = `${ref}#${n}`;
    refs.add(r);
    return r;
  };
  const rootPurl = imagePurl({
    name: image.name,
    ref: image.ref,
    digest: manifest.digest,
    architecture: manifest.platform.architecture,
  });
  const hash = manifest.digest ? /^sha256:([0-9a-f]{64})$/.exec(manifest.digest) : null;
  const root = {
    type: 'container',
    'bom-ref': unique(rootPurl ?? 'image'),
    name: image.ref,
    ...(manifest.digest ? { version: manifest.digest } : {}),
    ...(hash ? { hashes: [{ alg: 'SHA-256', content: hash[1]! }] } : {}),
    ...(rootPurl ? { purl: rootPurl } : {}),
    properties: props([
      ['stevedore:image:platform', platform || null],
      ['stevedore:image:id', manifest.imageId],
      ['stevedore:image:created', manifest.created],
    ]),
  };
  const components: Record<string, unknown>[] = [];
  if (distro?.id)
    components.push({
      type: 'operating-system',
      'bom-ref': unique(`os:${distro.id}${distro.versionId ? `@${distro.versionId}` : ''}`),
      name: distro.id,
      ...(distro.versionId ? { version: distro.versionId } : {}),
      ...(distro.prettyName ? { description: distro.prettyName } : {}),
    });
  for (const r of records) {
    const purl = packagePurl(r, distro);
    const licenses = cdxLicences(classifyLicences(r.licences));
    const layer = layerOf(facts, r);
    components.push({
      type: 'library',
      'bom-ref': unique(purl ?? `${r.type}:${r.name}`),
      name: r.name,
      ...(r.version !== null ? { version: r.version } : {}),
      ...(licenses ? { licenses } : {}),
      ...(purl ? { purl } : {}),
      properties: props([
        ['stevedore:package:type', r.type],
        ['stevedore:package:arch', r.arch],
        ['stevedore:package:source', r.source],
        ['stevedore:package:database', r.file],
        ['stevedore:package:installed-size', r.size === null ? null : String(r.size)],
        ['stevedore:package:layer', layer ? String(layer.number) : null],
        ['stevedore:package:layer-diff-id', layer?.diffId ?? null],
      ]),
    });
  }
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${derivedUuid(identity)}`,
    version: 1,
    metadata: {
      timestamp,
      tools: { components: [{ type: 'application', name: tool.name, version: tool.version }] },
      component: root,
    },
    components,
  };
}

/** Returns CycloneDX's licence choice, or null when the package names none. */
function cdxLicences(licences: Licence[]): Record<string, unknown>[] | null {
  if (licences.length === 0) return null;
  if (licences.every((l) => 'expression' in l)) {
    const only = licences.length === 1 ? licences[0]! : null;
    if (
      only &&
      'expression' in only &&
      !only.compound &&
      CYCLONEDX_LICENCE_IDS.has(only.expression)
    )
      return [{ license: { id: only.expression } }];
    const joined = licences
      .map((l) =>
        'expression' in l && l.compound && licences.length > 1
          ? `(${l.expression})`
          : (l as { expression: string }).expression,
      )
      .join(' AND ');
    return [{ expression: joined }];
  }
  return licences.map((l) =>
    'expression' in l && !l.compound && CYCLONEDX_LICENCE_IDS.has(l.expression)
      ? { license: { id: l.expression } }
      : { license: { name: 'name' in l ? l.name : l.expression } },
  );
}

function props(pairs: [string, string | null][]): { name: string; value: string }[] {
  return pairs
    .filter((p): p is [string, string] => p[1] !== null)
    .map(([name, value]) => ({ name, value }));
}
