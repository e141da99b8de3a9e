import { describe, expect, it } from 'vitest';
import { allowList, readOpenRequest } from '../../../src/embed/frame-protocol.ts';

const query = (search: string) => new URLSearchParams(search);

describe('allowList', () => {
  it('takes the comma-separated origins of ?origins, exactly', () => {
    expect(allowList(query('embed&origins=https://a.example,https://b.example:8443'))).toEqual({
      origins: ['https://a.example', 'https://b.example:8443'],
      rejected: [],
    });
  });

  it('allows no origin when the parameter is absent or empty', () => {
    expect(allowList(query('embed')).origins).toEqual([]);
    expect(allowList(query('embed&origins=')).origins).toEqual([]);
  });

  it('tolerates a trailing slash, spaces and repeats; drops the default port as origins do', () => {
    const list = allowList(
      query('origins=https://a.example/, https://a.example&origins=http://localhost:80'),
    );
    expect(list).toEqual({ origins: ['https://a.example'], rejected: ['http://localhost:80'] });
  });

  it('rejects anything that is not exactly an origin', () => {
    const entries = [
      'https://a.example/portal',
      'https://a.example?x=1',
      'a.example',
      '*',
      'null',
      'file:///etc/passwd',
      'blob:https://a.example/0b4e',
      'https://user@a.example',
    ];
    const list = allowList(query(`origins=${entries.map(encodeURIComponent).join(',')}`));
    expect(list.origins).toEqual([]);
    expect(list.rejected).toEqual(entries);
  });

  it('compares host names case-insensitively, as the browser serializes them', () => {
    expect(allowList(query('origins=https://Portal.Example')).origins).toEqual([
      'https://portal.example',
    ]);
  });
});

describe('readOpenRequest', () => {
  const file = new File([new Uint8Array([1, 2, 3])], 'image.tar');

  it('reads { type: "open", file } with its optional name, verify and id', () => {
    expect(readOpenRequest({ type: 'open', file })).toEqual({ type: 'open', file });
    expect(
      readOpenRequest({ type: 'open', file, name: 'x.tar', verify: true, id: 7, extra: 1 }),
    ).toEqual({ type: 'open', file, name: 'x.tar', verify: true, id: 7 });
  });

  it('takes a plain Blob too', () => {
    const blob = new Blob([new Uint8Array([1])]);
    expect(readOpenRequest({ type: 'open', file: blob })?.file).toBe(blob);
  });

  it('ignores anything else', () => {
    for (const data of [
      null,
      'open',
      42,
      { type: 'open' },
      { type: 'open', file: 'image.tar' },
      { type: 'open', file: new Uint8Array([1]) },
      { type: 'close', file },
    ]) {
      expect(readOpenRequest(data)).toBeNull();
    }
  });

  it('drops optional fields of the wrong type', () => {
    expect(readOpenRequest({ type: 'open', file, name: 3, verify: 'yes', id: {} })).toEqual({
      type: 'open',
      file,
    });
  });
});
