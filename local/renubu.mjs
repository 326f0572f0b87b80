// The `renubu` verbs (entry point: local/cli.mjs). They mirror the Supabase CLI's verbs so
// the muscle memory carries over.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stackConfig } from './config.mjs';
import {
  bringUpDatabase, startServers, writePid, readPid, clearPid, waitUntilHealthy, stopStack, isHealthy,
  refuseTakenPort, refuseTakenPorts,
} from './stack.mjs';
import { clusterExists, isRunning, otherPortProblem, requireRunning, startCluster } from './db/cluster.mjs';
import { resetDatabase, waitForDatabase } from './db/database.mjs';
import { readArgs, refusedArgument, shown, UsageError, wholeNumber } from './cli-flags.mjs';

const HELP = `renubu — run Renubu's Supabase stack locally, without Docker

Usage:
  renubu start [-d]          Bring up Postgres (migrated + seeded), the API gateway and the web app.
                             Foreground by default (Ctrl-C stops everything); -d detaches and
                             returns once every service answers.
  renubu stop                Stop the gateway, the web server and Postgres. Data is kept.
  renubu status [-o env]     Show the URLs and keys, the data dir and the logs (-o env prints
                             KEY=value lines like \`supabase status -o env\`).
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
  renubu ingest <file.jsonl> (--org <slug> | --url <ingest url>) [--batch-size 500] [--secret whsec_...]
                             Sign and post events (one JSON per line) to the ingest function,
                             as a CRM or billing system would (docs/customer-intelligence.md).
                             --org: to this local stack's; --url: to that address, whose last
                             segment (ingest/<slug>) names the organisation, so --org is not
                             needed with it (given both, they must agree). Without --secret
                             (or $RENUBU_WEBHOOK_SECRET) it signs with the local stack's
                             newest secret of that organisation.
  renubu <verb> --help       That verb's usage alone. A mistake in a verb's arguments is said
                             in one sentence, then its usage, with exit status 2.

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

/**
 * The URLs and keys, and any further lines (`renubu status`: where the data and logs are).
 * @param {Record<string, string>} [more]
 */
function printStatus(more = {}) {
  const lines = { ...statusLines(), ...more };
  const width = Math.max(...Object.keys(lines).map((k) => k.length));
  for (const [k, v] of Object.entries(lines)) log(`  ${k.padEnd(width)}  ${v}`);
}

/** Where the stack keeps its data and logs (docs/local-stack.md, "Logs" and "Starting over"). */
const whereItKeepsData = () => ({
  DATA_DIR: cfg.dataDir,
  LOG: `${path.join(cfg.runDir, 'renubu.log')} (with -d); ${path.join(cfg.dataDir, 'postgres.log')}`,
});

/**
 * Makes the data dir, or says in a sentence that it cannot be made and what to set: the
 * system's "ENOTDIR: not a directory, mkdir …" or "EACCES: permission denied" named no way out.
 */
function makeDataDir() {
  try {
    mkdirSync(cfg.dataDir, { recursive: true });
  } catch (error) {
    const { code } = /** @type {NodeJS.ErrnoException} */ (error);
    const why = code === 'ENOTDIR' ? 'a part of its path is a file' : code === 'EACCES' || code === 'EPERM' ? 'you may not write there' : code;
    throw new Error(`the data dir ${cfg.dataDir} cannot be made (${why}): set RENUBU_DATA_DIR to a folder you may write, such as /var/tmp/renubu-mine.`);
  }
}

async function startForeground() {
  if (readPid(cfg)) throw new Error(`Renubu is already running (pid ${readPid(cfg)}). Use \`renubu stop\` first.`);
  makeDataDir();
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
  makeDataDir();
  // Said here, not only in the background process's log.
  if (!readPid(cfg)) await refuseTakenPorts(cfg);
  mkdirSync(cfg.runDir, { recursive: true });
  const logFile = path.join(cfg.runDir, 'renubu.log');
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
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
  // The background start's own error (cli.mjs prints it as `renubu: …`), said here too.
  const said = readFileSync(logFile).subarray(logStart).toString('utf8').split('\n').filter((line) => line.startsWith('renubu: '));
  throw new Error(said.length
    ? `${said.map((line) => line.slice('renubu: '.length)).join('\n')}\n(the whole log: ${logFile})`
    : `Renubu did not become healthy; see ${logFile}`);
}

