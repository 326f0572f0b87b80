// Builds the CSM workspace from web/ into web/dist. No React plugin: esbuild's automatic
// JSX runtime is all the app needs, and it keeps the toolchain to one dependency.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Rollup } from 'vite';

type RollupLog = Rollup.RollupLog;

/** The chunk a module from node_modules goes to (React's, Supabase's, zod's); the app's own code stays in the entry chunk. */
function libraryChunk(id: string): string | undefined {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1];
  if (!pkg) return undefined;
  if (pkg === 'react' || pkg === 'react-dom' || pkg === 'scheduler') return 'react';
  if (pkg === 'zod') return 'zod';
  return 'supabase'; // supabase-js and what it brings (iceberg-js, tslib)
}

/**
 * Rollup's warnings, less its notes on a library's comments: zod's sources put `@__PURE__`
 * where Rollup cannot use it, and Rollup drops the comment and prints a paragraph per file on
 * every build, about code that is not Renubu's and a bundle it does not change.
 */
function warnUnlessALibrarysComment(warning: RollupLog, warn: (warning: RollupLog) => void): void {
  if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/')) return;
  warn(warning);
}

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
    // The libraries in chunks of their own, apart from the app's code: a release of Renubu
    // then leaves ~540 kB of them cached in the browser (their file names change only when
    // a dependency does), and no chunk passes the limit above. All are loaded at once
    // (Vite preloads them), so the first screen waits for no extra round trip.
    rollupOptions: { output: { manualChunks: libraryChunk }, onwarn: warnUnlessALibrarysComment },
  },
  server: { port: 5173, strictPort: false },
});
