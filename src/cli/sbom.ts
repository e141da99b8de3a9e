/**
 * `stevedore sbom <archive> --format spdx-json|cyclonedx-json [--platform …]`: the SBOM of one
 * platform on stdout, from the same read `stevedore packages` does (layers verified and their
 * package files kept as they are hashed), written by src/lib/sbom's sbomJson, the function the
 * page calls too, and checked against the official schema before it is printed. Exit codes as
 * `packages`: 0 written, 1 verification failed (the SBOM is still written), 2 nothing could be
 * listed; a document that breaks its schema is a bug of ours, printed as such with exit 2.
 */
import type { Image } from '../lib/oci/model.ts';
import { manifestReport } from '../lib/report/build.ts';
import type { ImageReport } from '../lib/report/model.ts';
import { type SbomFormat, SBOM_FORMATS, sbomDocument } from '../lib/sbom/index.ts';
import { STEVEDORE_TOOL } from '../lib/sbom/tool.ts';
import { validateSbom } from '../lib/sbom/validate.ts';
import {
  escapeName,
  listImage,
  platformOption,
  runListingCommand,
  runNotes,
  splitArgs,
  verificationFailed,
} from './list-layers.ts';
import { packagesOf } from './packages.ts';

export const SBOM_USAGE = `       stevedore-image sbom <archive> --format spdx-json|cyclonedx-json [--platform os/arch[/variant]]`;

interface SbomOptions {
  path: string;
  platform: string | null;
  format: SbomFormat;
}

/** Returns the parsed options of `sbom` (argv after the command), or an error message. */
export function parseSbomArgs(argv: readonly string[]): SbomOptions | string {
  const a = splitArgs(argv, ['platform', 'format'], []);
  if (typeof a === 'string') return a === 'needs an archive path' ? `sbom ${a}` : a;
  const platform = platformOption(a.values);
  if (platform && typeof platform === 'object') return platform.error;
  const format = a.values.get('format');
  if (format === undefined) return `sbom needs --format ${SBOM_FORMATS.join(' or ')}`;
  if (!(SBOM_FORMATS as readonly string[]).includes(format))
    return `--format takes ${SBOM_FORMATS.join(' or ')}, not ${JSON.stringify(format)}`;
  return { path: a.path, platform, format: format as SbomFormat };
}

/** Returns the report's view of an image (what the page has), every manifest included. */
export function imageReportOf(image: Image): ImageReport {
  const index = image.root.type === 'index' ? image.root : null;
  return {
    ref: image.ref,
    name: image.name,
    digest: index?.blob.descriptor?.digest ?? null,
    mediaType: index?.mediaType ?? null,
    manifests: image.manifests.map((m) => manifestReport(m)),
  };
}

/** Runs `stevedore sbom`; returns the exit code. */
export async function sbomCommand(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  return runListingCommand(argv, SBOM_USAGE, parseSbomArgs, err, async (archive, o) => {
    const listed = await listImage(archive, o.platform, undefined, { keep: true });
    for (const n of runNotes(listed, o.platform)) err(`stevedore: ${escapeName(n)}\n`);
    const found = packagesOf(listed);
    for (const p of found.problems)
      err(`stevedore: problem: ${escapeName(`${p.where ?? ''}: ${p.message}`)}\n`);
    const image = imageReportOf(listed.image);
    const manifest = image.manifests[listed.image.manifests.indexOf(listed.manifest)]!;
    const input = {
      image,
      manifest,
      packages: found,
      tool: STEVEDORE_TOOL,
    };
    const doc = sbomDocument(o.format, input);
    const invalid = validateSbom(o.format, doc);
    if (invalid.length > 0) {
      const e = invalid[0]!;
      err(
        `stevedore: internal error: the ${o.format} document breaks its schema at ${escapeName(e.path)}: ${escapeName(e.message)}\n`,
      );
      return 2;
    }
    out(`${JSON.stringify(doc, null, 2)}\n`);
    return verificationFailed(listed) ? 1 : 0;
  });
}
