/** Shared helpers of the core ground-truth tests. */
import { nodeFileSource } from '../../../src/cli/node-source.ts';
import { countingSource } from '../../../src/lib/archive/byte-source.ts';
import { inspectSource } from '../../../src/lib/inspect.ts';
import type { Report } from '../../../src/lib/report/model.ts';
import { FIXTURES } from '../../support/paths.ts';

export { FIXTURES };
export const BAD = `${FIXTURES}bad/`;

/** Returns the report of a file, and how many bytes opening it read. */
export async function inspectFile(path: string): Promise<{ report: Report; bytesRead: number }> {
  const src = await nodeFileSource(path);
  const counter = { bytes: 0, reads: 0 };
  try {
    const report = await inspectSource(countingSource(src, counter));
    return { report, bytesRead: counter.bytes };
  } finally {
    await src.close();
  }
}

/** Returns what inspectSource threw for a file, or the report when it did not throw. */
export async function inspectOutcome(
  path: string,
): Promise<{ error: unknown; report: Report | null }> {
  try {
    return { error: null, report: (await inspectFile(path)).report };
  } catch (error) {
    return { error, report: null };
  }
}

export { runCli } from '../../support/cli.ts';
