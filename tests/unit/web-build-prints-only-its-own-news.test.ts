// The web app's build, which `npm start` runs on a first start (local/web-build.mjs), prints
// what it built and nothing a newcomer has to puzzle over: zod's sources carry `@__PURE__`
// comments in places Rollup cannot use, and each came out as a paragraph of "A comment … in
// node_modules/zod/… contains an annotation that Rollup cannot interpret". Those say nothing
// about Renubu and change nothing in the bundle; a warning about the app's own code still shows.
// And what it builds, which is what an operator hosts, carries no demo sign-in: the local web
// server hands the demo people to the sign-in page at run time (local/demo-people.json).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '../support/demo-people.ts';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'renubu-web-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

let built: SpawnSyncReturns<string>;
beforeAll(() => {
  built = spawnSync(path.resolve('node_modules/.bin/vite'),
    ['build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir'], { encoding: 'utf8', timeout: 120_000 });
}, 120_000);

describe('vite build of the web app', () => {
  it('builds without Rollup notes on the comments of the libraries it bundles', () => {
    const said = `${built.stdout}${built.stderr}`;
    expect(built.status, said).toBe(0);
    expect(said).toContain('built in');
    expect(said).not.toContain('annotation that Rollup cannot interpret');
    expect(said).not.toMatch(/node_modules\/[^\s]+ \(\d+:\d+\)/);
  });

  it('builds an app that carries neither the demo password nor a demo person', () => {
    expect(built.status).toBe(0);
    const files = readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    const shipped = files.map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8')).join('\n');
    expect(shipped).toContain('Demo people'); // the sign-in page is in the bundle…
    // …without what it lists on the local stack (booleans: a failure prints the name, not the bundle)
    expect(shipped.includes(DEMO_PASSWORD), 'the demo password is in the bundle').toBe(false);
    for (const email of Object.values(DEMO_PEOPLE)) expect(shipped.includes(email), `${email} is in the bundle`).toBe(false);
  });
});
