/**
 * The path search walks the merged tree's rows with byte comparisons instead of testing every
 * whole path: on dive's test image and on a tree of awkward names built here, every query gives
 * the same paths as picomatch's expression (or the Unicode case-insensitive text) on whole paths.
 */
import { describe, expect, it } from 'vitest';
import { pathQuery, searchPaths, type PathQuery } from '../../../src/app/files/path-search.ts';
import { LayerListingBuilder } from '../../../src/lib/layers/listing.ts';
import { mergeLayers, type MergedFilesystem } from '../../../src/lib/layers/merge.ts';
import { fixtureFs } from './support.ts';
import { listingEntry } from '../../support/tar.ts';

/** A tree of names a byte comparison could get wrong: case, Unicode folding (the Kelvin sign
 * folds to k, ſ to s), multi-byte letters, dots, line breaks, brackets in names. */
function awkwardFs(): MergedFilesystem {
  const b = new LayerListingBuilder();
  for (const name of [
    'usr/lib/libc.so',
    'usr/lib/libc.so.6',
    'usr/lib/x86_64/libm.so',
    'usr/LIB/Libz.SO',
    'usr/share/doc/README',
    'opt/\u212Aelvin/data.bin',
    'opt/kelvin/data.bin',
    'opt/Straße/ſtrasse.txt',
    'opt/größe/ÄRGER.md',
    'srv/d0123/f0123456.txt',
    'srv/d0123/f0123457.txt',
    'srv/xd0123/f0123456.txt',
    'two\nlines/inner.txt',
    'brackets/[a]/b.txt',
    '.hidden/.dot/file',
    'a/b/a/b/c',
  ])
    b.add(listingEntry(name));
  return mergeLayers([b.finish()]);
}

const QUERIES = [
  // globs
  '*',
  '**',
  '*.so',
  '**/*.so',
  'usr/**',
  'usr/lib/*',
  'usr/**/lib*.so',
  'usr/*/x86_64/*',
  '**/lib/**',
  '**/f0123456.txt',
  '**/f012345?.txt',
  'srv/d0123/*',
  '**/d0123/**',
  'opt/*/data.bin',
  '**/ÄRGER.*',
  '*.{so,SO}',
  'usr/{lib,LIB}/*',
  '**/[a]/*',
  '**/[lL]ib*',
  'two*/*',
  '.hidden/**',
  'a/**/b',
  'a/**/b/**',
  '**/b/c',
  'usr/lib*/',
  // texts
  'lib',
  'LIB',
  'usr/lib',
  'b/a/b',
  'd0123/f0123456',
  'r/lib/libc',
  'kelvin',
  'KELVIN/data',
  'strasse',
  'STRASSE',
  'größe/ä',
  'GRÖSSE',
  'lines/in',
  'two\nlines',
  'lib/',
  'data.bin',
  'a.b',
  'x86_64/',
];

const wholePaths = (q: PathQuery): PathQuery => ({ ...q, steps: null });

describe('searchPaths', () => {
  it('gives the paths whole-path matching gives, glob or text', async () => {
    for (const fs of [awkwardFs(), await fixtureFs('dive-test-docker-image.tar')]) {
      const top = fs.layers.length - 1;
      for (const text of QUERIES) {
        const q = pathQuery(text)!;
        const walked = searchPaths(fs, top, q);
        const whole = searchPaths(fs, top, wholePaths(q));
        expect(
          walked.hits.map((h) => h.path),
          text,
        ).toEqual(whole.hits.map((h) => h.path));
        expect(walked.matching, text).toBe(whole.matching);
      }
    }
  });

  it('walks the rows for plain globs and every text, and whole paths for the rest', () => {
    expect(pathQuery('usr/**/*.so')!.steps?.kind).toBe('glob');
    expect(pathQuery('*.so')!.steps?.kind).toBe('glob');
    expect(pathQuery('d0123/f0123456')!.steps?.kind).toBe('text');
    expect(pathQuery('usr/{lib,bin}/*')!.steps).toBeNull();
    expect(pathQuery('a\\*b/c')!.steps).toBeNull();
    expect(pathQuery('usr/lib*/')!.steps).toBeNull();
    expect(pathQuery('usr/lib/')!.steps?.kind).toBe('text');
  });

  it('finds the expected paths of awkward names', () => {
    const fs = awkwardFs();
    const find = (q: string) => searchPaths(fs, 0, pathQuery(q)!).hits.map((h) => h.path);
    expect(find('kelvin')).toEqual([
      'opt/kelvin',
      'opt/kelvin/data.bin',
      'opt/\u212Aelvin',
      'opt/\u212Aelvin/data.bin',
    ]);
    expect(find('d0123/f0123456')).toEqual(['srv/d0123/f0123456.txt', 'srv/xd0123/f0123456.txt']);
    expect(find('**/d0123/*')).toEqual(['srv/d0123/f0123456.txt', 'srv/d0123/f0123457.txt']);
    expect(find('a/**/b')).toEqual(['a/b', 'a/b/a/b']);
  });
});
