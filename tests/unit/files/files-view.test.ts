/**
 * The file views' logic on the real fixtures: dive's test image (whose layers add, chmod, delete
 * and re-add files under /root), umoci's opaque whiteout, and hostile names built here.
 */
import { describe, expect, it } from 'vitest';
import {
  changeMark,
  changeRows,
  changeText,
  largestFiles,
  notesOf,
  parentRow,
  pathHistory,
  pathQuery,
  searchPaths,
  shownPath,
  siblingPosition,
  treeRow,
  treeRows,
  unconfirmedText,
} from '../../../src/app/files/files-view.ts';
import { LayerListingBuilder } from '../../../src/lib/layers/listing.ts';
import { listingEntry } from '../../support/tar.ts';
import { mergeLayers, type MergedFilesystem } from '../../../src/lib/layers/merge.ts';
import { fixtureFs } from './support.ts';

const DIVE = 'dive-test-docker-image.tar';
const path = (fs: MergedFilesystem, node: number) => fs.pathOf(node);

describe('changeRows', () => {
  it("lists what each of dive's layers changed, with kinds, sizes and causes", async () => {
    const fs = await fixtureFs(DIVE);
    const of = (l: number) =>
      changeRows(fs, l).map((r) => [path(fs, r.node), r.kind, r.size, r.cause, r.before]);
    expect(changeRows(fs, 0).every((r) => r.kind === 'added')).toBe(true);
    expect(changeRows(fs, 0).length).toBe(fs.layers[0]!.count);
    // Layer 5 is a chmod of somefile1.txt: the same bytes, a metadata-only copy.
    expect(of(4)).toContainEqual(['root/example/somefile1.txt', 'metadata', 6405, null, 3]);
    // Layer 8 deletes somefile3.txt with a whiteout and adds saved.txt.
    expect(of(7)).toContainEqual(['root/example/somefile3.txt', 'deleted', 6405, 'whiteout', 6]);
    expect(of(7)).toContainEqual(['root/saved.txt', 'added', 6405, null, null]);
    // Layer 10 removes root/example and everything under it.
    const deleted = changeRows(fs, 9, new Set(['deleted']));
    expect(deleted.map((r) => path(fs, r.node)).sort()).toEqual([
      'root/example',
      'root/example/really',
      'root/example/really/nested',
      'root/example/somefile1.txt',
      'root/example/somefile2.txt',
    ]);
  });

  it('says an opaque whiteout deleted what it hid', async () => {
    const fs = await fixtureFs('gen-umoci-rawlayers-opaque-whiteout-oci-archive.tar');
    const all = fs.layers.flatMap((_, l) => changeRows(fs, l));
    expect(all.some((r) => r.kind === 'deleted')).toBe(true);
    expect(changeText('deleted', 'opaque')).toBe('deleted (opaque whiteout)');
    expect(changeText('metadata')).toBe('metadata only');
  });
});

describe('treeRows', () => {
  it("shows dive's image as of a layer, expanded directories only, marking what the layer did", async () => {
    const fs = await fixtureFs(DIVE);
    const root = fs.lookup('root');
    const example = fs.lookup('root/example');
    const cache = new Map<number, number[]>();
    const rows = treeRows(fs, 9, new Set([root, example]), cache);
    const shown = [...rows.nodes.slice(0, rows.count)].map(
      (n, i) =>
        `${rows.depths[i]} ${fs.nameOf(n)} ${changeMark(treeRow(fs, n, 9).change, 9) ?? ''}`,
    );
    expect(shown).toEqual([
      '0 bin ',
      '0 dev ',
      '0 etc ',
      '0 home ',
      // Layer 10 names /root again (its entry rewritten): changed, as dive marks it too.
      '0 root changed in layer 10',
      '1 .saved.txt ',
      '1 example deleted by layer 10',
      '1 saved.txt ',
      '0 somefile.txt ',
      '0 tmp ',
      '0 usr ',
      '0 var ',
    ]);
    // A deleted directory is shown, but not opened: nothing is under it at that layer.
    const saved = treeRow(fs, fs.lookup('root/saved.txt'), 9);
    expect(saved).toMatchObject({ type: 'file', size: 6405, writtenBy: 7, exists: true });
    expect(treeRow(fs, fs.lookup('root/saved.txt'), 13).writtenBy).toBe(13);
    expect(changeMark(treeRow(fs, fs.lookup('root/saved.txt'), 13).change, 13)).toBe(
      'changed in layer 14',
    );
    expect(changeMark(treeRow(fs, fs.lookup('root/saved.txt'), 7).change, 7)).toBe(
      'added in layer 8',
    );
    expect(parentRow(rows, 5)).toBe(4);
    expect(parentRow(rows, 4)).toBe(-1);
    expect(siblingPosition(fs, fs.lookup('root/saved.txt'), 9, cache)).toEqual({ pos: 3, size: 3 });
  });
});

