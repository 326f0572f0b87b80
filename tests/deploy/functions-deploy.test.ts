// Every Edge Function deploys to hosted Supabase and starts there. The real Supabase CLI
// deploys each one (`supabase functions deploy --use-api`) to a fake Management API; each
// upload is rebuilt in an empty folder — nothing of the repository around it — where it
// must type-check and boot with only what was uploaded, and its verify_jwt must be what
// config.toml says. This once caught that no import map was uploaded: every function
// failed with `Import "@supabase/supabase-js" not a dependency`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { freePort } from '../../local/free-port.mjs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeManagementApi, type FakeManagementApi, type UploadedFunction } from './fake-management-api.ts';

const repoRoot = path.resolve('.');
const SUPABASE = path.join(repoRoot, 'node_modules', '.bin', 'supabase');
const DENO = path.join(repoRoot, 'node_modules', '.bin', 'deno');
const PROJECT_REF = 'renubudeploycheckabc';

const functionNames = readdirSync(path.join(repoRoot, 'supabase', 'functions'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(repoRoot, 'supabase', 'functions', e.name, 'index.ts')))
  .map((e) => e.name)
  .sort();

const { readFunctionsToml } = await import(/* @vite-ignore */ path.join(repoRoot, 'local/gateway/function-config.mjs')) as {
  readFunctionsToml(p: string): Map<string, { verifyJwt?: boolean }>;
};

let api: FakeManagementApi;
let deployOutput = '';
const work = mkdtempSync(path.join(os.tmpdir(), 'renubu-deploy-'));

beforeAll(async () => {
  api = await startFakeManagementApi();
  const profile = api.profileFile(path.join(work, 'profile.yaml'));
  // Asynchronously: the fake answers from this same process, so a synchronous spawn would
  // block the very server the CLI is talking to.
  const cli = spawn(SUPABASE, ['functions', 'deploy', '--use-api', '--project-ref', PROJECT_REF, '--profile', profile, '--workdir', repoRoot], {
    cwd: repoRoot,
    env: { ...process.env, SUPABASE_ACCESS_TOKEN: `sbp_${'0123456789abcdef'.repeat(3).slice(0, 40)}`, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cli.stdout.on('data', (c) => { deployOutput += c; });
  cli.stderr.on('data', (c) => { deployOutput += c; });
  const status = await new Promise<number>((resolve) => cli.on('exit', (code) => resolve(code ?? 1)));
  if (status !== 0) throw new Error(`supabase functions deploy failed:\n${deployOutput}`);
}, 240_000);

afterAll(async () => {
  await api?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Writes the upload into an empty folder, exactly as uploaded; returns the folder. */
function rebuild(upload: UploadedFunction): string {
  const dir = path.join(work, upload.slug);
  for (const [name, content] of upload.files) {
    expect(path.isAbsolute(name) || name.split('/').includes('..'), `${name} stays inside the upload`).toBe(false);
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}


/** Starts the rebuilt function the way the edge runtime would and asks it one question. */
async function boot(dir: string, upload: UploadedFunction): Promise<{ status: number; log: string }> {
  const port = await freePort();
  const args = ['run', '-A', '--no-prompt', '--config', path.join(dir, upload.metadata.import_map_path), path.join(dir, upload.metadata.entrypoint_path)];
  const child = spawn(DENO, args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, DENO_DIR: process.env.DENO_DIR ?? '', NO_COLOR: '1',
      DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
      SUPABASE_URL: 'http://127.0.0.1:9', SUPABASE_ANON_KEY: 'anon', SUPABASE_SERVICE_ROLE_KEY: 'service', SUPABASE_DB_URL: 'postgresql://127.0.0.1:9/none',
      // The web app's address, as deploy.md's secrets set it: the preflight below comes from
      // it, and mcp answers no other page (docs/agents.md, 403 for any other Origin).
      RENUBU_SITE_URL: 'http://example.test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (c) => { log += c; });
  child.stderr.on('data', (c) => { log += c; });
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        // A preflight: every function answers it itself, before auth or a database.
        const answer = await fetch(`http://127.0.0.1:${port}/${upload.slug}`, { method: 'OPTIONS', headers: { Origin: 'http://example.test', 'Access-Control-Request-Method': 'POST' } });
        return { status: answer.status, log };
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    return { status: 0, log };
  } finally {
    child.kill('SIGKILL');
  }
}

describe('supabase functions deploy', () => {
  it('uploads every function in supabase/functions, each with its import map', () => {
    expect(functionNames.length).toBeGreaterThan(0);
    // The CLI talked to the fake (named by the profile), not to api.supabase.com.
    expect(api.requests).toContain(`POST /v1/projects/${PROJECT_REF}/functions/deploy`);
    expect([...api.uploads.keys()].sort()).toEqual(functionNames);
    for (const upload of api.uploads.values()) {
      expect(upload.metadata.import_map_path, `${upload.slug} names an import map (config.toml import_map)`).not.toBe('');
      expect(upload.files.has(upload.metadata.import_map_path), `${upload.slug} uploads its import map`).toBe(true);
      expect(upload.files.has(upload.metadata.entrypoint_path)).toBe(true);
    }
  });

  it('keeps verify_jwt as config.toml says', () => {
    const toml = readFunctionsToml(path.join(repoRoot, 'supabase', 'config.toml'));
    for (const name of functionNames) {
      expect(api.uploads.get(name)?.metadata.verify_jwt, name).toBe(toml.get(name)?.verifyJwt ?? true);
    }
  });

  it.each(functionNames)('%s type-checks and boots from its upload alone', async (name) => {
    const upload = api.uploads.get(name)!;
    const dir = rebuild(upload);
    const check = spawnSync(DENO, ['check', '--config', path.join(dir, upload.metadata.import_map_path), path.join(dir, upload.metadata.entrypoint_path)], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000,
    });
    expect(check.status, `deno check of the uploaded ${name}:\n${check.stderr}`).toBe(0);
    const { status, log } = await boot(dir, upload);
    expect(status, `the uploaded ${name} did not answer:\n${log}`).toBeGreaterThanOrEqual(200);
    expect(status, `the uploaded ${name} answered ${status}:\n${log}`).toBeLessThan(300);
  }, 180_000);
});
