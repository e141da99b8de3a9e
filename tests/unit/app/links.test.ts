import { describe, expect, it } from 'vitest';
import { webLink } from '../../../src/app/links.ts';

describe('label values that become links', () => {
  it('http and https addresses, as the URL parser writes them', () => {
    expect(webLink('https://github.com/docker-library/repo-info')).toBe(
      'https://github.com/docker-library/repo-info',
    );
    expect(webLink('http://example.com')).toBe('http://example.com/');
    expect(webLink('HTTPS://Example.com/a?b=c#d')).toBe('https://example.com/a?b=c#d');
  });

  it('attacks: scripts, data, other schemes, disguised or cleaned-up addresses are not links', () => {
    for (const value of [
      'javascript:alert(1)',
      'JavaScript:alert(document.domain)',
      ' javascript:alert(1)',
      '\u0001javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.com/',
      '//example.com/x',
      ' https://example.com',
      'https://example.com\n<b>',
      'https://exa\u202emple.com',
      'https://example.com/\u200bx',
      'https://',
      'see https://example.com',
      `https://example.com/${'a'.repeat(3000)}`,
    ])
      expect(webLink(value), JSON.stringify(value)).toBeNull();
  });
});