const VERBS = ['start', 'stop', 'status', 'db', 'seed', 'org', 'token', 'ingest'];

/**
 * One verb's part of HELP: its line and the lines indented under it, so the help is
 * written once and `renubu <verb> --help` and a usage mistake show the same words.
 * @param {string} verb
 */
function verbUsage(verb) {
  const lines = HELP.split('\n');
  const first = lines.findIndex((line) => line.startsWith(`  renubu ${verb} `) || line === `  renubu ${verb}`);
  const following = lines.slice(first + 1);
  const end = following.findIndex((line) => !line.startsWith('    '));
  return ['Usage:', lines[first], ...following.slice(0, end)].join('\n');
}

/**
 * The one word after `renubu db` or `renubu org` that names what to do.
 * @param {string} verb @param {string | undefined} word @param {string} only its one subcommand
 */
function subcommand(verb, word, only) {
  if (word === undefined || word.startsWith('-')) throw new UsageError(`renubu ${verb} needs a subcommand: ${only}.`);
  if (word !== only) throw new UsageError(`renubu ${verb} has no subcommand ${JSON.stringify(word)}; the one it has is ${only}.`);
}

/**
 * The format `renubu status` was asked for: env (`-o env`), or undefined for the table.
 * @param {string[]} rest
 */
function statusOutput(rest) {
  const { flags } = readArgs(rest, { verb: 'renubu status', valued: ['-o', '--output'] });
  const format = flags['-o'] ?? flags['--output'];
  if (format !== undefined && format !== 'env') {
    throw new UsageError(`-o ${shown(format)} is not a format renubu status prints; the one it prints is env (-o env).`);
  }
  return format;
}

/**
 * What `renubu seed` was asked for.
 * @param {string[]} rest
 */
function seedOptions(rest) {
  const { flags } = readArgs(rest, { verb: 'renubu seed', valued: ['--scale', '--org'] });
  const scale = flags['--scale'];
  if (scale === undefined) throw new UsageError('renubu seed needs --scale N: how many customers to generate.');
  return { customers: wholeNumber('--scale', scale, { min: 1, of: 'customers' }), slug: flags['--org'] ?? null };
}

/**
 * Runs one verb. Its arguments are checked first: a mistake is a UsageError, thrown before
 * anything is started, stopped or asked of the database.
 * @param {string} verb @param {string[]} rest
 */
