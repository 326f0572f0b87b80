// Builds the CSM workspace from web/ into web/dist. No React plugin: esbuild's automatic
// JSX runtime is all the app needs, and it keeps the toolchain to one dependency.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // web/public holds the server's pre-build placeholder page; nothing in it belongs in dist.
  publicDir: false,
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: { port: 5173, strictPort: false },
});
