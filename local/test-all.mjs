#!/usr/bin/env node
// `npm test`: every test against a fresh throwaway stack, then Supabase's own checks.
//   0. type checks (tsc for shared code, tests, web and the stand-in in local/; deno check
//      for the functions)
//   1. pgTAP (pg_prove over supabase/tests) twice: on a hosted-like project the migrations
//      were pushed to with the real CLI (no seed, no superuser), and on the seeded database
//   2. vitest (unit, contract, integration) against that stack through the gateway
//   3. `supabase db advisors --fail-on warn` and `supabase db lint` on the same database
// It ends with one line "N passed, N failed" and exits non-zero when anything failed.
//
// A focused run for development: `npm test -- <paths…>` runs only the named pgTAP files
// (*.sql) and vitest files or filters (anything else), on the same kind of throwaway stack,
// and skips the type checks and Supabase's checks.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { freePort } from './free-port.mjs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNpmDependencies } from './ensure-npm-deps.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Install npm dependencies first: everything below imports from node_modules.
ensureNpmDependencies();

const { stackConfig } = await import('./config.mjs');
const { bringUpDatabase, startServers } = await import('./stack.mjs');
const { stopCluster } = await import('./db/cluster.mjs');
const { withClient, cliDbUrl, runSupabaseCli } = await import('./db/database.mjs');


const focus = process.argv.slice(2);
// The vendored helpers install the `tests` schema every pgTAP file uses: always first.
const HELPERS_SQL = 'supabase/tests/000_helpers.sql';
const focusSql = focus.filter((a) => a.endsWith('.sql'));
if (focusSql.length && !focusSql.some((f) => f.endsWith('000_helpers.sql'))) focusSql.unshift(HELPERS_SQL);
const focusVitest = focus.filter((a) => !a.endsWith('.sql'));
const focused = focus.length > 0;

const tally = { passed: 0, failed: 0 };
/** @type {string[]} */
const sections = [];
/** @param {string} name @param {number} passed @param {number} failed */
function record(name, passed, failed) {
  tally.passed += passed;
  tally.failed += failed;
  sections.push(`${name}: ${passed} passed, ${failed} failed`);
}

// A throwaway stack of its own, so `npm test` never touches the one `npm start` runs.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'renubu-test-'));
chmodSync(dataDir, 0o755);
Object.assign(process.env, {
  RENUBU_DATA_DIR: dataDir,
  RENUBU_API_PORT: String(await freePort()),
  RENUBU_DB_PORT: String(await freePort()),
  RENUBU_WEB_PORT: String(await freePort()),
  RENUBU_MAIL_PORT: String(await freePort()),
  // Every test signs in from 127.0.0.1; the limiter itself is tested with a small limit
  // (tests/hardening/auth-rate-limit.test.ts).
  RENUBU_AUTH_SIGN_IN_LIMIT: '100000',
});
const cfg = stackConfig();
/** @type {Awaited<ReturnType<typeof startServers>> | undefined} */
let servers;

// An interrupted run still stops its throwaway cluster and removes its data.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await servers?.close();
    stopCluster(cfg);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  });
}

// The tests of the demo data itself (supabase/tests/demo_seed/) need the seed; every other
// file brings its own fixtures and runs on a database with the migrations only.
const DEMO_SEED_TESTS = `supabase${path.sep}tests${path.sep}demo_seed`;

/**
 * The pgTAP files of this run, the helpers first.
 * @param {{ withoutDemoSeedTests: boolean }} options
 * @returns {string[]}
 */
function pgTapFiles({ withoutDemoSeedTests }) {
  const all = focused ? focusSql : listSqlFiles(path.join(repoRoot, 'supabase', 'tests')).map((f) => path.relative(repoRoot, f));
  return all.filter((f) => !(withoutDemoSeedTests && path.normalize(f).startsWith(DEMO_SEED_TESTS)));
}

/** @param {string} dir @returns {string[]} */
function listSqlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listSqlFiles(path.join(dir, e.name)) : e.name.endsWith('.sql') ? [path.join(dir, e.name)] : []));
}

