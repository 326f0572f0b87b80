// Database-level operations on the running cluster: the Supabase bootstrap, migrations and
// seed through the real Supabase CLI, and throwaway databases for test suites.
import { readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from '../config.mjs';

const BOOTSTRAP_SQL = path.join(repoRoot, 'local', 'db', 'bootstrap.sql');
const MIGRATIONS_DIR = path.join(repoRoot, 'supabase', 'migrations');
const SUPABASE_BIN = path.join(repoRoot, 'node_modules', '.bin', 'supabase');

/**
 * The URL to hand the Supabase CLI. It refuses a non-SSL server unless the URL says
 * `sslmode=disable`, and it treats 127.0.0.1:54322 (its own `[db] port`) as "the local
 * Docker database" and goes looking for Docker; spelling the host `localhost` makes it
 * connect directly, as to any remote database (docs/supabase-protocol.md §6, `IsLocalDatabase`).
 * @param {string} dbUrl
 */
export const cliDbUrl = (dbUrl) =>
  `${dbUrl.replace('@127.0.0.1:', '@localhost:')}${dbUrl.includes('?') ? '&' : '?'}sslmode=disable`;

/**
 * The same server's URL for another database.
 * @param {string} dbUrl
 * @param {string} name
 */
export const databaseUrl = (dbUrl, name) => dbUrl.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);

/**
 * Runs fn with a client connected to dbUrl, and closes it whatever happens.
 * @template T
 * @param {string} dbUrl
 * @param {(client: pg.Client) => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withClient(dbUrl, fn) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** @param {string} dbUrl */
