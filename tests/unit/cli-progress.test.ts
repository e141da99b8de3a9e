import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import {
  formatBytes,
  formatEta,
  formatProgress,
  progressLine,
  type ProgressStream,
} from '../../src/cli/progress.ts';
import { fixture } from '../support/paths.ts';

/** Returns a fake stderr that records what is written to it. */
function fakeStream(isTTY: boolean, columns?: number): ProgressStream & { text: string } {
  return {
    isTTY,
    columns,
    text: '',
    write(t: string) {
      this.text += t;
      return true;
    },
  };
}

const figures = { bytesDone: 412_345_678, bytesTotal: 2_147_483_648, mbPerSecond: 187.43 };

describe('the progress line of stevedore verify', () => {
  it('formats sizes in base 1000 and times as m:ss or h:mm:ss', () => {
    expect(
      [0, 999, 1000, 4314, 999_949, 999_950, 412_345_678, 2_147_483_648].map(formatBytes),
    ).toEqual(['0 B', '999 B', '1.0 KB', '4.3 KB', '999.9 KB', '1.0 MB', '412.3 MB', '2.1 GB']);
    expect([null, 0, 9.2, 59, 60, 3599, 3600, 7322, Infinity].map(formatEta)).toEqual([
      '--:--',
      '0:00',
      '0:10',
      '0:59',
      '1:00',
      '59:59',
      '1:00:00',
      '2:02:02',
      '--:--',
    ]);
  });

  it('says bytes done of total, percent, MB/s and ETA on one line', () => {
    expect(formatProgress({ ...figures, etaSeconds: 9.3 })).toBe(
      'verifying 412.3 MB of 2.1 GB (19%), 187.4 MB/s, ETA 0:10',
    );
    expect(formatProgress({ bytesDone: 0, bytesTotal: 0, mbPerSecond: 0, etaSeconds: null })).toBe(
      'verifying 0 B of 0 B (100%), 0.0 MB/s, ETA --:--',
    );
  });

  it('redraws in place at most ten times a second and clears the line at the end', () => {
    const stream = fakeStream(true, 80);
    let t = 0;
    const line = progressLine(stream, { now: () => t })!;
    for (t = 0; t < 1000; t += 10) line.update({ ...figures, bytesDone: t, etaSeconds: 5 });
    line.clear();
    line.update({ ...figures, etaSeconds: 1 });
    const draws = stream.text.split('\r').filter(Boolean);
    expect(draws).toHaveLength(11); // t = 0, 100, …, 900, then the clearing
    expect(draws[0]).toBe('verifying 0 B of 2.1 GB (0%), 187.4 MB/s, ETA 0:05\x1b[K');
    expect(draws.at(-1)).toBe('\x1b[K');
    expect(stream.text).not.toContain('\n');
  });

  it('cuts the line to the terminal width, so that it never wraps', () => {
    const stream = fakeStream(true, 20);
    progressLine(stream)!.update({ ...figures, etaSeconds: 5 });
    expect(stream.text).toBe('\rverifying 412.3 MB \x1b[K');
  });

  it('is silent when stderr is no terminal', async () => {
    expect(progressLine(fakeStream(false))).toBeNull();
    const piped = fakeStream(false);
    const run = await main(
      ['verify', fixture('ggcr-hello-world-v25.tar')],
      () => {},
      () => {},
      piped,
    );
    expect(run).toBe(0);
    expect(piped.text).toBe('');
  });

  it('draws while verify runs on a terminal and leaves the line blank', async () => {
    const tty = fakeStream(true, 100);
    let err = '';
    const run = await main(
      ['verify', fixture('dive-test-oci-gzip-image.tar')],
      () => {},
      (t) => void (err += t),
      tty,
    );
    expect(run).toBe(0);
    expect(tty.text).toMatch(
      /^\rverifying [\d.]+ [KM]?B of [\d.]+ [KM]?B \(\d+%\), [\d.]+ MB\/s, ETA /,
    );
    expect(tty.text.endsWith('\r\x1b[K')).toBe(true);
    // The summary still goes to stderr as a line of its own.
    expect(err).toMatch(/checks passed\n$/);
  });
});
