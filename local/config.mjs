// Where the local stack lives and how it is reached. Every value can be overridden by an
// environment variable so a test run can bring up its own isolated stack beside `npm start`.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The defaults `supabase start` uses, so tools that know Supabase's local keys keep working.
export const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';
export const PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

/**
 * A port from the environment, or the default when unset. A value that is no port is said in
 * a sentence naming the variable: parseInt made "abc" NaN and "54321x" 54321, and the server
 * said only "options.port should be >= 0 and < 65536. Received type number (NaN)".
 * @param {Record<string, string | undefined>} env @param {string} name @param {number} fallback
 */
const int = (env, name, fallback) => {
  const raw = env[name];
  if (!raw) return fallback;
  const port = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (port >= 1 && port <= 65535) return port;
  throw new Error(`${name}=${raw} is not a port: give a whole number from 1 to 65535, or leave it unset for ${fallback}.`);
};

// The postgres OS user cannot enter a checkout under /root, so as root the cluster lives in
// a folder that user owns, keyed by the checkout's path so two checkouts never share one.
function defaultDataDir() {
  const key = createHash('sha1').update(repoRoot).digest('hex').slice(0, 10);
  if (process.getuid?.() === 0) return path.join('/var/tmp', `renubu-${key}`);
  return path.join(repoRoot, '.renubu');
}

export function stackConfig(env = process.env) {
  const apiPort = int(env, 'RENUBU_API_PORT', 54321);
  const dbPort = int(env, 'RENUBU_DB_PORT', 54322);
  const webPort = int(env, 'RENUBU_WEB_PORT', 3000);
  // The mail catcher for Auth's invite and reset mail, where `supabase start` has Mailpit.
  const mailPort = int(env, 'RENUBU_MAIL_PORT', 54324);
  const dataDir = env.RENUBU_DATA_DIR ?? defaultDataDir();
  return {
    apiPort,
    dbPort,
    webPort,
    mailPort,
    dataDir,
    pgDataDir: path.join(dataDir, 'pgdata'),
    socketDir: path.join(dataDir, 'socket'),
    runDir: path.join(dataDir, 'run'),
    apiUrl: `http://127.0.0.1:${apiPort}`,
    webUrl: `http://127.0.0.1:${webPort}`,
    mailUrl: `http://127.0.0.1:${mailPort}`,
    // The superuser URL: migrations, the CLI and the gateway's pool connect with it.
    dbUrl: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
    jwtSecret: JWT_SECRET,
    anonKey: ANON_KEY,
    serviceRoleKey: SERVICE_ROLE_KEY,
  };
}

/**
 * Where one stack lives and how it is reached (stackConfig's answer).
 * @typedef {ReturnType<typeof stackConfig>} StackConfig
 */

export const isRoot = () => process.getuid?.() === 0;
export const tmpDir = os.tmpdir();
