/** Test-only: the readers of src/lib/packages on a fixture's merged filesystem, through the
 * same entry point the integration uses (readImagePackages). */
import { readImagePackages } from '../../../src/lib/packages/read.ts';
import type { Rootfs } from './extract.ts';

/** Returns everything the readers find in a root filesystem. */
export function readRootfs(fs: Rootfs, platformArch: string | null = 'amd64') {
  return readImagePackages({ read: (p) => fs.read(p), list: (d) => fs.list(d) }, platformArch);
}
