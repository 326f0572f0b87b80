#!/usr/bin/env node
// `npm run bench`: every benchmark script in local/bench/ in turn, against the running stack
// (`npx renubu start -d` and `npx renubu seed --scale 100000` first). Each script prints its
// own figures and writes them to bench-results/<name>.json.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const scripts = readdirSync(here).filter((f) => f.endsWith('.mjs') && !['run-all.mjs', 'stats.mjs'].includes(f)).sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== ${script} ===`);
  const result = spawnSync(process.execPath, [path.join(here, script)], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
