/** Opening a file: its entry (hard links followed), how it is read, how it is shown. */
import { describe, expect, it } from 'vitest';
import {
  downloadName,
  fileTarget,
  hexRow,
  previewOf,
  readPlan,
  type LayerSource,
} from '../../../src/app/files/preview.ts';
import { LayerListingBuilder, type TarEntryInput } from '../../../src/lib/layers/listing.ts';
import { listingEntry } from '../../support/tar.ts';
import { mergeLayers } from '../../../src/lib/layers/merge.ts';
import { fixtureFs } from './support.ts';

const e = (name: string, over: Partial<TarEntryInput> = {}) =>
  listingEntry(name, { size: 5, ...over });

describe('fileTarget', () => {
  it("finds the layer whose entry holds a file of dive's image, as of each layer", async () => {
    const fs = await fixtureFs('dive-test-docker-image.tar');
    const saved = fs.lookup('root/saved.txt');
    expect(fileTarget(fs, saved, 13)).toMatchObject({
      layer: 13,
      path: 'root/saved.txt',
      size: 6405,
    });
    expect(fileTarget(fs, saved, 8)).toMatchObject({ layer: 7, size: 6405 });
    expect(fileTarget(fs, fs.lookup('root'), 13)).toBe('a directory has no content to show');
    expect(fileTarget(fs, fs.lookup('root/example/somefile3.txt'), 13)).toBe(
      'nothing holds this path at that layer',
    );
  });

  it('follows hard links, and says so when one points at itself or at nothing', () => {
    const b = new LayerListingBuilder();
    b.add(e('data'));
    b.add(e('link', { typeflag: '1', linkName: 'data', size: 0 }));
    b.add(e('self', { typeflag: '1', linkName: 'self', size: 0 }));
    b.add(e('lost', { typeflag: '1', linkName: 'gone', size: 0 }));
    b.add(e('sym', { typeflag: '2', linkName: 'data', size: 0 }));
    const fs = mergeLayers([b.finish()]);
    expect(fileTarget(fs, fs.lookup('link'), 0)).toMatchObject({ entry: 0, path: 'data' });
    expect(fileTarget(fs, fs.lookup('self'), 0)).toBe('a hard link to itself');
    expect(fileTarget(fs, fs.lookup('lost'), 0)).toBe('a hard link to a path that is not there');
    expect(fileTarget(fs, fs.lookup('sym'), 0)).toBe('a symbolic link has no content to show');
  });
});

describe('readPlan', () => {
  const source: LayerSource = { blob: new Blob([]), start: 1000, end: 5000, format: 'none' };
  it('slices an uncompressed layer where the offset is known, else decodes', () => {
    expect(readPlan(source, 512, 100, 'none')).toEqual({ kind: 'slice', start: 1512, end: 1612 });
    expect(readPlan(source, null, 100, 'none')).toEqual({ kind: 'decode', format: 'none' });
    expect(readPlan(source, 512, 100, 'gzip')).toEqual({ kind: 'decode', format: 'gzip' });
    // An offset that would read past the layer is not trusted.
    expect(readPlan(source, 3990, 100, 'none')).toEqual({ kind: 'decode', format: 'none' });
  });
});

describe('previewOf', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('shows UTF-8 text as text, and anything else as hex', () => {
    expect(previewOf(bytes('héllo\nworld\t!'), false)).toEqual({
      kind: 'text',
      text: 'héllo\nworld\t!',
    });
    expect(previewOf(new Uint8Array(0), false)).toEqual({ kind: 'empty' });
    expect(previewOf(bytes('a\0b'), false).kind).toBe('hex');
    expect(previewOf(new Uint8Array([0xff, 0xfe, 0x41]), false).kind).toBe('hex');
    expect(previewOf(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1, 0]), false).kind).toBe('hex');
    // A character cut in two by the preview limit is forgiven; not where the file ends so.
    const cut = bytes('ab€').subarray(0, 4);
    expect(previewOf(cut, true)).toEqual({ kind: 'text', text: 'ab' });
    expect(previewOf(cut, false).kind).toBe('hex');
  });

  it('draws hex rows with offsets and printable ASCII', () => {
    const b = new Uint8Array(20).map((_, i) => 0x41 + i);
    b[1] = 0;
    expect(hexRow(b, 0)).toBe(
      '00000000  41 00 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |A.CDEFGHIJKLMNOP|',
    );
    expect(hexRow(b, 1)).toBe(`00000010  51 52 53 54 ${' '.repeat(37)} |QRST|`);
  });
});

describe('downloadName', () => {
  it('is the base name, made safe', () => {
    expect(downloadName('etc/passwd')).toBe('passwd');
    expect(downloadName('a/b\nc:d')).toBe('b_c_d');
    expect(downloadName('')).toBe('file');
    expect(downloadName('x'.repeat(500)).length).toBe(200);
  });
});
