/**
 * The element's styles as one constructed stylesheet, adopted by every shadow root: no <style>
 * or <link> element, so a host page whose CSP has no 'unsafe-inline' (style-src 'self') takes
 * it as it is, and one parse serves every element on the page.
 */

/** The whole CSS of the embed bundle (embed.css, the app's base styles and every component's
 * scoped styles), which the embed build declares at the top of the bundle (vite.embed.config.ts). */
declare const __STEVEDORE_EMBED_CSS__: string | undefined;

let sheet: CSSStyleSheet | null = null;

/** Returns the element's stylesheet, parsed on first use. */
export function shadowSheet(): CSSStyleSheet {
  if (sheet === null) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(typeof __STEVEDORE_EMBED_CSS__ === 'string' ? __STEVEDORE_EMBED_CSS__ : '');
  }
  return sheet;
}
