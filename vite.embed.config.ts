/**
 * The second build of `npm run build`: the <stevedore-report> element as its own ES module,
 * dist/embed/stevedore-report.js, with its verify worker beside it (dist/embed/assets/; hash-wasm
 * carries its WebAssembly inside, and the worker imports its gzip and zstd decoders from two
 * chunks there when it first decodes a layer). The app build (vite.config.ts) runs first and empties dist/;
 * this one only adds dist/embed/, next to the example page the app build copies from public/.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The global the bundle's CSS is declared as (src/embed/shadow-styles.ts reads it). */
const CSS_GLOBAL = '__STEVEDORE_EMBED_CSS__';

/**
 * Moves the bundle's CSS (embed.css and every component's scoped styles, which Vite collects into
 * one file) into the JavaScript: one line at the top of the entry declares it, and the element
 * adopts it as a constructed stylesheet in its shadow root. The source map gets an empty first
 * line to match.
 */
function cssIntoModule(): Plugin {
  return {
    name: 'stevedore:embed-css-into-module',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const sheets = Object.values(bundle).filter(
        (file) => file.type === 'asset' && file.fileName.endsWith('.css'),
      );
      const css = sheets
        .map((file) => (file.type === 'asset' ? String(file.source) : ''))
        .join('\n');
      for (const file of sheets) delete bundle[file.fileName];
      const entries = Object.values(bundle).filter((file) => file.type === 'chunk' && file.isEntry);
      if (entries.length !== 1 || css === '') {
        this.error(
          `expected one entry chunk and some CSS, found ${entries.length} and ${css.length} bytes`,
        );
      }
      const entry = entries[0]!;
      if (entry.type !== 'chunk') return;
      entry.code = `const ${CSS_GLOBAL} = ${JSON.stringify(css)};\n${entry.code}`;
      const map = bundle[`${entry.fileName}.map`];
      if (map?.type === 'asset') {
        const json = JSON.parse(String(map.source)) as { mappings: string };
        json.mappings = `;${json.mappings}`;
        map.source = JSON.stringify(json);
      } else if (entry.map) {
        entry.map.mappings = `;${entry.map.mappings}`;
      }
    },
  };
}

/**
 * Keeps the host page's root font size out: every `rem` of the embed's styles becomes a multiple
 * of --sd-rem, a length the element sets (16px, or --stevedore-font-size). And the components'
 * width queries answer to the element's width (`.root` is a size container), not the window's.
 */
const shadowUnits = {
  postcssPlugin: 'stevedore:shadow-units',
  Declaration(decl: { value: string }) {
    if (!decl.value.includes('rem')) return;
    decl.value = decl.value.replace(
      /(?<![\w.-])(-?(?:\d+\.?\d*|\.\d+))rem\b/g,
      'calc($1 * var(--sd-rem))',
    );
  },
  AtRule: {
    media(rule: { name: string; params: string }) {
      if (/^\(\s*(?:max|min)-width\s*:\s*[\d.]+px\s*\)$/.test(rule.params)) rule.name = 'container';
    },
  },
};

export default defineConfig({
  root: here('./src'),
  // public/ (the example page included) is the app build's to copy.
  publicDir: false,
  // The worker is found next to the module, wherever a site serves dist/embed/ from.
  base: './',
  plugins: [svelte(), cssIntoModule()],
  css: { postcss: { plugins: [shadowUnits] } },
  worker: { format: 'es' },
  build: {
    outDir: here('./dist/embed'),
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    // One JavaScript file at a fixed name (not library mode, which leaves ES modules unminified);
    // no modulepreload helper, which would add <link> elements to the host page.
    modulePreload: false,
    cssCodeSplit: false,
    rolldownOptions: {
      input: here('./src/embed/stevedore-report.ts'),
      preserveEntrySignatures: 'exports-only',
      output: { entryFileNames: 'stevedore-report.js' },
    },
  },
});
