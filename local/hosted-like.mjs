#!/usr/bin/env node
// A database shaped like a new hosted Supabase project (local/db/hosted-like.mjs), to try a
// deploy's `supabase db push` and the advisors on it yourself (docs/deploy.md):
//
//   node local/hosted-like.mjs start --port 54330 --data-dir /var/tmp/renubu-hosted-like
//   node local/hosted-like.mjs stop --data-dir /var/tmp/renubu-hosted-like [--remove]
//
// A second start on the same data dir reuses it. A mistake in the arguments is one sentence
// and the usage, exit 2; a failure of the work (a taken port, a data dir the server cannot
// reach) is one sentence, exit 1: the same as `renubu`'s (local/renubu.mjs), never a stack trace.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArgs, UsageError, wholeNumber } from './cli-flags.mjs';
import { clusterExists, isRunning, runningPort } from './db/cluster.mjs';
import { cliDbUrl } from './db/database.mjs';
import { hostedLikeConfig, startHostedLikeCluster, stopHostedLikeCluster } from './db/hosted-like.mjs';
import { portIsFree } from './stack.mjs';

const USAGE = `Usage:
  node local/hosted-like.mjs start --port <port> --data-dir <dir>
                             Start a database shaped like a new hosted project (postgres is no
                             superuser there) and print the URL to push to; a data dir an
                             earlier start made is reused.
  node local/hosted-like.mjs stop --data-dir <dir> [--remove]
                             Stop it; --remove also deletes the data dir.`;

/**
 * The verb and its flags; a mistake is a UsageError.
 * @param {string[]} argv
 */
function hostedLikeOptions(argv) {
  const [verb, ...rest] = argv;
  if (verb !== 'start' && verb !== 'stop') {
    throw new UsageError(verb === undefined ? 'hosted-like needs start or stop.' : `${JSON.stringify(verb)} is not start or stop.`);
  }
  const { flags, switches } = verb === 'start'
    ? readArgs(rest, { verb: 'hosted-like start', valued: ['--port', '--data-dir'] })
    : readArgs(rest, { verb: 'hosted-like stop', valued: ['--data-dir'], switches: ['--remove'] });
  const dataDir = flags['--data-dir'];
  if (dataDir === undefined) throw new UsageError(`hosted-like ${verb} needs --data-dir <dir>: where the database's files are.`);
  if (verb === 'stop') return { verb, dataDir: path.resolve(dataDir), port: 0, remove: switches.has('--remove') };
  if (flags['--port'] === undefined) throw new UsageError('hosted-like start needs --port <port>: a free port for the database, such as 54330.');
  return { verb, dataDir: path.resolve(dataDir), port: wholeNumber('--port', flags['--port'], { min: 1024, max: 65535 }), remove: false };
}

/** @param {string[]} argv */
async function hostedLikeCommand(argv) {
  if (argv.includes('--help') || argv.includes('-h')) return console.log(USAGE);
  const { verb, dataDir, port, remove } = hostedLikeOptions(argv);
  const hcfg = hostedLikeConfig({ dbPort: port, dataDir });
  if (verb === 'stop') {
    // --remove deletes only what a start made: a mistyped --data-dir never loses another folder.
    if (remove && existsSync(dataDir) && !clusterExists(hcfg)) {
      throw new Error(`${dataDir} holds no hosted-like database, so nothing was stopped or removed: give the --data-dir its start was given.`);
    }
    const stopped = stopHostedLikeCluster(hcfg);
    if (remove) rmSync(dataDir, { recursive: true, force: true });
    console.log(`${stopped ? 'Stopped' : 'Nothing was running in'} ${dataDir}${remove ? '; removed it' : ''}.`);
    return;
  }
  const running = runningPort(hcfg);
  if (running !== null && running !== port) {
    throw new Error(`the hosted-like database in ${dataDir} already runs on port ${running}: push to that port, or stop it first (stop --data-dir ${dataDir}).`);
  }
  // pg_ctl would say only "could not bind" in a log: said here, before anything is made.
  if (!isRunning(hcfg) && !(await portIsFree(port))) throw new Error(`port ${port} is already in use: give --port a free one.`);
  const { reused } = await startHostedLikeCluster(hcfg);
  console.log(reused ? `Reused the hosted-like database in ${dataDir}, on port ${port}.` : `Started a hosted-like database in ${dataDir}, on port ${port}.`);
  console.log(`Push to it with: npx supabase db push --db-url '${cliDbUrl(hcfg.dbUrl)}' --yes`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await hostedLikeCommand(process.argv.slice(2)).catch((/** @type {Error} */ error) => {
    console.error(`hosted-like: ${error.message}${error instanceof UsageError ? `\n${USAGE}` : ''}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
}
