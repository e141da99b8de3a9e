import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type ByteSource, bytesSource } from '../../../src/lib/archive/byte-source.ts';
import { openArchive } from '../../../src/lib/archive/open.ts';
import { inspectArchive } from '../../../src/lib/inspect.ts';
import { planVerification } from '../../../src/lib/verify/plan.ts';
import { verifyInProcess } from '../../../src/lib/verify/run.ts';
import { FIXTURES, countKinds } from './helpers.ts';

/** Returns the source with a count of the streams opened on it and the bytes they gave. */
function counted(inner: ByteSource) {
  const counter = { streams: 0, bytes: 0 };
  const source: ByteSource = {
    ...inner,
    stream(start, end) {
      counter.streams++;
      return inner.stream(start, end).pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, c) {
            counter.bytes += chunk.length;
            c.enqueue(chunk);
          },
        }),
      );
    },
  };
  return { source, counter };
}

const regclient = () => new Uint8Array(readFileSync(FIXTURES + 'regclient-testrepo-ocidir.tar'));

describe('a gzip-compressed archive is verified in one pass', () => {
  it('checks what the uncompressed archive checks, reading the file once after opening', async () => {
    const { source, counter } = counted(bytesSource(gzipSync(regclient()), 'regclient.tar.gz'));
    const archive = await openArchive(source);
    const report = await inspectArchive(archive);
    const opened = counter.streams;
    const plan = await planVerification(archive, report);
    expect(plan.sequential).toBe(true);
    expect(plan.bytesTotal).toBe(source.size);
    let last = { bytesDone: 0, bytesTotal: 0 };
    const { verification } = await verifyInProcess(archive, report, {
      onProgress: (p) => (last = p),
    });
    expect(verification.status).toBe('ok');
    expect(countKinds(verification.checks)).toEqual({
      reference: 91,
      'blob-digest': 91,
      'blob-size': 91,
      'diff-id': 6,
    });
    expect(counter.streams - opened).toBe(1);
    expect(last.bytesDone).toBe(source.size);
    expect(last.bytesTotal).toBe(source.size);
  });

  it('gives the blobs past a cut an error naming where reading stopped', async () => {
    const gz = gzipSync(regclient());
    const archive = await openArchive(
      bytesSource(gz.subarray(0, Math.floor(gz.length * 0.6)), 'cut.tar.gz'),
    );
    const report = await inspectArchive(archive);
    const { verification, jobs } = await verifyInProcess(archive, report);
    expect(verification.status).toBe('failed');
    const states = new Set(jobs.map((j) => j.state));
    expect([...states].every((s) => ['ok', 'missing', 'error'].includes(s))).toBe(true);
    expect(states.has('missing')).toBe(true);
    const failedReferences = verification.checks.filter((c) => c.kind === 'reference' && !c.ok);
    expect(failedReferences.length).toBeGreaterThan(0);
    for (const j of jobs.filter((j) => j.state === 'error')) {
      expect(j.detail).toMatch(/single pass/);
    }
    // Nothing that was read is doubted: every check that ran on a blob passed.
    expect(verification.checks.filter((c) => c.kind !== 'reference' && !c.ok)).toEqual([]);
  });
});
