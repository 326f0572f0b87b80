// As root, Postgres runs as the `postgres` user, which cannot enter a directory closed to
// others, such as /root (why the default data dir is under /var/tmp; README.md,
// "Configuration"). `renubu start -d` with RENUBU_DATA_DIR there says so and what to set,
// and nothing is left running. Before, it answered "Renubu did not become healthy; see …
// renubu.log", and the reason (initdb: "could not open file …/pwfile: Permission denied")
// was only in that log.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/free-port.mjs';

const run = promisify(execFile);
const cli = path.resolve('local/cli.mjs');
const asRoot = process.getuid?.() === 0;

describe.skipIf(!asRoot)('renubu start with a data dir the postgres user cannot reach', () => {
  const closed = mkdtempSync(path.join(os.tmpdir(), 'renubu-closed-'));
  chmodSync(closed, 0o700);  // as /root is
  const dataDir = path.join(closed, 'renubu');

  afterAll(() => rmSync(closed, { recursive: true, force: true }));

  it('says which directory, why, and what to set; nothing keeps running', async () => {
    const env = {
      ...process.env, RENUBU_DATA_DIR: dataDir,
      RENUBU_API_PORT: String(await freePort()), RENUBU_DB_PORT: String(await freePort()),
      RENUBU_WEB_PORT: String(await freePort()), RENUBU_MAIL_PORT: String(await freePort()),
    };
    const failure = await run(process.execPath, [cli, 'start', '-d'], { env, timeout: 120_000 })
      .then(() => null, (error: { code?: number; stderr?: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`the postgres user cannot reach ${dataDir}`);
    expect(failure?.stderr).toContain('set RENUBU_DATA_DIR to a directory it can reach, such as /var/tmp/renubu-mine');
    const status = await run(process.execPath, [cli, 'status'], { env }).then(() => 0, (error: { code?: number }) => error.code);
    expect(status).toBe(1);
  }, 130_000);
});
