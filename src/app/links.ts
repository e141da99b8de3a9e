/** Values from an archive that may become links: web addresses only. Pure, tested in Node. */

/** Returns the address a label or annotation value is, when the whole value is one plain
 * http: or https: URL (no spaces, no control or invisible characters); else null, so that
 * `javascript:`, `data:` and anything a browser would first clean up never become a link. */
export function webLink(value: string): string | null {
  if (value.length > 2048 || !/^https?:\/\//i.test(value)) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f\p{Cf}]/u.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href;
}
