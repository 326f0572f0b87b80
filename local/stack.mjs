// Brings the whole local stack up or down: the Postgres cluster (migrated and seeded with the
// real Supabase CLI), the API gateway and the web server. Used by the CLI and the test runner.
import { writeFileSync, readFileSync, existsSync, rmSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from './config.mjs';
import { ensureSystemPackages } from './system-packages.mjs';
import { initCluster, startCluster, stopCluster, isRunning } from './db/cluster.mjs';
import {
  waitForDatabase, resetDatabase, applyPendingMigrations, hasMigrationHistory,
} from './db/database.mjs';

/** @typedef {import('./config.mjs').StackConfig} StackConfig */

/** @param {StackConfig} cfg */
export const pidFile = (cfg) => path.join(cfg.runDir, 'renubu.pid');

/** Postgres up and migrated. A fresh cluster is reset and seeded; an existing one only gets
 * the migrations it has not seen, so a second start keeps the data.
 * @param {StackConfig} cfg */
export async function bringUpDatabase(cfg, { durable = true, withBrowser = false, log = console.log } = {}) {
  ensureSystemPackages({ log, withBrowser });
  const created = initCluster(cfg, { durable });
  if (startCluster(cfg)) log(`PostgreSQL started on port ${cfg.dbPort} (data in ${cfg.pgDataDir})`);
  await waitForDatabase(cfg.dbUrl);
  if (created || !(await hasMigrationHistory(cfg.dbUrl))) {
    log('Applying migrations and seed (supabase db reset)…');
    await resetDatabase(cfg.dbUrl, { quiet: true });
  } else {
    await applyPendingMigrations(cfg.dbUrl);
  }
}

/**
 * Before anything starts: every port the stack will listen on is free, or the start stops
 * here naming the port's variable. Otherwise a port held by another stack (a second stack
 * beside `npm start` with one variable left out) failed after Postgres was up, with only
 * "listen EADDRINUSE" in the log. The database's port is checked only when its cluster is
 * not running already.
 * @param {StackConfig} cfg
 */
export async function refuseTakenPorts(cfg) {
  /** @type {[string, number, string][]} */
  const ports = [
    ['RENUBU_API_PORT', cfg.apiPort, 'the API gateway'],
    ['RENUBU_WEB_PORT', cfg.webPort, 'the web app'],
    ['RENUBU_MAIL_PORT', cfg.mailPort, 'the mail catcher'],
  ];
  if (!isRunning(cfg)) ports.push(['RENUBU_DB_PORT', cfg.dbPort, 'Postgres']);
  for (const [name, port, what] of ports) await refuseTakenPort(name, port, what);
}

/**
 * Refuses, in a sentence naming the variable to change, a port something else holds: the
 * server that would take it says only "could not bind", in its log.
 * @param {string} name its RENUBU_ variable @param {number} port @param {string} what would listen there
 */
export async function refuseTakenPort(name, port, what) {
  if (await portIsFree(port)) return;
  throw new Error(`port ${port} (${name}, ${what}) is already in use. Stop what holds it, or set `
    + `${name} to a free port; a second stack needs all four RENUBU_*_PORT variables (docs/local-stack.md).`);
}

/** Whether nothing listens on this port of 127.0.0.1. @param {number} port */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * The process that serves the stack never dies of one request: an error nobody caught is
 * logged, and the request it belonged to has already been answered 500 by its server.
 */
function surviveStrayErrors() {
  if (process.listenerCount('uncaughtException') > 0) return;
  process.on('uncaughtException', (err) => process.stderr.write(`[renubu] uncaught exception: ${err?.stack ?? err}\n`));
  process.on('unhandledRejection', (reason) => process.stderr.write(`[renubu] unhandled rejection: ${/** @type {{ stack?: string } | null | undefined} */ (reason)?.stack ?? reason}\n`));
}

/**
 * The HTTP side: the gateway on apiPort and the web app on webPort.
 * @param {StackConfig} cfg
 * @param {{ functionsDir?: string, configTomlPath?: string, scheduledCalls?: boolean }} [options]
 */
export async function startServers(cfg, { functionsDir, configTomlPath, scheduledCalls = true } = {}) {
  surviveStrayErrors();
  const { buildWebIfStale } = await import('./web-build.mjs');
  const { cacheFunctionDependencies } = await import('./function-deps.mjs');
  buildWebIfStale();
  cacheFunctionDependencies(functionsDir);
  const { createGateway } = await import('./gateway/server.mjs');
  const { createWebServer } = await import('./web-server.mjs');
  const { readAuthRateLimits } = await import('./gateway/rate-limit.mjs');
  const { createMailbox, createMailCatcher } = await import('./mail-catcher.mjs');
  const mailbox = createMailbox();
  const tomlPath = configTomlPath ?? path.join(repoRoot, 'supabase', 'config.toml');
  const authRateLimits = readAuthRateLimits(tomlPath);
  if (process.env.RENUBU_AUTH_SIGN_IN_LIMIT) authRateLimits.sign_in_sign_ups = Number(process.env.RENUBU_AUTH_SIGN_IN_LIMIT);
  const gateway = createGateway({
    authRateLimits,
    config: cfg,
    functionsDir: functionsDir ?? path.join(repoRoot, 'supabase', 'functions'),
    configTomlPath: tomlPath,
    mailbox,
  });
  const web = createWebServer({ config: cfg });
  const mail = createMailCatcher({ mailbox, port: cfg.mailPort });
  await gateway.listen();
  await web.listen();
  await mail.listen();
  // pg_net's stand-in (local/pg-net-worker.mjs) performs what scheduled jobs ask for; with
  // `scheduledCalls` the stack also tells Vault where it is, which arms jobs such as the
  // outbox drain (`npm test` leaves them unarmed, so no drain races its tests).
  const { startPgNetWorker } = await import('./pg-net-worker.mjs');
  const pgNet = startPgNetWorker({ dbUrl: cfg.dbUrl });
  if (scheduledCalls) await storeSchedulerSecrets(cfg);
  return {
    async close() {
      await Promise.allSettled([gateway.close(), web.close(), pgNet.close(), mail.close()]);
    },
  };
}

/**
 * The two Vault secrets scheduled jobs read (docs/deploy.md does the same on hosted).
 * @param {StackConfig} cfg
 */
async function storeSchedulerSecrets(cfg) {
  const { withClient } = await import('./db/database.mjs');
  await withClient(cfg.dbUrl, (c) => c.query(
    `insert into vault.secrets (name, secret) values ('project_url', $1), ('service_role_key', $2)
     on conflict (name) do update set secret = excluded.secret, updated_at = now()`,
    [cfg.apiUrl, cfg.serviceRoleKey],
  ));
}

/** @param {StackConfig} cfg @param {number} pid */
export function writePid(cfg, pid) {
  mkdirSync(cfg.runDir, { recursive: true });
  writeFileSync(pidFile(cfg), String(pid));
}

/** @param {StackConfig} cfg */
export function readPid(cfg) {
  if (!existsSync(pidFile(cfg))) return null;
  const pid = Number(readFileSync(pidFile(cfg), 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** @param {StackConfig} cfg */
export function clearPid(cfg) {
  // existsSync, not rmSync's force: a data dir under a file (ENOTDIR) holds no pid file either.
  if (existsSync(pidFile(cfg))) rmSync(pidFile(cfg));
}

/** @param {StackConfig} cfg */
export async function isHealthy(cfg) {
  try {
    const [api, web] = await Promise.all([
      fetch(`${cfg.apiUrl}/auth/v1/health`, { signal: AbortSignal.timeout(2000) }),
      fetch(`${cfg.webUrl}/renubu-config.json`, { signal: AbortSignal.timeout(2000) }),
    ]);
    return api.ok && web.ok;
  } catch {
    return false;
  }
}

/** @param {StackConfig} cfg */
export async function waitUntilHealthy(cfg, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await isHealthy(cfg)) return true;
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

/**
 * Stops the servers' process (if detached) and the cluster; leaves no port behind.
 * @param {StackConfig} cfg
 */
export async function stopStack(cfg) {
  const pid = readPid(cfg);
  if (pid) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 100));
      } catch {
        break;
      }
    }
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  clearPid(cfg);
  const stopped = stopCluster(cfg);
  return { servers: Boolean(pid), database: stopped, running: isRunning(cfg) };
}
