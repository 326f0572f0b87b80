// `renubu status` names the data dir and the log, running or not: docs/local-stack.md
// ("Starting over") has a person delete the data dir, which as root is
// /var/tmp/renubu-<hash of the checkout path>, and the logs are inside it. Before, only
// `start -d` printed anything of it (its log's path), so the dir of a stopped stack was a guess.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = path.resolve('local/cli.mjs');

describe('renubu status', () => {
  it('names the data dir and the log, also for a stack that is not running', () => {
    const dataDir = '/dev/null/renubu-status-names-the-data-dir';
    const status = spawnSync(process.execPath, [cli, 'status'], {
      encoding: 'utf8',
      env: { ...process.env, RENUBU_DATA_DIR: dataDir, RENUBU_API_PORT: '9', RENUBU_DB_PORT: '9', RENUBU_WEB_PORT: '9', RENUBU_MAIL_PORT: '9' },
      timeout: 30_000,
    });
    expect(status.status).toBe(1);
    expect(status.stdout).toMatch(/^Renubu is not running/);
    expect(status.stdout).toMatch(new RegExp(`^  DATA_DIR +${dataDir}$`, 'm'));
    expect(status.stdout).toMatch(new RegExp(`^  LOG +${dataDir}/run/renubu.log \\(with -d\\); ${dataDir}/postgres.log$`, 'm'));
  });

  it('keeps -o env to the variables a script evals', () => {
    const env = spawnSync(process.execPath, [cli, 'status', '-o', 'env'], {
      encoding: 'utf8', env: { ...process.env, RENUBU_DATA_DIR: '/dev/null/renubu-status-env' }, timeout: 30_000,
    });
    expect(env.stdout).not.toContain('DATA_DIR');
  });
});
