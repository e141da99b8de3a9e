/** Shared helpers of the verification tests. */
import { openAsBlob } from 'node:fs';
import type { Archive } from '../../../src/lib/archive/archive.ts';
import { blobSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import type { Report } from '../../../src/lib/report/model.ts';
import { nodeFileSource } from '../../../src/cli/node-source.ts';
import { type InProcessOptions, verifyInProcess } from '../../../src/lib/verify/run.ts';
import type { VerifyOutcome } from '../../../src/lib/verify/session.ts';
import { FIXTURES } from '../../support/paths.ts';

export { FIXTURES };
export const BAD = `${FIXTURES}bad/`;

/** Returns the outcome of verifying a file in this thread (hash-wasm + WebCrypto by default). */
export async function verifyFile(
  path: string,
  options: InProcessOptions = {},
): Promise<VerifyOutcome & { report: Report }> {
  const source = await nodeFileSource(path);
  try {
    const archive = await openArchive(source);
    const report = await inspectArchive(archive);
    return { ...(await verifyInProcess(archive, report, options)), report };
  } finally {
    await source.close();
  }
}

/** Returns a file opened as a Blob-backed archive (as the page opens a dropped File). */
export async function openBlobArchive(path: string): Promise<{ archive: Archive; report: Report }> {
  const blob = await openAsBlob(path);
  const archive = await openArchive(blobSource(blob, path.slice(path.lastIndexOf('/') + 1)));
  return { archive, report: await inspectArchive(archive) };
}

/** Returns the number of checks of each kind. */
export function countKinds(checks: readonly { kind: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of checks) counts[c.kind] = (counts[c.kind] ?? 0) + 1;
  return counts;
}