/**
 * pg_prove over supabase/tests (or the focused files) on one database of the throwaway
 * cluster. `label` names the section in the summary.
 * @param {number} port
 * @param {string} label
 */
function runPgTap(port, label, { withoutDemoSeedTests = false } = {}) {
  console.log(`\n$ pg_prove (${label})`);
  const env = {
    ...process.env,
    PGPASSWORD: 'postgres',
    // pgTAP lives in `extensions`, as `supabase test db` installs it (docs/supabase-protocol.md §6).
    PGOPTIONS: '--search_path=public,extensions',
  };
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres',
    '--ext', '.sql', '-r', '--verbose', '--failures', ...pgTapFiles({ withoutDemoSeedTests })];
  const r = spawnSync('pg_prove', args, { cwd: repoRoot, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const out = `${r.stdout}${r.stderr}`;
  const passed = (out.match(/^\s*ok \d+/gm) ?? []).length;
  let failed = (out.match(/^\s*not ok \d+/gm) ?? []).length;
  // A file that dies or misses its plan fails even when every assertion it reached passed.
  const badFiles = (out.match(/^(\S+\.sql) .*(Dubious|Bad plan|No subtests|Parse errors)/gm) ?? []).length;
  if (r.status !== 0 && failed === 0) failed = Math.max(1, badFiles);
  process.stdout.write(out.split('\n').filter((l) => !/^\s*ok \d+/.test(l)).join('\n'));
  record(label, passed, failed);
}

// Async on purpose: the gateway and web server run in this process, and a synchronous
// spawn would block the event loop that serves vitest's requests.
async function runVitest() {
  const report = path.join(dataDir, 'vitest.json');
  const child = spawn(path.join(repoRoot, 'node_modules', '.bin', 'vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...focusVitest],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        RENUBU_TEST_STACK: '1',
        SUPABASE_URL: cfg.apiUrl,
        SUPABASE_ANON_KEY: cfg.anonKey,
        SUPABASE_SERVICE_ROLE_KEY: cfg.serviceRoleKey,
        SUPABASE_DB_URL: cfg.dbUrl,
        RENUBU_WEB_URL: cfg.webUrl,
        RENUBU_MAIL_URL: cfg.mailUrl,
        RENUBU_TEST_OUTPUT: path.join(repoRoot, 'test-results'),
      },
    });
  const status = await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  if (existsSync(report)) {
    /**
     * vitest's JSON report (the fields read here).
     * @type {{ numPassedTests?: number, numFailedTests?: number, testResults?: { status: string, assertionResults?: unknown[] }[] }}
     */
    const json = JSON.parse(readFileSync(report, 'utf8'));
    // A file that fails to load has no assertions but still fails the run.
    const failedSuites = (json.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
    record('vitest', json.numPassedTests ?? 0, (json.numFailedTests ?? 0) + failedSuites);
    if (status !== 0 && (json.numFailedTests ?? 0) + failedSuites === 0) record('vitest (exit status)', 0, 1);
  } else {
    record('vitest', 0, 1);
  }
}

/** `supabase db push` into a hosted-like cluster of its own (local/db/hosted-like.mjs), then pgTAP there. */
async function runPgTapOnHostedLikePush() {
  const { hostedLikeConfig, startHostedLikeCluster, pushMigrations, stopHostedLikeCluster } = await import('./db/hosted-like.mjs');
  const hosted = hostedLikeConfig({ dbPort: await freePort(), dataDir: path.join(dataDir, 'hosted-like') });
  try {
    console.log(`\n$ supabase db push (a hosted-like project on port ${hosted.dbPort}, as a postgres that is no superuser)`);
    await startHostedLikeCluster(hosted);
    pushMigrations(hosted);
    record('supabase db push (hosted-like)', 1, 0);
    runPgTap(hosted.dbPort, 'pgTAP (migrations only, pushed as on hosted)', { withoutDemoSeedTests: true });
  } catch (error) {
    console.error(error);
    record('supabase db push (hosted-like)', 0, 1);
  } finally {
    stopHostedLikeCluster(hosted);
  }
}

/**
 * A command that passes or fails as a whole (type checkers, Supabase's checks).
 * @param {string} name @param {string} file @param {string[]} args
 */
function runCheck(name, file, args) {
  console.log(`\n$ ${name}`);
  const r = spawnSync(file, args, { cwd: repoRoot, stdio: 'inherit' });
  record(name, r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1);
}

function runTypeChecks() {
  const bin = (/** @type {string} */ name) => path.join(repoRoot, 'node_modules', '.bin', name);
  runCheck('tsc (functions-shared, tests)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  runCheck('tsc (local/, the stand-in)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.local.json']);
  if (existsSync(path.join(repoRoot, 'web', 'tsconfig.json'))) {
    runCheck('tsc (web)', bin('tsc'), ['--noEmit', '-p', 'web/tsconfig.json']);
  }
  // The functions as Supabase's edge runtime sees them: Deno's own type check.
  const functionsDir = path.join(repoRoot, 'supabase', 'functions');
  const entrypoints = existsSync(functionsDir)
    ? readdirSync(functionsDir).map((f) => path.join('supabase', 'functions', f, 'index.ts')).filter((f) => existsSync(path.join(repoRoot, f)))
    : [];
  if (entrypoints.length) runCheck('deno check (Edge Functions)', bin('deno'), ['check', '--config', 'deno.json', ...entrypoints]);
}

/** The committed `Database` type must be what the migrations produce (issue 3 item 8). */
async function checkDatabaseTypes() {
  const { generateTypes, TYPES_FILE } = await import('./gen-types.mjs');
  const fresh = generateTypes(cfg.dbUrl);
  const same = existsSync(TYPES_FILE) && readFileSync(TYPES_FILE, 'utf8') === fresh;
  console.log(same
    ? '\nDatabase types match the migrations.'
    : '\nfunctions-shared/database.types.ts differs from the migrated schema: run `node local/gen-types.mjs` against a reset stack and commit it.');
  record('Database types up to date', same ? 1 : 0, same ? 0 : 1);
}

/** @param {string} name @param {string[]} args */
function runSupabaseCheck(name, args) {
  console.log(`\n$ supabase ${args.join(' ').replace(cliDbUrl(cfg.dbUrl), '<db>')}`);
  const r = runSupabaseCli(args);
  record(name, r.status === 0 ? 1 : 0, r.status === 0 ? 0 : 1);
}

try {
  if (!focused) runTypeChecks();
  console.log(`Throwaway stack in ${dataDir} (api ${cfg.apiPort}, db ${cfg.dbPort})`);
  await bringUpDatabase(cfg, { durable: false, withBrowser: true });
  if (!focused) await checkDatabaseTypes();
  if (!focused || focusSql.length) {
    // Twice: on what `supabase db push` makes of a new hosted project — migrations only,
    // applied by the real CLI as a `postgres` that is no superuser, so the catalogue must
    // ship in migrations and every test brings its own fixtures — and on the seeded
    // database `npm start` serves.
    await runPgTapOnHostedLikePush();
    await withClient(cfg.dbUrl, (c) => c.query('create extension if not exists pgtap with schema extensions'));
    runPgTap(cfg.dbPort, 'pgTAP (with demo seed)');
  }
  servers = await startServers(cfg, { scheduledCalls: false });
  if (!focused || focusVitest.length) await runVitest();
  await servers.close();
  servers = undefined;
  if (!focused) {
    // The advisors and the linter judge the schema, not the test harness.
    await withClient(cfg.dbUrl, (c) => c.query('drop extension if exists pgtap'));
    runSupabaseCheck('supabase db advisors', ['db', 'advisors', '--db-url', cliDbUrl(cfg.dbUrl), '--fail-on', 'warn', '--level', 'warn']);
    runSupabaseCheck('supabase db lint', ['db', 'lint', '--db-url', cliDbUrl(cfg.dbUrl), '--fail-on', 'warning', '--schema', 'public,app']);
  }
} catch (error) {
  console.error(error);
  record('stack', 0, 1);
} finally {
  await servers?.close();
  stopCluster(cfg);
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(`\n${sections.join('\n')}`);
console.log(`${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed === 0 ? 0 : 1);
