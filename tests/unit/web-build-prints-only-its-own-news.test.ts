// The web app's build, which `npm start` runs on a first start (local/web-build.mjs), prints
// what it built and nothing a newcomer has to puzzle over: zod's sources carry `@__PURE__`
// comments in places Rollup cannot use, and each came out as a paragraph of "A comment … in
// node_modules/zod/… contains an annotation that Rollup cannot interpret". Those say nothing
// about Renubu and change nothing in the bundle; a warning about the app's own code still shows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'renubu-web-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('vite build of the web app', () => {
  it('builds without Rollup notes on the comments of the libraries it bundles', () => {
    const built = spawnSync(path.resolve('node_modules/.bin/vite'),
      ['build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir'], { encoding: 'utf8', timeout: 120_000 });
    const said = `${built.stdout}${built.stderr}`;
    expect(built.status, said).toBe(0);
    expect(said).toContain('built in');
    expect(said).not.toContain('annotation that Rollup cannot interpret');
    expect(said).not.toMatch(/node_modules\/[^\s]+ \(\d+:\d+\)/);
  }, 120_000);
});
