import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The portal's PHI guard: src/portal/phi-guard-entry.ts and the privacy module it calls, bundled
 * into one ES module, dist/portal/phi-guard.js, served by Vigil at /assets/phi-guard.js. A stable
 * name (the portal's assets are cached for an hour, not for good), no inline code, no chunks.
 */
export default defineConfig({
  root: here('.'),
  publicDir: false,
  build: {
    outDir: here('../dist/portal'),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    assetsInlineLimit: 0,
    lib: {
      entry: here('../src/portal/phi-guard-entry.ts'),
      formats: ['es'],
      fileName: () => 'phi-guard.js',
    },
  },
});
