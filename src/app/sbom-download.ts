/**
 * The Packages section's SBOM downloads: the same document `stevedore-image sbom` prints for
 * the platform, byte for byte (the same writer, input and tool name and version; see
 * src/lib/sbom/index.ts), checked against its official schema before it is offered. The
 * writers and the compiled schema checks (~1 MB, most of it CycloneDX's) are loaded on the
 * first click, not with the page.
 */
import { version } from '../../package.json';
import type { LayeredPackages } from '../lib/packages/by-layer.ts';
import type { ImageReport, ManifestReport } from '../lib/report/model.ts';
import type { SbomFormat } from '../lib/sbom/index.ts';

/** The downloads offered, in order, with their buttons' text. */
export const SBOM_CHOICES: readonly { format: SbomFormat; label: string }[] = [
  { format: 'spdx-json', label: 'Download SPDX 2.3 JSON' },
  { format: 'cyclonedx-json', label: 'Download CycloneDX 1.6 JSON' },
];

/** The tool the documents name: the CLI's own name and version, so both write the same bytes. */
export const SBOM_TOOL = { name: 'stevedore-image', version } as const;

/** Returns the SBOM of one platform as a file to save; throws, naming the place, when the
 * document would break its schema (a bug of ours, never the archive's). */
export async function sbomFile(
  format: SbomFormat,
  image: ImageReport,
  manifest: ManifestReport,
  packages: LayeredPackages,
): Promise<{ name: string; text: string }> {
  const [{ sbomDocument, sbomFileName }, { validateSbom }] = await Promise.all([
    import('../lib/sbom/index.ts'),
    import('../lib/sbom/validate.ts'),
  ]);
  const input = { image, manifest, packages, tool: SBOM_TOOL };
  const document = sbomDocument(format, input);
  const invalid = validateSbom(format, document)[0];
  if (invalid)
    throw new Error(
      `the ${format === 'spdx-json' ? 'SPDX' : 'CycloneDX'} document would break its schema at ${invalid.path} (${invalid.message}); this is a bug in Stevedore, not in the archive`,
    );
  return { name: sbomFileName(format, input), text: `${JSON.stringify(document, null, 2)}\n` };
}
