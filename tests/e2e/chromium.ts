import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Flags this sandbox needs (root, no GPU, no network) and that do no harm elsewhere. The
 * omnibox popup (a WebUI page, chrome://omnibox-popup.top-chrome/) is off: Chromium 156 loads it
 * in a renderer of its own for every new context, while the page under test works (measured in
 * the benches: 0.1–0.35 s of CPU per GB a verification hashed, on two cores; issue 15). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
];

/** Returns the Chromium to drive: CHROMIUM_PATH, else Playwright's own, else the system's;
 * throws a message that says what to install when there is none. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  try {
    if (existsSync(chromium.executablePath())) return undefined; // Playwright's own browser
  } catch {
    // Playwright has no browser of its own here; look for the system's.
  }
  for (const path of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(path)) return path;
  }
  throw new Error(
    'No Chromium found for the end-to-end tests. Install one of:\n' +
      '  sudo apt-get install chromium        (Debian/Ubuntu; found at /usr/bin/chromium)\n' +
      "  npx playwright install chromium      (Playwright's own build)\n" +
      'or point CHROMIUM_PATH at a Chromium or Chrome executable.',
  );
}
