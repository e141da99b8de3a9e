/** The words of a verdict that the CLI and the page share. */
import type { Report } from '../report/model.ts';
import { platformPath } from './references.ts';

/** Returns "incomplete: 19 of 20 platforms not included" for a partial save (of the platform
 * asked for, when one is); null when every platform shown is in the archive. */
export function incompleteness(report: Report, platform: string | null): string | null {
  const images = report.images.flatMap((i) => i.manifests).filter((m) => m.kind === 'image');
  const shown = platform ? images.filter((m) => platformPath(m.platform) === platform) : images;
  const absent = shown.filter((m) => !m.included).length;
  if (platform && shown.length === 0)
    return `incomplete: no manifest of ${platform} in the archive`;
  if (absent === 0) return null;
  return `incomplete: ${absent} of ${shown.length} platform${shown.length === 1 ? '' : 's'} not included in this archive`;
}
