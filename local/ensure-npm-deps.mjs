// Installs the npm dependencies when a fresh checkout has none, before anything imports
// them. Uses only Node built-ins, so it runs on a machine with nothing but Node and npm.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function ensureNpmDependencies() {
  if (existsSync(path.join(repoRoot, 'node_modules', '.bin', 'supabase'))) return;
  console.log('Installing npm dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('npm ci failed; fix the error above and run the command again.');
    process.exit(result.status ?? 1);
  }
}
