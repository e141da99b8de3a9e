/** The tool an SBOM names as its writer: this package's name and version (package.json), the
 * same in `stevedore-image sbom` and the page's downloads, so that both write the same bytes. */
import { name, version } from '../../../package.json' with { type: 'json' };

export const STEVEDORE_TOOL: { name: string; version: string } = { name, version };
