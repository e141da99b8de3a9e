/** Entry-name handling: one spelling per entry, and no way out of the archive. */

/** Returns the name with `./` prefixes, `.` segments, doubled and trailing slashes removed;
 * null when it is absolute or has any `..` segment (stricter than needed on purpose: no tool
 * that writes images stores such names, so one is a sign of a crafted archive). */
export function normalizeEntryName(name: string): string | null {
  if (name.startsWith('/')) return null;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return null;
    parts.push(part);
  }
  return parts.join('/');
}

/** Returns `target` resolved against the directory of `from` (a symlink), or null when it
 * leaves the archive. */
export function resolveRelative(from: string, target: string): string | null {
  if (target.startsWith('/')) return null;
  const parts = from.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

/** Returns the last path segment. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}
