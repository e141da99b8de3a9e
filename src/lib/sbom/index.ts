/**
 * SBOM export, one entry point for the CLI and the page:
 *
 *   sbomJson('spdx-json' | 'cyclonedx-json', input): string
 *
 * `input` (SbomInput) is what both have after a listing: the report's ImageReport and the
 * chosen platform's ManifestReport, the packages (readImagePackages' result, or
 * packagesByLayer's to add each package's layer) and the tool's name and version. The text is
 * JSON with two-space indents and a final newline, the same bytes for the same input: no
 * random UUID, no clock (see input.ts). This signature is kept stable.
 *
 * For the page's download to equal `stevedore-image sbom` byte for byte, pass what the CLI
 * passes (src/cli/sbom.ts): packagesByLayer's result (the layer of each package is written
 * too) and `{ name: 'stevedore-image', version }` of package.json; the ManifestReport's
 * `created` must be the config's (a report past its config-text budget has it null).
 */
import { cyclonedxDocument } from './cyclonedx.ts';
import { type SbomInput, sbomFacts } from './input.ts';
import { spdxDocument } from './spdx.ts';

export type { SbomInput } from './input.ts';

/** The SBOM formats written. */
export type SbomFormat = 'spdx-json' | 'cyclonedx-json';

/** The formats, for option parsing. */
export const SBOM_FORMATS: readonly SbomFormat[] = ['spdx-json', 'cyclonedx-json'];

/** Returns the SBOM document of one platform as JSON text. */
export function sbomJson(format: SbomFormat, input: SbomInput): string {
  return `${JSON.stringify(sbomDocument(format, input), null, 2)}\n`;
}

/** Returns the SBOM document of one platform as a plain object. */
export function sbomDocument(format: SbomFormat, input: SbomInput): Record<string, unknown> {
  const facts = sbomFacts(input);
  return format === 'spdx-json' ? spdxDocument(facts) : cyclonedxDocument(facts);
}

/** Returns the file name a download should have: `<ref>_<os-arch>.spdx.json` /
 * `.cdx.json`, characters unsafe in file names made `_`. */
export function sbomFileName(format: SbomFormat, input: SbomInput): string {
  const p = input.manifest.platform;
  const platform = [p.os, p.architecture, p.variant].filter(Boolean).join('-');
  const stem = `${input.image.ref}${platform ? `_${platform}` : ''}`.replace(
    /[^A-Za-z0-9._-]+/g,
    '_',
  );
  return `${stem}.${format === 'spdx-json' ? 'spdx' : 'cdx'}.json`;
}
