// The project's own PostgreSQL 15 cluster: created on first use, started and stopped with
// pg_ctl. initdb refuses to run as root, so as root every server command runs as the
// `postgres` OS user, and the data dir lives in a folder that user owns (see config.mjs).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync, chownSync } from 'node:fs';
import path from 'node:path';
import { isRoot } from '../config.mjs';
import { PG_BIN } from '../system-packages.mjs';
import { serverSizing } from './server-sizing.mjs';

const SERVER_USER = 'postgres';

/**
 * What the cluster functions need of a stack's config (config.mjs's StackConfig, or the
 * hosted-like cluster's).
 * @typedef {{ pgDataDir: string, dataDir: string, socketDir: string, dbPort: number }} ClusterConfig
 */

function serverUserIds() {
  const out = execFileSync('id', [SERVER_USER]).toString();
  const uid = Number(/uid=(\d+)/.exec(out)?.[1]);
  const gid = Number(/gid=(\d+)/.exec(out)?.[1]);
  return { uid, gid };
}

/**
 * Runs a PostgreSQL server binary as the server user (directly when we are not root).
 * @param {string} binary
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function asServerUser(binary, args, options = {}) {
  const file = path.join(PG_BIN, binary);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', SERVER_USER, '--', file, ...args]] : [file, args];
  return spawnSync(cmd, argv, { encoding: 'utf8', ...options });
}

/** @param {string} dir */
function ownedDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (isRoot()) {
    const { uid, gid } = serverUserIds();
    chownSync(dir, uid, gid);
  }
}

/**
 * As root, the server runs as the postgres user, which must be able to enter the data dir:
 * one under a directory closed to others (/root, a 0700 home) is refused here in words,
 * before initdb fails on it with "Permission denied" (README.md, "Configuration").
 * @param {string} dir
 */
function requireReachableByServerUser(dir) {
  if (!isRoot() || spawnSync('runuser', ['-u', SERVER_USER, '--', 'test', '-x', dir]).status === 0) return;
  throw new Error(`the ${SERVER_USER} user cannot reach ${dir}: a directory above it is closed to other users `
    + `(as /root is). Postgres runs as ${SERVER_USER}, so set RENUBU_DATA_DIR to a directory it can reach, `
    + 'such as /var/tmp/renubu-mine.');
}

/** @param {ClusterConfig} cfg */
export function clusterExists(cfg) {
  return existsSync(path.join(cfg.pgDataDir, 'PG_VERSION'));
}

/**
 * initdb with the settings the stack needs; a no-op when the cluster already exists.
 * @param {ClusterConfig} cfg
 */
export function initCluster(cfg, { durable = true } = {}) {
  if (clusterExists(cfg)) return false;
  ownedDir(cfg.dataDir);
  requireReachableByServerUser(cfg.dataDir);
  ownedDir(cfg.socketDir);
  const pwfile = path.join(cfg.dataDir, 'pwfile');
  writeFileSync(pwfile, 'postgres\n', { mode: 0o600 });
  if (isRoot()) chownSync(pwfile, serverUserIds().uid, serverUserIds().gid);
  const result = asServerUser('initdb', [
    '-D', cfg.pgDataDir, '-U', 'postgres', `--pwfile=${pwfile}`,
    '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8',
  ]);
  if (result.status !== 0) throw new Error(`initdb failed:\n${result.stderr || result.stdout}`);
  const settings = [
    `port = ${cfg.dbPort}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${cfg.socketDir}'`,
    `shared_preload_libraries = 'pg_cron'`,
    `cron.database_name = 'postgres'`,
    `max_connections = 200`,
    ...serverSizing(),
    `work_mem = '32MB'`,
    `maintenance_work_mem = '512MB'`,
    `timezone = 'UTC'`,
    `log_min_messages = warning`,
    // A throwaway test cluster trades crash safety for speed. A durable one keeps every
    // commit it acknowledged: with synchronous_commit off, kill -9 of the postmaster lost
    // writes answered 200 up to ~40 ms earlier (docs/reliability.md).
    ...(durable ? [] : ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off']),
  ];
  appendFileSync(path.join(cfg.pgDataDir, 'postgresql.conf'), `\n# renubu\n${settings.join('\n')}\n`);
  return true;
}

/** @param {ClusterConfig} cfg */
export function isRunning(cfg) {
  if (!clusterExists(cfg)) return false;
  return asServerUser('pg_ctl', ['-D', cfg.pgDataDir, 'status']).status === 0;
}

/**
 * For the verbs that work in a running stack's database (token, org create, seed, ingest):
 * when the cluster is not running, say so and how to start it at once, rather than fail
 * with a connection error after waiting for a database that is not coming.
 * @param {ClusterConfig} cfg
 */
export function requireRunning(cfg) {
  if (isRunning(cfg)) return requireItsPort(cfg);
  throw new Error(`Renubu is not running with data dir ${cfg.dataDir} and database port ${cfg.dbPort}: `
    + 'start it with `npx renubu start -d`, with the same RENUBU_* variables set as for this command.');
}

/** @param {ClusterConfig} cfg */
export function startCluster(cfg) {
  if (isRunning(cfg)) {
    // Running already (started by an earlier command): on the port asked for, or say so.
    requireItsPort(cfg);
    return false;
  }
  const logFile = path.join(cfg.dataDir, 'postgres.log');
  // pg_cron runs its jobs in background workers: by default it would log in over TCP as
  // the job's owner, which password authentication refuses ("connection failed"), so no
  // scheduled job (orchestrator, reaper, mail drain) ever ran. Passed at every start so a
  // cluster made by an earlier version gets it too.
  // The port too: the one in postgresql.conf is the one the data directory was made with,
  // and a later start may ask for another (RENUBU_DB_PORT).
  const serverOptions = `-c cron.use_background_workers=on -c max_worker_processes=32 -c port=${Number(cfg.dbPort)}`;
  const result = asServerUser('pg_ctl', ['-D', cfg.pgDataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  if (result.status !== 0) {
    throw new Error(`PostgreSQL did not start (see ${logFile}):\n${result.stderr || result.stdout}`);
  }
  return true;
}

/**
 * When this data directory's server runs on another port than the one asked for (a new
 * terminal without the RENUBU_* variables it was started with, or with some of them), the
 * sentence that says so and what to set; otherwise null. A verb that went on would wait for
 * a database that is not there, or work in another stack's on that port.
 * @param {ClusterConfig} cfg
 */
export function otherPortProblem(cfg) {
  const running = runningPort(cfg);
  if (running === null || running === cfg.dbPort) return null;
  return `PostgreSQL of ${cfg.pgDataDir} is already running on port ${running}, not ${cfg.dbPort}: `
    + `set the RENUBU_* variables it was started with (RENUBU_DB_PORT=${running}), `
    + 'or stop it first (renubu stop with the same RENUBU_DATA_DIR).';
}

/** @param {ClusterConfig} cfg */
function requireItsPort(cfg) {
  const problem = otherPortProblem(cfg);
  if (problem) throw new Error(problem);
}

/**
 * The port a running server of this data directory listens on (the fourth line of
 * postmaster.pid), or null when it cannot be read.
 * @param {ClusterConfig} cfg
 */
export function runningPort(cfg) {
  try {
    const port = Number(readFileSync(path.join(cfg.pgDataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
}

/** @param {ClusterConfig} cfg */
export function stopCluster(cfg) {
  if (!isRunning(cfg)) return false;
  asServerUser('pg_ctl', ['-D', cfg.pgDataDir, '-m', 'fast', '-w', 'stop']);
  return true;
}