describe('largestFiles and searchPaths', () => {
  it('find the largest files and paths by text or glob', async () => {
    const fs = await fixtureFs(DIVE);
    const { files, total } = largestFiles(fs, 13, 3);
    expect(files.map((f) => [f.path, f.size])).toEqual([
      ['bin/[', 1075464],
      ['bin/getconf', 77880],
      ['root/.data/saved.again2.txt', 6405],
    ]);
    expect(total).toBe(13);
    const find = (q: string, l = 13) => searchPaths(fs, l, pathQuery(q)!).hits.map((h) => h.path);
    expect(find('*.txt')).toEqual([
      'root/.data/saved.again2.txt',
      'root/.saved.txt',
      'root/saved.txt',
      'somefile.txt',
      'tmp/saved.again1.txt',
    ]);
    // `**` spans any number of directories, none included.
    expect(find('root/**/*.txt')).toEqual([
      'root/.data/saved.again2.txt',
      'root/.saved.txt',
      'root/saved.txt',
    ]);
    expect(find('root/*/*.txt')).toEqual(['root/.data/saved.again2.txt']);
    expect(find('/root/*.txt')).toEqual(['root/.saved.txt', 'root/saved.txt']);
    expect(find('root/?aved.txt')).toEqual(['root/saved.txt']);
    expect(find('ETC/PASSWD')).toEqual(['etc/passwd']);
    // A text without / is found in names, and a directory found finds everything under it.
    expect(find('EXAMPLE', 6)).toEqual([
      'root/example',
      'root/example/really',
      'root/example/really/nested',
      'root/example/somefile1.txt',
      'root/example/somefile2.txt',
      'root/example/somefile3.txt',
    ]);
    expect(find('a.b')).toEqual([]); // the dot is a dot, not any character
    // As of layer 7, somefile3.txt is still there; from layer 8 on it is not.
    expect(find('somefile3*', 6)).toEqual(['root/example/somefile3.txt']);
    expect(find('somefile3*', 7)).toEqual([]);
    expect(pathQuery('  ')).toBeNull();
    expect(pathQuery('[')?.kind ?? null).not.toBe('text');
  });
});

describe('pathHistory', () => {
  it('says which layer last wrote a path, and every layer that touched it', async () => {
    const fs = await fixtureFs(DIVE);
    const h = pathHistory(fs, '/root/saved.txt')!;
    expect(h.events.map((e) => [e.layer, e.change])).toEqual([
      [7, 'added'],
      [13, 'changed'],
    ]);
    expect(h.lastWrittenBy).toBe(13);
    expect(h.present).toBe(true);
    const gone = pathHistory(fs, 'root/example/somefile3.txt')!;
    expect(gone.present).toBe(false);
    expect(gone.lastWrittenBy).toBeNull();
    expect(gone.events.map((e) => [e.layer, e.change])).toEqual([
      [6, 'added'],
      [7, 'deleted'],
    ]);
    expect(pathHistory(fs, '/no/such/file')).toBeNull();
    expect(pathHistory(fs, '/')).toBeNull();
  });
});

describe('hostile names', () => {
  const e = listingEntry;

  it('are noted in plain words, and shown so that they cannot disguise themselves', () => {
    const b = new LayerListingBuilder();
    b.add(e('../../etc/passwd'));
    b.add(e('/abs'));
    b.add(e('nul\0hidden'));
    b.add(e('x'.repeat(65_536)));
    b.add(e('self', { typeflag: '1', linkName: 'self' }));
    b.add(e('.wh..wh..opq'));
    b.add(e('evil\u202etxt.exe'));
    b.add(e('two\nlines'));
    const fs = mergeLayers([b.finish()]);
    const notes = notesOf(fs);
    const texts = notes.map((n) => n.text);
    expect(texts).toContain(
      'names whose .. would climb above the root (kept at the root; Docker refuses such a layer)',
    );
    expect(texts).toContain('names starting with /, read from the root');
    expect(texts).toContain('names holding a NUL character (cut there)');
    expect(texts).toContain('names longer than Linux allows (4,096 bytes)');
    expect(texts).toContain('hard links to themselves');
    expect(texts).toContain('an opaque whiteout of / (it cannot hide the root)');
    for (const n of notes) expect(n.example.length).toBeLessThan(300);
    expect(notes.find((n) => n.text.startsWith('names holding a NUL'))!.example).toBe(
      'nul\\0hidden',
    );
    const bidi = fs.lookup('evil\u202etxt.exe');
    expect(shownPath(fs.pathOf(bidi))).toBe('/evil\\u202etxt.exe');
    expect(shownPath(fs.pathOf(fs.lookup('two\nlines')))).toBe('/two\\nlines');
    // The tree and a search still answer.
    const everything = new Set([...Array(fs.nodeCount).keys()]);
    const rows = treeRows(fs, 0, everything, new Map());
    expect(rows.count).toBe(8); // 7 names (the opaque marker is none), and etc/ they imply
    expect(searchPaths(fs, 0, pathQuery('*')!).matching).toBe(rows.count);
    expect(searchPaths(fs, 0, pathQuery('**')!).matching).toBe(rows.count);
  });
});

describe('files shown from listings kept from an earlier file', () => {
  it('names the layers, and whether verification may yet confirm them', () => {
    expect(unconfirmedText([], true)).toBeNull();
    expect(unconfirmedText([0], true)).toBe(
      'The files of layer 1 are shown from the library: they were listed from an earlier file ' +
        'with the same diff_id, and are this file’s once verification has checked its layer.',
    );
    expect(unconfirmedText([0, 2, 3], false)).toBe(
      'The files of layers 1, 3 and 4 are shown from the library: they were listed from an ' +
        'earlier file with the same diff_id, and have not been checked against this file.',
    );
    expect(unconfirmedText([0, 1, 2, 3, 4, 5, 6], false)).toMatch(/^The files of 7 layers are/);
  });
});
