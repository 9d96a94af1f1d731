import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The staff console: built into dist/console and served by Vigil at /console. Hashed asset
 * names (served with a long cache); no inline scripts or styles, so the CSP stays
 * `script-src 'self'; style-src 'self'`.
 */
export default defineConfig({
  root: here('.'),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: here('../dist/console'),
    emptyOutDir: true,
    // Never inline small assets as data: URLs into CSS/JS; CSP allows data: images only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
