// The `renubu` verbs (entry point: local/cli.mjs). They mirror the Supabase CLI's verbs so
// the muscle memory carries over.
import { spawn } from 'node:child_process';
import { openSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stackConfig } from './config.mjs';
import {
  bringUpDatabase, startServers, writePid, readPid, clearPid, waitUntilHealthy, stopStack, isHealthy,
  refuseTakenPorts,
} from './stack.mjs';
import { isRunning, startCluster } from './db/cluster.mjs';
import { resetDatabase, waitForDatabase } from './db/database.mjs';

const HELP = `renubu — run Renubu's Supabase stack locally, without Docker

Usage:
  renubu start [-d]          Bring up Postgres (migrated + seeded), the API gateway and the web app.
                             Foreground by default (Ctrl-C stops everything); -d detaches and
                             returns once every service answers.
  renubu stop                Stop the gateway, the web server and Postgres. Data is kept.
  renubu status [-o env]     Show the URLs and keys (-o env prints KEY=value lines like
                             \`supabase status -o env\`).
  renubu db reset            Drop the project's schemas, re-apply every migration and seed.sql.
  renubu seed --scale N [--org SLUG]
                             Generate N customers in a separate "scale" organisation for
                             benchmarks (see README: Benchmarks). Up to 100 000 it is
                             scale-co; larger sizes get their own (scale-co-300k) beside it.
  renubu org create --name <name> --admin-email <email> [--admin-name <name>] [--slug <slug>] [--time-zone <tz>]
                             A new organisation and its first admin (a generated password is
                             printed once), to start without the demo data. The full workflow
                             catalogue is there from the first sign-in.
  renubu token --email <email> [--hours N]
                             Print an access token for that person (1 h unless --hours, at
                             most 24), for an MCP client or a script (docs/agents.md).
  renubu ingest <file.jsonl> --org <slug> [--batch-size 500] [--secret whsec_...] [--url <ingest url>]
                             Sign and post events (one JSON per line) to the ingest function,
                             as a CRM or billing system would (docs/customer-intelligence.md).

Environment (for a second, isolated stack, e.g. in tests; set the same values for every verb):
  RENUBU_API_PORT (54321)  RENUBU_DB_PORT (54322)  RENUBU_WEB_PORT (3000)
  RENUBU_MAIL_PORT (54324)  RENUBU_DATA_DIR (README.md, "Configuration")
`;

const cfg = stackConfig();
const log = (/** @type {string} */ msg) => console.log(msg);

function statusLines() {
  return {
    API_URL: cfg.apiUrl,
    DB_URL: cfg.dbUrl,
    WEB_URL: cfg.webUrl,
    MAILPIT_URL: cfg.mailUrl,
    ANON_KEY: cfg.anonKey,
    SERVICE_ROLE_KEY: cfg.serviceRoleKey,
    JWT_SECRET: cfg.jwtSecret,
  };
}

function printStatus() {
  const lines = statusLines();
  const width = Math.max(...Object.keys(lines).map((k) => k.length));
  for (const [k, v] of Object.entries(lines)) log(`  ${k.padEnd(width)}  ${v}`);
}

async function startForeground() {
  if (readPid(cfg)) throw new Error(`Renubu is already running (pid ${readPid(cfg)}). Use \`renubu stop\` first.`);
  await refuseTakenPorts(cfg);
  await bringUpDatabase(cfg, { log });
  const servers = await startServers(cfg);
  writePid(cfg, process.pid);
  log('\nRenubu is up.');
  printStatus();
  const shutdown = async (/** @type {NodeJS.Signals} */ signal) => {
    log(`\n${signal}: stopping…`);
    await servers.close();
    clearPid(cfg);
    // Detached children are stopped by `renubu stop`, which stops the cluster itself.
    if (!process.env.RENUBU_DETACHED) await stopStack(cfg);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

async function startDetached() {
  if (readPid(cfg) && (await isHealthy(cfg))) {
    log('Renubu is already running.');
    printStatus();
    return;
  }
  // Said here, not only in the background process's log.
  if (!readPid(cfg)) await refuseTakenPorts(cfg);
  mkdirSync(cfg.runDir, { recursive: true });
  const logFile = path.join(cfg.runDir, 'renubu.log');
  const out = openSync(logFile, 'a');
  const cliPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.mjs');
  const child = spawn(process.execPath, [cliPath, 'start'], {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, RENUBU_DETACHED: '1' },
  });
  child.unref();
  let exited = false;
  child.on('exit', () => { exited = true; });
  log(`Starting Renubu in the background (log: ${logFile})…`);
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline && !exited) {
    if (await waitUntilHealthy(cfg, 1000)) {
      log('Renubu is up.');
      printStatus();
      return;
    }
  }
  throw new Error(`Renubu did not become healthy; see ${logFile}`);
}

/** @param {string[]} argv */
async function main(argv) {
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'start':
      return rest.includes('-d') || rest.includes('--detach') ? startDetached() : startForeground();
    case 'stop': {
      const result = await stopStack(cfg);
      log(result.servers || result.database ? 'Stopped Renubu.' : 'Renubu was not running.');
      return;
    }
    case 'status': {
      const outputIndex = rest.findIndex((a) => a === '-o' || a === '--output');
      if (outputIndex >= 0 && rest[outputIndex + 1] === 'env') {
        for (const [k, v] of Object.entries(statusLines())) log(`${k}="${v}"`);
        return;
      }
      const up = await isHealthy(cfg);
      log(`Renubu is ${up ? 'running' : 'not running'}${isRunning(cfg) ? '' : ' (database stopped)'}.`);
      printStatus();
      if (!up) process.exitCode = 1;
      return;
    }
    case 'db':
      if (rest[0] === 'reset') {
        if (!isRunning(cfg)) startCluster(cfg);
        await waitForDatabase(cfg.dbUrl);
        await resetDatabase(cfg.dbUrl);
        log('Database reset: migrations and seed applied.');
        return;
      }
      break;
    case 'seed': {
      const scaleIndex = rest.indexOf('--scale');
      const n = Number(rest[scaleIndex + 1]);
      if (scaleIndex < 0 || !Number.isInteger(n) || n < 1) throw new Error('Usage: renubu seed --scale N [--org SLUG] (N ≥ 1)');
      const orgIndex = rest.indexOf('--org');
      const slug = orgIndex < 0 ? null : rest[orgIndex + 1];
      const { seedScale } = await import('./seed-scale.mjs');
      await seedScale(cfg, n, { log, slug: slug ?? null });
      return;
    }
    case 'org': {
      if (rest[0] !== 'create') break;
      const { orgCreateCommand } = await import('./org-create.mjs');
      await orgCreateCommand(cfg, rest.slice(1), { log });
      return;
    }
    case 'token': {
      // renubu token --email <email>: an access token for agents and scripts (docs/agents.md).
      const { tokenCommand } = await import('./token.mjs');
      await tokenCommand(cfg, rest, { log });
      return;
    }
    case 'ingest': {
      // renubu ingest <file.jsonl> --org <slug>: signed Standard Webhooks deliveries (docs/customer-intelligence.md).
      const { ingestCommand } = await import('./ingest.mjs');
      await ingestCommand(cfg, rest, { log });
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      log(HELP);
      return;
    default:
      break;
  }
  log(HELP);
  process.exitCode = 2;
}

export { main };
