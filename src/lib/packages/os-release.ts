/**
 * The distro, from `etc/os-release` (falling back to `usr/lib/os-release`): shell-style
 * `KEY=value` assignments, read as `. /etc/os-release` in sh reads them (quotes, escapes).
 */
import type { Distro } from './model.ts';
import { decodeText } from './text.ts';

/** The places os-release may be, in the order systemd reads them. */
export const OS_RELEASE_PATHS = ['etc/os-release', 'usr/lib/os-release'] as const;

/** Returns the value of one shell word: quotes removed, backslash escapes applied. */
function shellWord(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw.charAt(i);
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      out += raw.slice(i + 1, end < 0 ? raw.length : end);
      i = end < 0 ? raw.length : end + 1;
    } else if (c === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        // Inside double quotes a backslash escapes only $ ` " \ and a newline.
        if (raw[i] === '\\' && i + 1 < raw.length && '$`"\\\n'.includes(raw.charAt(i + 1))) {
          if (raw.charAt(i + 1) !== '\n') out += raw.charAt(i + 1);
          i += 2;
        } else out += raw[i++];
      }
      i++;
    } else if (c === '\\' && i + 1 < raw.length) {
      out += raw[i + 1];
      i += 2;
    } else if (c === ' ' || c === '\t' || c === '#') {
      break; // an unquoted blank ends the word; a comment may follow
    } else out += raw[i++];
  }
  return out;
}

/** Returns the distro an os-release file describes. */
export function readOsRelease(bytes: Uint8Array): Distro {
  const fields: Record<string, string> = {};
  for (const line of decodeText(bytes).split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1] !== undefined) fields[m[1]] = shellWord((m[2] ?? '').replace(/\r$/, ''));
  }
  const get = (k: string): string | null => fields[k] ?? null;
  return {
    id: get('ID'),
    versionId: get('VERSION_ID'),
    prettyName: get('PRETTY_NAME'),
    name: get('NAME'),
    idLike: (get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean),
    versionCodename: get('VERSION_CODENAME'),
    fields,
  };
}
