/** How a tab and the window are named: by the image, shortened in the middle. Pure. */

/** Returns `text` as a head, which the tab cuts with an ellipsis where the width runs out, and a
 * tail of at most `keep` characters that always shows (a tag tells images apart more often than
 * the registry does): shortened in the middle, as wide as the tab bar allows. */
export function splitTail(text: string, keep = 10): [head: string, tail: string] {
  const chars = [...text];
  const n = Math.min(keep, Math.floor(chars.length / 2));
  return [chars.slice(0, chars.length - n).join(''), chars.slice(chars.length - n).join('')];
}

/** Returns the window title for an open image: `<ref> — Stevedore`. */
export function windowTitle(ref: string | null, fallback: string): string {
  return ref === null ? fallback : `${ref} — Stevedore`;
}
