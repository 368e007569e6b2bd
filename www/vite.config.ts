import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

export default defineConfig({
  root,
  // Relative asset paths: the page works under any prefix (kubectl proxy --www-prefix).
  base: './',
  resolve: {
    alias: [
      { find: /^flux-shard-metrics\/element$/, replacement: dist('element.js') },
      { find: /^flux-shard-metrics$/, replacement: dist('index.js') },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The wasm is fetched beside the glue, never inlined as a data: URL (the CSP allows none).
    assetsInlineLimit: 0,
  },
  logLevel: 'warn',
});
