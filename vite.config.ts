import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The Content-Security-Policy is the <meta> in src/index.html; `vite preview` sends it as a
// header as well, since workers take their policy from their own response, never from a meta.
const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
  readFileSync(here('./src/index.html'), 'utf8'),
)?.[1];
if (!csp) throw new Error('src/index.html has no Content-Security-Policy <meta>');

/** `vite` dev injects CSS as <style> elements, which the policy refuses; only dev allows them. */
const devStyles: Plugin = {
  name: 'stevedore:dev-inline-styles',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
};

export default defineConfig({
  // The page lives in src/ so that the top level holds only the project's own files.
  root: here('./src'),
  publicDir: here('./public'),
  plugins: [
    svelte(),
    devStyles,
    // Offline after the first visit: a service worker precaches the built app (its workers and
    // WebAssembly included) and the sample. Not in `vite` dev (devOptions off by default).
    VitePWA({
      registerType: 'autoUpdate',
      // src/main.ts registers it (virtual:pwa-register): no inline script, which the policy refuses.
      injectRegister: false,
      manifest: {
        name: 'Stevedore — container image reports',
        short_name: 'Stevedore',
        description: 'Open saved container images and read their repo-info report, offline.',
        theme_color: '#0a5fc2',
        background_color: '#f6f7f9',
        display: 'standalone',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
          {
            src: 'icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      // globPatterns matches the icons (and the plugin adds its manifest): do not list them twice.
      includeManifestIcons: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,svg,png,tar}'],
        // The first visit is served by the worker at once, so it works offline from then on.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        // dist/embed/ (the <stevedore-report> element, built after this, and its example page) is
        // for other sites to serve: neither precached nor ever answered with the app's index.html.
        globIgnores: ['embed/**'],
        navigateFallbackDenylist: [/^\/embed\//],
      },
    }),
  ],
  worker: { format: 'es' },
  server: { fs: { allow: [here('.')] } },
  preview: { headers: { 'Content-Security-Policy': csp } },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  test: {
    root: here('.'),
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
