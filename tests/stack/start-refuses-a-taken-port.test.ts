// `renubu start` with a port already held (a second stack beside `npm start` with one
// RENUBU_*_PORT left out, docs/local-stack.md) stops before anything starts and names the
// variable to set. Before, Postgres came up and was seeded, then the start failed with only
// "listen EADDRINUSE" in the background log, and the cluster was left running.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '../../local/free-port.mjs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = path.resolve('local/cli.mjs');


describe('renubu start with a port already in use', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'renubu-taken-port-'));
  chmodSync(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, RENUBU_DATA_DIR: dataDir };
  const holder = net.createServer();
  let heldPort = 0;

  beforeAll(async () => {
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    heldPort = (holder.address() as net.AddressInfo).port;
    env.RENUBU_API_PORT = String(await freePort());
    env.RENUBU_DB_PORT = String(await freePort());
    env.RENUBU_WEB_PORT = String(await freePort());
    env.RENUBU_MAIL_PORT = String(heldPort);
  });

  afterAll(async () => {
    await run(process.execPath, [cli, 'stop'], { env, timeout: 120_000 }).catch(() => undefined);
    await new Promise((resolve) => holder.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops before Postgres starts and names the variable to change', async () => {
    const failure = await run(process.execPath, [cli, 'start', '-d'], { env, timeout: 240_000 })
      .then(() => null, (error: { code?: number; stderr?: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`port ${heldPort} (RENUBU_MAIL_PORT, the mail catcher) is already in use`);
    expect(existsSync(path.join(dataDir, 'pgdata'))).toBe(false);
  }, 250_000);
});
