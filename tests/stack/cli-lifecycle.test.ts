// The `renubu` CLI as a person uses it: start detached, read the status, stop leaving no
// port behind, start again on the same data. Runs its own stack on free ports beside the
// one `npm test` brought up.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, chmodSync, statSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '../../local/free-port.mjs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';

const run = promisify(execFile);
const cli = path.resolve('local/cli.mjs');


async function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

describe('renubu start / status / stop', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'renubu-cli-'));
  chmodSync(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, RENUBU_DATA_DIR: dataDir };
  const renubu = (...args: string[]) => run(process.execPath, [cli, ...args], { env, timeout: 240_000 });

  beforeAll(async () => {
    env.RENUBU_API_PORT = String(await freePort());
    env.RENUBU_DB_PORT = String(await freePort());
    env.RENUBU_WEB_PORT = String(await freePort());
    // The mail catcher too: the stack `npm test` brought up already holds its port.
    env.RENUBU_MAIL_PORT = String(await freePort());
  });

  afterAll(async () => {
    await renubu('stop').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts detached and returns once every service answers', async () => {
    const { stdout } = await renubu('start', '-d');
    expect(stdout).toContain('Renubu is up.');
    const health = await fetch(`http://127.0.0.1:${env.RENUBU_API_PORT}/auth/v1/health`);
    expect(health.ok).toBe(true);
    const web = await fetch(`http://127.0.0.1:${env.RENUBU_WEB_PORT}/`);
    expect(web.status).toBe(200);
  }, 240_000);

  it('prints the stack as env lines like `supabase status -o env`', async () => {
    const { stdout } = await renubu('status', '-o', 'env');
    const vars = Object.fromEntries(
      stdout.trim().split('\n').map((line) => {
        const [key, value] = line.split('=');
        return [key, JSON.parse(value ?? '""')];
      }),
    );
    expect(Object.keys(vars).sort()).toEqual(
      ['ANON_KEY', 'API_URL', 'DB_URL', 'JWT_SECRET', 'MAILPIT_URL', 'SERVICE_ROLE_KEY', 'WEB_URL'].sort(),
    );
    expect(vars.API_URL).toBe(`http://127.0.0.1:${env.RENUBU_API_PORT}`);
    expect(vars.WEB_URL).toBe(`http://127.0.0.1:${env.RENUBU_WEB_PORT}`);
    expect(vars.DB_URL).toContain(`:${env.RENUBU_DB_PORT}/`);
  });

  // A new terminal with the data dir set but not the ports (README.md, "Ports taken, or a
  // second stack"): the verbs that need the database name the port it runs on and what to
  // set. Before, `db reset` waited 30 s for a database on the default port and failed with
  // ECONNREFUSED (or reset another stack's there), `token` failed the same way, and `status`
  // said only "Renubu is not running." of a stack that was running.
  describe('run with another database port than the running one', () => {
    const otherPort = { value: 0 };
    const inNewTerminal = (...args: string[]) => run(process.execPath, [cli, ...args], {
      env: { ...process.env, RENUBU_DATA_DIR: dataDir, RENUBU_DB_PORT: String(otherPort.value) },
      timeout: 60_000,
    }).then(({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
    const sentence = () => `is already running on port ${env.RENUBU_DB_PORT}, not ${otherPort.value}: `
      + `set the RENUBU_* variables it was started with (RENUBU_DB_PORT=${env.RENUBU_DB_PORT})`;

    beforeAll(async () => { otherPort.value = await freePort(); });

    it('db reset refuses at once, naming the port to set', async () => {
      const result = await inNewTerminal('db', 'reset');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(sentence());
    }, 70_000);

    it('token refuses at once, naming the port to set', async () => {
      const result = await inNewTerminal('token', '--email', 'sam.csm@acme.test');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(sentence());
    }, 70_000);

    it('status says where the database runs', async () => {
      const result = await inNewTerminal('status');
      expect(result.code).toBe(1);
      // First, and nothing above it: before, "Renubu is not running." (or "running.", of
      // whatever answered on this terminal's API port) came first.
      expect(result.stdout.split('\n')[0]).toContain(sentence());
    }, 70_000);
  });

  // A new terminal with the data dir and database port set, but not the API and web ports:
  // status said "Renubu is not running." and nothing more, of a stack that runs.
  it('status run with other API and web ports says the database runs and which ports to set', async () => {
    const [api, web] = [await freePort(), await freePort()];
    const result = await run(process.execPath, [cli, 'status'], {
      env: { ...env, RENUBU_API_PORT: String(api), RENUBU_WEB_PORT: String(web) }, timeout: 60_000,
    }).then(() => ({ code: 0, stdout: '' }), (error: { code?: number; stdout?: string }) => ({ code: error.code, stdout: error.stdout ?? '' }));
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe(`Renubu's database runs on port ${env.RENUBU_DB_PORT}, but nothing answers at `
      + `http://127.0.0.1:${api} and http://127.0.0.1:${web}: set the RENUBU_API_PORT and RENUBU_WEB_PORT it was started with, `
      + 'or start its servers with `npx renubu start -d`.');
  }, 70_000);

  it('stops without leaving a process or a port behind', async () => {
    // A marker row proves the next start reuses the data instead of re-seeding.
    const db = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${env.RENUBU_DB_PORT}/postgres` });
    await db.connect();
    await db.query('create table public.cli_lifecycle_marker (id int); insert into public.cli_lifecycle_marker values (42)');
    await db.end();

    await renubu('stop');
    for (const port of [env.RENUBU_API_PORT, env.RENUBU_DB_PORT, env.RENUBU_WEB_PORT]) {
      expect(await portAcceptsConnections(Number(port))).toBe(false);
    }
    await expect(renubu('status')).rejects.toMatchObject({ code: 1 });
  }, 60_000);

  it('starts again on the same data dir, keeping its data, on another database port if asked', async () => {
    // The data dir was made with the first port in its postgresql.conf; a start with
    // another RENUBU_DB_PORT serves on the one asked for.
    env.RENUBU_DB_PORT = String(await freePort());
    const log = path.join(dataDir, 'run', 'renubu.log');
    const logBefore = statSync(log).size;
    await renubu('start', '-d');
    // What this start printed is its own lines only: no warning of a library beside them
    // (once, pg's "Calling client.query() when the client is already executing a query").
    expect(readFileSync(log).subarray(logBefore).toString('utf8')).not.toContain('Warning');
    const db = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${env.RENUBU_DB_PORT}/postgres` });
    await db.connect();
    const { rows } = await db.query('select id from public.cli_lifecycle_marker');
    await db.end();
    expect(rows).toEqual([{ id: 42 }]);
  }, 240_000);
});
