// Builds the CSM workspace (web/) with Vite when its sources are newer than the last build,
// so `npm start` and `npm test` always serve what is in the checkout.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './config.mjs';

const webDir = path.join(repoRoot, 'web');
const viteConfig = path.join(webDir, 'vite.config.ts');
const builtIndex = path.join(webDir, 'dist', 'index.html');

/**
 * The newest modification time of a file or of anything under a directory (0 when absent).
 * @param {string} target
 * @returns {number}
 */
function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(target).reduce((max, name) => Math.max(max, newestMtime(path.join(target, name))), 0);
}

export function buildWebIfStale({ log = console.log } = {}) {
  if (!existsSync(viteConfig)) return false;
  const sources = Math.max(newestMtime(path.join(webDir, 'src')), newestMtime(path.join(webDir, 'index.html')), newestMtime(viteConfig));
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= sources) return false;
  log('Building the web app (vite build)…');
  const result = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'vite'), ['build', '--config', viteConfig], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('The web app failed to build (see the Vite output above).');
  return true;
}
