import { describe, expect, it } from 'vitest';
import { middleEllipsis, windowTitle } from '../../../src/app/tab-name.ts';

describe('tab names', () => {
  it('shortens in the middle, keeping start and end', () => {
    expect(middleEllipsis('dive-test:latest', 36)).toBe('dive-test:latest');
    const long = 'gen-skopeo-multiarch-zstd-oci-archive:gen-multi';
    const short = middleEllipsis(long, 20);
    expect([...short]).toHaveLength(20);
    expect(short).toBe('gen-skopeo…gen-multi');
  });

  it('names the window by the image', () => {
    expect(windowTitle('alpine:3.10', 'Stevedore')).toBe('alpine:3.10 — Stevedore');
    expect(windowTitle(null, 'Stevedore')).toBe('Stevedore');
  });
});
