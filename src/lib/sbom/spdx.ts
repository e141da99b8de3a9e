/**
 * The SPDX 2.3 JSON document of one platform: the image is the package the document
 * DESCRIBES and CONTAINS every OS package (and the distro, as an OPERATING-SYSTEM package);
 * each package has its purl as a PACKAGE-MANAGER external reference and its licences as
 * `licenseDeclared` (named ones as `LicenseRef-…` defined in hasExtractedLicensingInfos).
 * Nothing is concluded: `licenseConcluded` and `copyrightText` are NOASSERTION, and no file
 * is analysed.
 */
import { distroQualifier, imagePurl, packagePurl } from './purl.ts';
import { type SbomFacts, layerOf } from './input.ts';
import { classifyLicences, LicenceRefs, spdxExpression } from './licences.ts';

const NOASSERTION = 'NOASSERTION';

/** Returns the SPDX 2.3 document (a plain object, in the order it is written). */
export function spdxDocument(facts: SbomFacts): Record<string, unknown> {
  const { input, distro, records, platform, identity, timestamp } = facts;
  const { image, manifest, tool } = input;
  const refs = new LicenceRefs();
  const root = 'SPDXRef-Image';
  const rootPurl = imagePurl({
    name: image.name,
    ref: image.ref,
    digest: manifest.digest,
    architecture: manifest.platform.architecture,
  });
  const checksums = [manifest.digest]
    .map((d) => (d ? /^sha256:([0-9a-f]{64})$/.exec(d) : null))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ algorithm: 'SHA256', checksumValue: m[1]! }));
  const packages: Record<string, unknown>[] = [
    {
      name: image.ref,
      SPDXID: root,
      ...(manifest.digest ? { versionInfo: manifest.digest } : {}),
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      ...(checksums.length > 0 ? { checksums } : {}),
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
      ...(rootPurl ? { externalRefs: [purlRef(rootPurl)] } : {}),
      primaryPackagePurpose: 'CONTAINER',
      comment: [
        `platform ${platform || 'unknown'}`,
        manifest.imageId ? `image ID ${manifest.imageId}` : null,
        manifest.digest ? `manifest digest ${manifest.digest}` : null,
      ]
        .filter(Boolean)
        .join('; '),
    },
  ];
  const relationships: Record<string, string>[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: root },
  ];
  if (distro?.id) {
    const id = 'SPDXRef-OperatingSystem';
    packages.push({
      name: distro.id,
      SPDXID: id,
      ...(distro.versionId ? { versionInfo: distro.versionId } : {}),
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
      primaryPackagePurpose: 'OPERATING-SYSTEM',
      ...(distro.prettyName ? { description: distro.prettyName } : {}),
      comment: `from os-release (distro qualifier ${distroQualifier(distro)})`,
    });
    relationships.push({
      spdxElementId: root,
      relationshipType: 'CONTAINS',
      relatedSpdxElement: id,
    });
  }
  records.forEach((r, i) => {
    const id = `SPDXRef-Package-${r.type}-${idPart(r.name)}-${i + 1}`;
    const purl = packagePurl(r, distro);
    const declared = spdxExpression(classifyLicences(r.licences), refs);
    const layer = layerOf(facts, r);
    packages.push({
      name: r.name,
      SPDXID: id,
      ...(r.version !== null ? { versionInfo: r.version } : {}),
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: declared ?? NOASSERTION,
      copyrightText: NOASSERTION,
      ...(purl ? { externalRefs: [purlRef(purl)] } : {}),
      ...(r.source ? { sourceInfo: `source package: ${r.source}` } : {}),
      comment: [
        `read from ${r.file}`,
        layer ? `layer ${layer.number}${layer.diffId ? ` (${layer.diffId})` : ''}` : null,
        r.arch ? `arch ${r.arch}` : null,
      ]
        .filter(Boolean)
        .join('; '),
    });
    relationships.push({
      spdxElementId: root,
      relationshipType: 'CONTAINS',
      relatedSpdxElement: id,
    });
  });
  const extracted = refs.entries().map(([licenseId, name]) => ({
    licenseId,
    name,
    extractedText: name,
    comment:
      'The licence as the package database (or Debian copyright file) names it; not an SPDX licence expression.',
  }));
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: platform ? `${image.ref} (${platform})` : image.ref,
    documentNamespace: `https://stevedore-image.invalid/spdx/${identity[0]}/${identity[1]}`,
    creationInfo: {
      created: timestamp,
      creators: [`Tool: ${tool.name}-${tool.version}`],
      comment:
        "Written offline from the package databases in the image layers. The creation date is the image's created date, so that the same image always gives the same document.",
    },
    packages,
    relationships,
    ...(extracted.length > 0 ? { hasExtractedLicensingInfos: extracted } : {}),
  };
}

function purlRef(purl: string) {
  return { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl };
}

/** Returns a name as SPDX id characters ([A-Za-z0-9.-]), at most 40 of them. */
function idPart(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'unnamed'
  );
}
