#!/usr/bin/env node
// `npm run reliability`: load, crash and bad input against throwaway stacks of their own,
// with the full numbers, then the summary table (also written to docs/reliability.md).
//
//   npm run reliability [-- --csms 50 --seconds 60 --crash-csms 20 --crash-seconds 40 --fuzz-runs 1500 --seed N --no-docs]
//
// 1. Load: N simulated CSMs for D seconds on a fresh stack; reconciled by SQL afterwards.
// 2. Crash: on a second fresh stack, load while the chat worker, the postmaster and the
//    gateway are killed (-9) and the stack restarted on the same data; durability and
//    nothing-stuck checks afterwards.
// 3. Bad input: fast-check fuzzing of every public RPC and Edge Function on the first stack.
// Exits non-zero when any error, lost write, stuck row or finding was seen.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNpmDependencies } from '../ensure-npm-deps.mjs';
import { readArgs, UsageError, wholeNumber } from '../cli-flags.mjs';

const USAGE = `Usage: npm run reliability [-- --csms 50 --seconds 60 --crash-csms 20 --crash-seconds 40
                                 --fuzz-runs 1500 --seed N --no-docs]   (docs/reliability.md)`;

/**
 * How the run was asked for. A mistake is said, with the usage, before any stack starts
 * (exit status 2), as `renubu` says its own (local/cli-flags.mjs).
 * @param {string[]} argv
 */
function runOptions(argv) {
  const { flags, switches } = readArgs(argv, {
    verb: 'npm run reliability',
    valued: ['--csms', '--seconds', '--crash-csms', '--crash-seconds', '--fuzz-runs', '--seed'],
    switches: ['--no-docs'],
  });
  /** @param {string} flag @param {number} fallback @param {{ min: number, of?: string }} range */
  const count = (flag, fallback, range) => (flags[flag] === undefined ? fallback : wholeNumber(flag, flags[flag] ?? '', range));
  return {
    csms: count('--csms', 50, { min: 1, of: 'simulated CSMs' }),
    seconds: count('--seconds', 60, { min: 1, of: 'seconds' }),
    crashCsms: count('--crash-csms', 20, { min: 1, of: 'simulated CSMs' }),
    crashSeconds: count('--crash-seconds', 40, { min: 1, of: 'seconds' }),
    fuzzRuns: count('--fuzz-runs', 1500, { min: 1, of: 'runs' }),
    seed: count('--seed', Date.now() % 1_000_000, { min: 0 }),
    writeDocs: !switches.has('--no-docs'),
  };
}

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
/** @type {ReturnType<typeof runOptions>} */
let options;
try {
  options = runOptions(args);
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`reliability: ${error.message}\n${USAGE}`);
  process.exit(2);
}
const { csms, seconds, crashCsms, crashSeconds, fuzzRuns, seed, writeDocs } = options;

ensureNpmDependencies();
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { StackProcess } = await import('./stack-process.mjs');
const { runLoad, reconcile } = await import('./load.mjs');
const { runCrash, CRASH_STACK_ENV } = await import('./crash.mjs');
const { runFuzz } = await import('./fuzz.mjs');
const { table } = await import('./report.mjs');

const log = (/** @type {string} */ line) => console.log(line);

const rows = [];
const problems = [];
const findings = [];
const notes = [];
const started = Date.now();

/** @type {InstanceType<typeof StackProcess>[]} */
const stacks = [];
process.on('SIGINT', async () => {
  await Promise.allSettled(stacks.map((s) => s.destroy()));
  process.exit(130);
});