export async function waitForDatabase(dbUrl, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await withClient(dbUrl, (c) => c.query('select 1'));
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** @param {string} dbUrl */
export async function applyBootstrap(dbUrl) {
  // Role creation races when two databases bootstrap at once; roles are cluster-wide, so a
  // duplicate means another run already made them and the retry finds them.
  const sql = readFileSync(BOOTSTRAP_SQL, 'utf8');
  for (let attempt = 0; ; attempt++) {
    try {
      await withClient(dbUrl, (c) => c.query(sql));
      return;
    } catch (error) {
      if (attempt >= 3 || !['23505', 'XX000', '40P01'].includes(/** @type {{ code?: string }} */ (error).code ?? '')) throw error;
    }
  }
}

/** @param {string[]} args */
export function runSupabaseCli(args, { capture = false } = {}) {
  const result = spawnSync(SUPABASE_BIN, [...args, '--workdir', repoRoot], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: capture ? 'pipe' : 'inherit',
    env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  });
  return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/**
 * Drops everything the project owns, then applies every migration and seed.sql.
 * @param {string} dbUrl
 */
export async function resetDatabase(dbUrl, { seed = true, quiet = false } = {}) {
  await applyBootstrap(dbUrl);
  const args = ['db', 'reset', '--db-url', cliDbUrl(dbUrl), '--yes'];
  if (!seed) args.push('--no-seed');
  const result = runSupabaseCli(args, { capture: quiet });
  if (result.status !== 0) {
    throw new Error(`supabase db reset failed:\n${result.stderr}${result.stdout}`);
  }
}

/**
 * Applies migrations not yet recorded in supabase_migrations (a restart with new files).
 * `--include-all`: work merged from parallel branches brings migrations whose timestamps
 * sort before the newest one applied here; without it the CLI refuses to start the stack.
 * @param {string} dbUrl
 */
export async function applyPendingMigrations(dbUrl) {
  await applyBootstrap(dbUrl);
  await forgetRemovedMigrations(dbUrl);
  const result = runSupabaseCli(['migration', 'up', '--include-all', '--db-url', cliDbUrl(dbUrl), '--yes'], { capture: true });
  if (result.status !== 0) throw new Error(`supabase migration up failed:\n${result.stderr}${result.stdout}`);
}

/**
 * Migrations the repository retired: the first release's scale generator
 * (20261125400000_scale_seed.sql) moved to local/scale-seed.sql, and a later migration
 * (now folded into the release baseline) dropped what it made. A database that applied
 * it still lists it in its history, and `supabase migration up` refuses to run with a
 * version it has no file for. Marking it reverted is what `supabase migration repair
 * --status reverted 20261125400000` does. Only local databases hold it: nothing had been
 * deployed before the release baseline (docs/schema.md, docs/deploy.md). Only the named
 * versions: an unknown version (a migration of another branch) still stops the CLI, as it should.
 */
export const RETIRED_MIGRATIONS = ['20261125400000'];

/**
 * The migrations the release baseline (supabase/migrations/20261204000100_… to
 * 20261204001500_…, docs/schema.md) folded: the first 75 (FOLDED_MIGRATIONS), then the
 * later ones written beside the baseline before anything was deployed, folded into the
 * same area files afterwards, one fold after another (LATER_FOLDS). A database holds
 * exactly what the baseline builds now (checked with local/tools/compare-schemas.mjs) when
 * it applied every one of them, or a baseline as it was before some later fold plus every
 * migration of that fold and of the folds after it; then its history is rewritten to the
 * baseline's versions — what `supabase migration repair` (reverted for these, applied for
 * the baseline's) would do — and only the migrations after the baseline are applied. One
 * that applied only some of them is refused with the way out (`renubu db reset`): the
 * baseline cannot be applied over part of what it folded.
 */
export const FOLDED_MIGRATIONS = `
  20261125000100 20261125000200 20261125000300 20261125000400 20261125000500 20261125000600
  20261125000700 20261125000800 20261125000900 20261125001000 20261125001100 20261125001200
  20261125001300 20261125050000 20261125060000 20261125070000 20261125100000 20261125105000
  20261125110000 20261125120000 20261125130000 20261125140000 20261125140100 20261125140200
  20261125150000 20261125160000 20261125170000 20261125200000 20261125200100 20261125200200
  20261125200300 20261125300000 20261125300100 20261125300200 20261204100000 20261204200000
  20261204200100 20261204300000 20261204400000 20261204400100 20261204400200 20261204500000
  20261205010000 20261205010100 20261205010200 20261205010300 20261205010400 20261205010500
  20261205020000 20261205020100 20261205020200 20261205030000 20261205030100 20261205040000
  20261205040100 20261205040200 20261205050000 20261205050100 20261205050200 20261205060000
  20261205060100 20261205060200 20261205070000 20261205070100 20261205070200 20261205080000
  20261205080100 20261205080200 20261205080300 20261205090000 20261205090100 20261205100000
  20261205100100 20261205100200 20261205100300`.trim().split(/\s+/);

/**
 * Folded into the baseline's area files after the first fold, oldest fold first: its
 * versions, and a table (or index) it creates. The baseline keeps its versions through every fold, so
 * a history of "baseline + the second fold's migrations" is right only if that database's
 * baseline already held the first fold: its table tells (a database made before the first
 * later fold that skipped its migrations lacks it).
 * @type {{ versions: string[], creates: string }[]}
 */
export const LATER_FOLDS = [
  // The forecast and retention kept figures, the customer context's sections, the ingest
  // appliers, the task lookups.
  {
    versions: ['20261206030000', '20261206030100', '20261206030200', '20261206050000', '20261206050100',
      '20261206060000', '20261206060100'],
    creates: 'app.forecast_open_renewals',
  },
  // The queue's kept statistics, search copy and index-ordered page.
  { versions: ['20261206010000', '20261206010100'], creates: 'app.queue_stats' },
  // The incremental orchestrator: dirty marks, watermarks, one function per step.
  { versions: ['20261206040000'], creates: 'app.orchestrator_watermarks' },
  // The queue page built as json, stored tool calls in the stream's shape, the workflow page's
  // artifacts with sent_at and ai_model, the workflow types lookup, and the short functions
  // of the admin, revenue, workflows, chat, tasks and customers areas.
  {
    versions: ['20261204110000', '20261204123000', '20261204123100', '20261204123200', '20261204130000',
      '20261204130100', '20261204130200', '20261204130300', '20261204130400', '20261204130500'],
    creates: 'app.workflow_types',
  },
  // The orchestrator's full run inserting complete rows: its "done for this period" index
  // (to_regclass finds an index as it finds a table).
  { versions: ['20261204120000'], creates: 'app.workflow_executions_done_period_idx' },
  // The queue's cards and rendered stats, and the slim assignee index on executions.
  { versions: ['20261204131000', '20261204132000', '20261204133000'], creates: 'app.queue_cards' },
];

/** Every migration of LATER_FOLDS. */
export const LATER_FOLDED_MIGRATIONS = LATER_FOLDS.flatMap((f) => f.versions);

/** The baseline's own files: `20261204000100_app_schema.sql` … (version, name). */
const baselineMigrations = () => readdirSync(MIGRATIONS_DIR)
  .map((f) => /^(20261204\d{2}\d{2}00)_(.+)\.sql$/.exec(f))
  .flatMap((m) => (m?.[1] && m[2] && m[1] < '20261204100000' ? [{ version: m[1], name: m[2] }] : []));

/** @param {string} dbUrl */
async function forgetRemovedMigrations(dbUrl) {
  const local = new Set(readdirSync(MIGRATIONS_DIR).flatMap((f) => /^(\d+)_/.exec(f)?.[1] ?? []));
  const retired = RETIRED_MIGRATIONS.filter((v) => !local.has(v));
  await withClient(dbUrl, async (c) => {
    const { rows } = await c.query(`select to_regclass('supabase_migrations.schema_migrations') is not null as present`);
    if (!rows[0].present) return;
    await c.query(`delete from supabase_migrations.schema_migrations where version = any($1::text[])`, [retired]);
    const chain = FOLDED_MIGRATIONS.filter((v) => !local.has(v));
    const folds = LATER_FOLDS.map((f) => ({ ...f, versions: f.versions.filter((v) => !local.has(v)) }));
    const later = folds.flatMap((f) => f.versions);
    const baseline = baselineMigrations();
    /** @param {string[]} versions */
    const applied = async (versions) => (await c.query(
      `select count(*)::int as n from supabase_migrations.schema_migrations where version = any($1::text[])`, [versions])).rows[0].n;
    const nChain = await applied(chain);
    // One query after another: one client runs one query at a time (pg warns when asked for
    // more at once, and the warning landed in the start's output).
    /** @type {number[]} */
    const nFolds = [];
    for (const fold of folds) nFolds.push(await applied(fold.versions));
    const nLater = nFolds.reduce((a, b) => a + b, 0);
    if (nChain === 0 && nLater === 0) return;
    const nBaseline = await applied(baseline.map((m) => m.version));
    /** @param {string} table */
    const exists = async (table) => (await c.query('select to_regclass($1) is not null as present', [table])).rows[0].present;
    const complete = (/** @type {number} */ i) => nFolds[i] === folds[i]?.versions.length;
    const wholeChain = nChain === chain.length && folds.every((_, i) => complete(i));
    // The baseline as it was before fold k: none of the earlier folds' migrations (its
    // baseline held them, so their tables exist), every one of fold k's and the later ones'.
    let onEarlierBaseline = false;
    if (nChain === 0 && nBaseline === baseline.length) {
      const k = folds.findIndex((_, i) => (nFolds[i] ?? 0) > 0);
      onEarlierBaseline = folds.every((_, i) => (i < k ? nFolds[i] === 0 : complete(i)));
      for (const fold of folds.slice(0, Math.max(k, 0))) {
        if (!onEarlierBaseline) break;
        onEarlierBaseline = await exists(fold.creates);
      }
    }
    if (!wholeChain && !onEarlierBaseline) {
      throw new Error(`This database applied ${nChain} of the ${chain.length} migrations that the release baseline folded `
        + `and ${nLater} of the ${later.length} folded into it later (docs/schema.md), so the baseline cannot be recorded `
        + 'for it: reset it with `renubu db reset` (its data is lost).');
    }
    const folded = [...chain, ...later];
    await c.query('begin');
    try {
      await c.query(`delete from supabase_migrations.schema_migrations where version = any($1::text[])`, [folded]);
      for (const m of baseline) {
        await c.query(`insert into supabase_migrations.schema_migrations (version, name) values ($1, $2) on conflict do nothing`, [m.version, m.name]);
      }
      await c.query('commit');
    } catch (error) {
      await c.query('rollback');
      throw error;
    }
  });
}

/** @param {string} dbUrl */
export async function hasMigrationHistory(dbUrl) {
  return withClient(dbUrl, async (c) => {
    const { rows } = await c.query(`select to_regclass('supabase_migrations.schema_migrations') is not null as present`);
    return rows[0].present;
  });
}

/** @param {string} adminUrl @param {string} name */
export async function createDatabase(adminUrl, name) {
  await withClient(adminUrl, (c) => c.query(`create database "${name}"`));
  return databaseUrl(adminUrl, name);
}

/** @param {string} adminUrl @param {string} name */
export async function dropDatabase(adminUrl, name) {
  await withClient(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
}
