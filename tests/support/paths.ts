/** Where the test data lives: copies kept in the repository (sources and licences in
 * tests/fixtures/README.md), so that a clone alone runs every test. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** tests/fixtures/, with a trailing slash: real image archives; `bad/` holds broken ones. */
export const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures') + path.sep;
/** tests/reference/repo-info/, with a trailing slash: real repo-info reports. */
export const REPO_INFO = path.join(REPO_ROOT, 'tests/reference/repo-info') + path.sep;

/** Returns the absolute path of a fixture (`bad/…` for broken ones). */
export const fixture = (name: string): string => path.join(FIXTURES, name);
