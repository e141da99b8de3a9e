import { describe, expect, it } from 'vitest';
import { splitTail, windowTitle } from '../../../src/app/tab-name.ts';

describe('tab names', () => {
  it('keeps the tail whole, the head to be cut by the width', () => {
    expect(splitTail('gen-skopeo-multiarch-zstd-oci-archive:gen-multi')).toEqual([
      'gen-skopeo-multiarch-zstd-oci-archive',
      ':gen-multi',
    ]);
    expect(splitTail('a:b')).toEqual(['a:', 'b']);
  });

  it('names the window by the image', () => {
    expect(windowTitle('alpine:3.10', 'Stevedore')).toBe('alpine:3.10 — Stevedore');
    expect(windowTitle(null, 'Stevedore')).toBe('Stevedore');
  });
});
