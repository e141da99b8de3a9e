/**
 * The third build of `npm run build` (alone: `npm run build:cli`): the command line as plain
 * JavaScript for Node 20, dist-cli/stevedore.mjs (the package's `stevedore-image` bin) and the
 * chunks it imports when a command runs. The npm dependency (hash-wasm; the gzip and zstd
 * decoders are WebAssembly inside the build) stays an import, installed with the package; no tsx, nothing of the dev dependencies at run time.
 */
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Makes the entry executable, so that `./dist-cli/stevedore.mjs` runs as it is. */
function executableEntry(): Plugin {
  return {
    name: 'stevedore:executable-cli',
    apply: 'build',
    async writeBundle(options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && file.isEntry) {
          await chmod(`${options.dir}/${file.fileName}`, 0o755);
        }
      }
    },
  };
}

export default defineConfig({
  // Not the app's public folder: only the command line's modules.
  publicDir: false,
  plugins: [executableEntry()],
  ssr: { target: 'node' },
  build: {
    ssr: here('./src/cli/entry.ts'),
    outDir: here('./dist-cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    rolldownOptions: {
      output: {
        format: 'es',
        entryFileNames: 'stevedore.mjs',
        chunkFileNames: 'chunks/[name]-[hash].mjs',
        banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
