/** How a tab and the window are named: by the image, shortened in the middle. Pure. */

/** Returns `text` cut to at most `max` characters by an ellipsis in the middle, keeping the end
 * (a tag or a digest's tail tells images apart more often than the registry does). */
export function middleEllipsis(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  const head = max - 1 - tail;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/** Returns the window title for an open image: `<ref> — Stevedore`. */
export function windowTitle(ref: string | null, fallback: string): string {
  return ref === null ? fallback : `${ref} — Stevedore`;
}