try {
  // 3 then 1: fuzz while the database is small (its fingerprint reads every row after each
  // call), then the load, on one fresh stack.
  const main = await new StackProcess().init();
  stacks.push(main);
  log(`Bringing up a throwaway stack in ${main.dataDir} (api ${main.cfg.apiPort}, db ${main.cfg.dbPort})…`);
  await main.start();
  const fuzz = await runFuzz({ url: main.cfg.apiUrl, anonKey: main.cfg.anonKey, dbUrl: main.cfg.dbUrl, runs: fuzzRuns, seed, log });
  findings.push(...fuzz.findings);
  const statuses = Object.entries(fuzz.stats.status).map(([k, v]) => `${k}×${v}`).join(' ');
  rows.push({
    scenario: `bad input (${fuzz.stats.rpcs} RPCs + ${fuzz.stats.functions} functions)`, requests: fuzz.stats.requests, errors: fuzz.stats.errors, faults: 0,
    reconciled: fuzz.stats.reconciled, note: `seed ${seed}; statuses ${statuses}; fingerprint checked after every call`,
  });
  const load = await runLoad({ url: main.cfg.apiUrl, anonKey: main.cfg.anonKey, dbUrl: main.cfg.dbUrl, csms, seconds, log });
  const rec = await reconcile(main.cfg.dbUrl, load.ledger);
  load.stats.reconciled = rec.rows;
  problems.push(...rec.problems.map((p) => `load: ${p}`), ...load.stats.failures.map((f) => `load: ${f}`));
  rows.push({
    scenario: `load (${csms} CSMs × ${seconds} s)`, requests: load.stats.requests, errors: load.stats.errors + rec.problems.length, faults: 0, reconciled: rec.rows,
    note: `${Math.round(load.stats.requests / load.stats.seconds)} req/s; 5xx ${load.stats.http5xx}, unexpected 4xx ${load.stats.unexpected4xx}, network ${load.stats.network}; ${load.ledger.actions.length} actions, ${load.ledger.chats.length} chat turns, ${load.stats.expected4xx} declared 4xx; ${rec.problems.length ? `${rec.problems.length} reconciliation problems` : 'all reconciled'}`,
  });
  log(`load done: ${load.stats.requests} requests, ${load.stats.errors} errors`);

  await main.destroy();

  // 2: crash, on a stack of its own.
  const crashStack = await new StackProcess({ env: CRASH_STACK_ENV }).init();
  stacks.push(crashStack);
  log(`Bringing up the crash stack in ${crashStack.dataDir}…`);
  await crashStack.start();
  const crash = await runCrash(crashStack, { csms: crashCsms, seconds: crashSeconds, log });
  problems.push(...crash.problems.map((p) => `crash: ${p}`), ...crash.stats.failures.map((f) => `crash: ${f}`));
  notes.push(...crash.notes);
  rows.push({
    scenario: `crash (${crashCsms} CSMs × ${crashSeconds} s)`, requests: crash.stats.requests, errors: crash.stats.errors + crash.problems.length, faults: crash.stats.faults,
    reconciled: crash.stats.reconciled,
    note: `${crash.stats.faultFailures} failed inside fault windows; ${crash.ledger.actions.length + crash.ledger.chats.length} acknowledged writes checked; ${crash.problems.length ? `${crash.problems.length} problems` : 'none lost, none stuck'}`,
  });
  await crashStack.destroy();
} catch (error) {
  console.error(error);
  problems.push(`run aborted: ${/** @type {Error} */ (error).message}`);
  await Promise.allSettled(stacks.map((s) => s.destroy()));
}

const summary = table(rows);
console.log(`\n${summary}\n`);
for (const n of notes) console.log(`  · ${n}`);
for (const p of problems) console.log(`  ✗ ${p}`);
const grouped = new Map();
for (const f of findings) {
  const key = `${f.kind} — ${f.target} → ${f.status}`;
  if (!grouped.has(key)) grouped.set(key, { ...f, count: 0 });
  grouped.get(key).count++;
}
for (const [key, f] of grouped) console.log(`  ✗ finding: ${key} (×${f.count})\n      request (${f.as}): ${f.request.slice(0, 200)}\n      response: ${f.response.slice(0, 300)}`);
const minutes = ((Date.now() - started) / 60000).toFixed(1);
console.log(`\nreliability: ${minutes} min; ${problems.length} problems, ${grouped.size} distinct findings`);

if (writeDocs) {
  const docs = path.join(repoRoot, 'docs', 'reliability.md');
  if (existsSync(docs)) {
    const text = readFileSync(docs, 'utf8');
    const measured = `<!-- measured:start -->\nLast measured by \`npm run reliability\` on ${new Date().toISOString().slice(0, 10)} (2-core machine, ${minutes} min):\n\n${summary}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n${problems.length || grouped.size ? `\n${problems.length} problems and ${grouped.size} distinct fuzz findings (see "Known findings").\n` : '\nNo errors, nothing lost, nothing stuck.\n'}<!-- measured:end -->`;
    writeFileSync(docs, text.replace(/<!-- measured:start -->[\s\S]*<!-- measured:end -->/, measured));
  }
}
const passed = rows.length - (problems.length || grouped.size ? 1 : 0);
console.log(`${Math.max(passed, 0)} passed, ${problems.length + grouped.size ? 1 : 0} failed`);
process.exit(problems.length || grouped.size ? 1 : 0);
