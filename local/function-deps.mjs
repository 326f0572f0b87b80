// Downloads every Edge Function's npm dependencies into Deno's cache before the gateway
// starts, so a function's first request does not wait on the registry (on a fresh machine
// that can take longer than a client's timeout).
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './config.mjs';

export function cacheFunctionDependencies(functionsDir = path.join(repoRoot, 'supabase', 'functions')) {
  if (!existsSync(functionsDir)) return;
  const entrypoints = readdirSync(functionsDir)
    .map((name) => path.join(functionsDir, name, 'index.ts'))
    .filter((file) => existsSync(file));
  if (entrypoints.length === 0) return;
  const deno = path.join(repoRoot, 'node_modules', '.bin', 'deno');
  const result = spawnSync(deno, ['install', '--config', path.join(repoRoot, 'deno.json'), '--entrypoint', ...entrypoints], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`Deno could not resolve the Edge Functions' dependencies:\n${result.stderr}`);
  }
}
