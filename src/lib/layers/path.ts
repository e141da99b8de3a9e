/**
 * Entry names as a layer applier reads them: cleaned like Docker's `filepath.Clean` + `Join`
 * (a leading `/` is dropped, `..` cannot climb above the root), with a note for each oddity, and
 * the whiteout reading of a name from the OCI layer spec.
 */

/** Something odd about an entry that did not stop the listing. */
export type NoteKind =
  | 'absolute-path'
  | 'dot-dot'
  | 'escapes-root'
  | 'nul-in-name'
  | 'long-name'
  | 'hardlink-to-self'
  | 'whiteout-invalid'
  | 'opaque-root'
  | 'aufs-metadata'
  | 'duplicate-entry'
  | 'bad-number'
  | 'too-many-entries';

/** Linux refuses longer paths (PATH_MAX); such an entry cannot be extracted there. */
export const PATH_MAX = 4096;
const WH = '.wh.';
const WH_META = '.wh..wh.';
const OPAQUE = '.wh..wh..opq';
const UNCLEAN = /^\.{1,2}$|^\.{1,2}\/|\/\.{1,2}(\/|$)|\/\/|^\/|\/$|\0/;

/** A cleaned name: no leading `/`, no `.` or empty components, root as `''`. */
export interface CleanName {
  path: string;
  notes: NoteKind[];
}

/** Returns the cleaned path of a name that is clean already but for a trailing `/` or leading
 * `./` (nearly every name), with nothing odd about it; null for any other name (`cleanPath`
 * then). Makes no object: a listing calls it once per entry. */
export function quickPath(raw: string): string | null {
  let quick = raw.charCodeAt(raw.length - 1) === 0x2f ? raw.slice(0, -1) : raw;
  while (quick.charCodeAt(0) === 0x2e && quick.charCodeAt(1) === 0x2f) quick = quick.slice(2);
  return quick.length <= PATH_MAX && !UNCLEAN.test(quick) ? quick : null;
}

/** Returns the cleaned path of a tar name and what was odd about it. */
export function cleanPath(raw: string): CleanName {
  // Most names are clean already (or only end in `/` or start with `./`): no split needed.
  const quick = quickPath(raw);
  if (quick !== null) return { path: quick, notes: [] };
  const notes: NoteKind[] = [];
  let name = raw;
  const nul = name.indexOf('\0');
  if (nul >= 0) {
    // A ustar field ends at NUL; Go refuses a pax path holding one. Keep what a field would.
    notes.push('nul-in-name');
    name = name.slice(0, nul);
  }
  if (name.startsWith('/')) notes.push('absolute-path');
  if (name.length > PATH_MAX) notes.push('long-name');
  const out: string[] = [];
  let dotDot = false;
  let escapes = false;
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      dotDot = true;
      if (out.length > 0) out.pop();
      else escapes = true; // Docker refuses the layer ("breakout"); we clamp at the root
      continue;
    }
    out.push(part);
  }
  if (dotDot) notes.push('dot-dot');
  if (escapes) notes.push('escapes-root');
  return { path: out.join('/'), notes };
}

/** Returns true when the raw name says nothing more than its cleaned path (`./` prefix or a
 * trailing `/` only), so that it need not be kept. */
export function sameName(raw: string, path: string): boolean {
  let r = raw;
  while (r.startsWith('./')) r = r.slice(2);
  if (r.endsWith('/')) r = r.slice(0, -1);
  return r === path || (path === '' && (raw === './' || raw === '.' || raw === ''));
}

/** How the merge treats an entry. */
export type EntryRole = 'change' | 'whiteout' | 'opaque' | 'ignored';

/** Returns the role of a cleaned path and, for a whiteout, the path it removes. */
export function roleOf(path: string): { role: EntryRole; target: string | null; note?: NoteKind } {
  if (!path.includes(WH)) return { role: 'change', target: null };
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  // AUFS keeps hard-link and metadata dirs under `.wh..wh.*`; Docker skips them whole.
  if (dir.split('/').some((c) => c.startsWith(WH_META))) {
    return { role: 'ignored', target: null, note: 'aufs-metadata' };
  }
  if (base === OPAQUE) {
    return dir === ''
      ? { role: 'opaque', target: '', note: 'opaque-root' }
      : { role: 'opaque', target: dir };
  }
  if (base.startsWith(WH_META)) return { role: 'ignored', target: null, note: 'aufs-metadata' };
  if (base.startsWith(WH)) {
    const name = base.slice(WH.length);
    // `.wh.` alone (or naming `.`/`..`) would remove a directory's parent or the root itself.
    if (name === '' || name === '.' || name === '..') {
      return { role: 'ignored', target: null, note: 'whiteout-invalid' };
    }
    return { role: 'whiteout', target: dir === '' ? name : `${dir}/${name}` };
  }
  return { role: 'change', target: null };
}

/** Returns the components of a cleaned path (none for the root). */
export function componentsOf(path: string): string[] {
  return path === '' ? [] : path.split('/');
}
