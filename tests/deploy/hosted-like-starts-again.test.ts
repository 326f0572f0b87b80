// The hosted-like database docs/deploy.md has a newcomer push the migrations into
// (`node local/hosted-like.mjs`): a second start on the same data dir reuses it, where it
// failed with a stack trace ("permission denied to set parameter": the bootstrap ran again
// as a `postgres` that is no superuser any more); a taken port, the same dir on another
// port and a missing flag are each one sentence, never a stack trace.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/free-port.mjs';
import pg from 'pg';

const command = path.resolve('local/hosted-like.mjs');
const hostedLike = (...args: string[]) => spawnSync(process.execPath, [command, ...args], { encoding: 'utf8', timeout: 120_000 });
// Under /var/tmp: as root the server runs as `postgres`, which must reach the dir.
const parent = mkdtempSync('/var/tmp/hosted-like-test-');
chmodSync(parent, 0o755);
const dataDir = path.join(parent, 'db');

afterAll(() => {
  hostedLike('stop', '--data-dir', dataDir);
  rmSync(parent, { recursive: true, force: true });
});

/** One sentence on stderr, prefixed as the command prints its errors, and no stack trace. */
function expectOneSentence(answer: { status: number | null, stderr: string }, status: number, words: string) {
  expect(answer.status, answer.stderr).toBe(status);
  expect(answer.stderr.split('\n')[0]).toMatch(new RegExp(`^hosted-like: .*${words}.*\\.$`));
  expect(answer.stderr).not.toMatch(/\n\s+at /);
}

describe('node local/hosted-like.mjs', () => {
  it('starts, and a second start on the same data dir reuses it, postgres still no superuser', async () => {
    const port = await freePort();
    const first = hostedLike('start', '--port', String(port), '--data-dir', dataDir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Started a hosted-like database in ${dataDir}, on port ${port}.`);
    expect(first.stdout).toContain(`supabase db push --db-url 'postgresql://postgres:postgres@localhost:${port}/postgres?sslmode=disable'`);

    const again = hostedLike('start', '--port', String(port), '--data-dir', dataDir);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Reused the hosted-like database in ${dataDir}, on port ${port}.`);

    expect(hostedLike('stop', '--data-dir', dataDir).stdout).toContain(`Stopped ${dataDir}.`);
    const afterStop = hostedLike('start', '--port', String(port), '--data-dir', dataDir);
    expect(afterStop.status, afterStop.stderr).toBe(0);
    expect(afterStop.stdout).toContain('Reused');
    const db = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres` });
    await db.connect();
    const superuser = (await db.query('select rolsuper from pg_roles where rolname = current_user').finally(() => db.end())).rows[0].rolsuper;
    expect(superuser).toBe(false);

    expectOneSentence(hostedLike('start', '--port', String(await freePort()), '--data-dir', dataDir), 1, `already runs on port ${port}`);
    expectOneSentence(hostedLike('start', '--port', String(port), '--data-dir', path.join(parent, 'other')), 1, `port ${port} is already in use`);
    expect(existsSync(path.join(parent, 'other'))).toBe(false);
  }, 120_000);

  it('says a missing flag or verb in one sentence with the usage, exit 2', () => {
    for (const [args, words] of [
      [['start', '--data-dir', dataDir], 'needs --port'],
      [['start', '--port', '54330'], 'needs --data-dir'],
      [['begin'], '"begin" is not start or stop'],
      [['start', '--port', 'x', '--data-dir', dataDir], '--port x is not allowed'],
    ] as const) {
      const refused = hostedLike(...args);
      expectOneSentence(refused, 2, words);
      expect(refused.stderr).toContain('Usage:\n  node local/hosted-like.mjs start');
    }
  });

  it('stop --remove deletes only a folder that holds its database', () => {
    const other = path.join(parent, 'not-a-database');
    mkdirSync(other);
    expectOneSentence(hostedLike('stop', '--data-dir', other, '--remove'), 1, 'holds no hosted-like database, so nothing was stopped or removed');
    expect(existsSync(other)).toBe(true);
  });

  it('stop --remove stops it and deletes the data dir', () => {
    const stopped = hostedLike('stop', '--data-dir', dataDir, '--remove');
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
  });
});
