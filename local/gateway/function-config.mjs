// @ts-check
// Which edge functions exist and how each is configured, read the way the Supabase CLI reads
// them [CLI deploy.go `GetFunctionSlugs`, `GetFunctionConfig`; docs/supabase-protocol.md §4.2]: a function is a
// `functions/<name>/index.ts` whose name matches the slug pattern (so `_shared` never is),
// `verify_jwt` defaults to true, `[functions.<name>] verify_jwt = false` turns it off, and
// `entrypoint` (relative to the `supabase/` folder) may point elsewhere.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SLUG = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * The `[functions.<name>]` tables of config.toml. Only the keys the stand-in uses are read;
 * config.toml is not parsed in general (no TOML library is installed, and none is needed).
 * @param {string} configTomlPath
 * @returns {Map<string, { verifyJwt?: boolean, entrypoint?: string }>}
 */
export function readFunctionsToml(configTomlPath) {
  /** @type {Map<string, { verifyJwt?: boolean, entrypoint?: string }>} */
  const functions = new Map();
  if (!existsSync(configTomlPath)) return functions;
  /** @type {{ verifyJwt?: boolean, entrypoint?: string } | null} */
  let current = null;
  for (const rawLine of readFileSync(configTomlPath, 'utf8').split('\n')) {
    const line = rawLine.replace(/\s+#.*$/, '').trim();
    if (line.startsWith('[')) {
      const match = /^\[\s*functions\.(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*\]$/.exec(line);
      const name = match ? (match[1] ?? match[2] ?? match[3]) : null;
      current = name ? { ...functions.get(name) } : null;
      if (name && current) functions.set(name, current);
      continue;
    }
    if (!current) continue;
    const kv = /^([A-Za-z_]+)\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    const [, key, value = ''] = kv;
    if (key === 'verify_jwt') current.verifyJwt = value.trim() !== 'false';
    if (key === 'entrypoint') current.entrypoint = value.trim().replace(/^["']|["']$/g, '');
  }
  return functions;
}

/**
 * @param {{ functionsDir: string, configTomlPath: string }} where
 * @param {string} name
 * @returns {{ entry: string | null, verifyJwt: boolean }}
 */
export function resolveFunction({ functionsDir, configTomlPath }, name) {
  const settings = readFunctionsToml(configTomlPath).get(name) ?? {};
  const verifyJwt = settings.verifyJwt ?? true;
  if (!SLUG.test(name)) return { entry: null, verifyJwt };
  const entry = settings.entrypoint
    ? path.resolve(path.dirname(configTomlPath), settings.entrypoint)
    : path.join(functionsDir, name, 'index.ts');
  return { entry: existsSync(entry) ? entry : null, verifyJwt };
}

/**
 * `supabase/functions/.env` [CLI misc.go `FallbackEnvFilePath`], as simple KEY=VALUE lines.
 * @param {string} functionsDir
 * @returns {Record<string, string>}
 */
export function readFunctionsEnv(functionsDir) {
  const file = path.join(functionsDir, '.env');
  /** @type {Record<string, string>} */
  const env = {};
  if (!existsSync(file)) return env;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const kv = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (kv?.[1]) env[kv[1]] = (kv[2] ?? '').replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
  }
  return env;
}
