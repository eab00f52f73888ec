/**
 * Standalone renderer build (`npm run build:renderer`): the same output electron-vite's renderer section makes,
 * in out/renderer, with relative asset paths so it loads under file:// (Electron) and from the browser host.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(here, '../out/renderer'),
    emptyOutDir: true,
    // No inline scripts or data-URL modules: the CSP is script-src 'self'.
    assetsInlineLimit: 0,
  },
});