async function runVerb(verb, rest) {
  switch (verb) {
    case 'start': {
      const { switches } = readArgs(rest, { verb: 'renubu start', switches: ['-d', '--detach'] });
      return switches.size > 0 ? startDetached() : startForeground();
    }
    case 'stop': {
      readArgs(rest, { verb: 'renubu stop' });
      const result = await stopStack(cfg);
      // Which stack it looked for: a terminal without the RENUBU_* variables a stack was started
      // with looks for another one, and "not running" alone reads as if that stack had stopped.
      log(result.servers || result.database ? 'Stopped Renubu.'
        : `Renubu was not running with data dir ${cfg.dataDir}: nothing was stopped. A stack started with other RENUBU_* variables stops with them set.`);
      return;
    }
    case 'status': {
      if (statusOutput(rest) === 'env') {
        for (const [k, v] of Object.entries(statusLines())) log(`${k}="${v}"`);
        return;
      }
      const up = await isHealthy(cfg);
      const elsewhere = otherPortProblem(cfg);
      log(elsewhere ?? stateOfTheStack(cfg, up));
      printStatus(whereItKeepsData());
      // A database on another port is a failed status too, whatever answers on the API port
      // (another stack may: this terminal's ports are not the ones the stack was started with).
      if (!up || elsewhere) process.exitCode = 1;
      return;
    }
    case 'db': {
      const { words } = readArgs(rest, { verb: 'renubu db', words: 1, wordName: 'subcommand' });
      subcommand('db', words[0], 'reset');
      // A reset puts back a database that exists; pg_ctl would say only that pgdata is missing.
      if (!clusterExists(cfg)) {
        throw new Error(`There is no Renubu database in ${cfg.dataDir} to reset: \`npx renubu start -d\` creates it with the demo data `
          + '(or set the RENUBU_DATA_DIR it was started with).');
      }
      if (!isRunning(cfg)) await refuseTakenPort('RENUBU_DB_PORT', cfg.dbPort, 'Postgres');
      // Starts the cluster when it is stopped; refuses when it runs on another port.
      startCluster(cfg);
      await waitForDatabase(cfg.dbUrl);
      await resetDatabase(cfg.dbUrl);
      log('Database reset: migrations and seed applied.');
      return;
    }
    case 'seed': {
      const { customers, slug } = seedOptions(rest);
      requireRunning(cfg);
      const { seedScale } = await import('./seed-scale.mjs');
      await seedScale(cfg, customers, { log, slug }).catch((error) => {
        // app.seed_scale_organisation keeps the rules (a slug's shape, at most 1 000 000 customers).
        throw refusedArgument(error, {
          customers: { flag: '--scale', value: String(customers) },
          ...(slug === null ? {} : { slug: { flag: '--org', value: slug } }),
        });
      });
      return;
    }
    case 'org': {
      subcommand('org', rest[0], 'create');
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
      // renubu ingest <file.jsonl> --org <slug> | --url <ingest url>: signed Standard Webhooks deliveries (docs/customer-intelligence.md).
      const { ingestCommand } = await import('./ingest.mjs');
      await ingestCommand(cfg, rest, { log });
      return;
    }
    default:
      throw new Error(`no verb ${verb}`);
  }
}

/**
 * `renubu status`'s first line when this data dir's database is not on another port: running,
 * stopped, or a database that runs while nothing answers on this terminal's API and web ports
 * (set without the ports it was started with, or its servers have stopped).
 * @param {import('./config.mjs').StackConfig} cfg @param {boolean} up
 */
function stateOfTheStack(cfg, up) {
  if (up) return 'Renubu is running.';
  if (!isRunning(cfg)) return 'Renubu is not running (database stopped).';
  return `Renubu's database runs on port ${cfg.dbPort}, but nothing answers at ${cfg.apiUrl} and ${cfg.webUrl}: `
    + 'set the RENUBU_API_PORT and RENUBU_WEB_PORT it was started with, or start its servers with `npx renubu start -d`.';
}

/**
 * A usage mistake: the sentence, then the usage to do it right, on stderr; exit status 2.
 * @param {string} sentence @param {string} usage
 */
function refuse(sentence, usage) {
  console.error(`renubu: ${sentence}\n${usage}`);
  process.exitCode = 2;
}

/** @param {string[]} argv */
async function main(argv) {
  const [first, ...rest] = argv;
  // `renubu help <verb>` is `renubu <verb> --help`.
  const helpAsked = first === 'help' || rest.includes('--help') || rest.includes('-h');
  const verb = first === 'help' ? rest[0] : first;
  if (verb === undefined || verb === '--help' || verb === '-h') {
    log(HELP);
    return;
  }
  if (!VERBS.includes(verb)) {
    refuse(`${JSON.stringify(verb)} is not a renubu command; the commands are ${VERBS.join(', ')}.`, HELP);
    return;
  }
  const usage = verbUsage(verb === 'org' ? 'org create' : verb);
  if (helpAsked) {
    log(usage);
    return;
  }
  try {
    await runVerb(verb, rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    refuse(error.message, usage);
  }
}

export { main };
