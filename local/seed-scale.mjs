// `renubu seed --scale N`: asks the database to generate a scale organisation set-based in
// SQL (app.seed_scale_organisation) and prints how long it took.
//
// The generator (local/scale-seed.sql) is local tooling, not a migration: it writes
// auth.users with the published demo password, so it must never reach a hosted project.
// It is installed, run and removed in one transaction, so the database keeps the scale
// organisation and nothing of the generator: some of its functions have no search_path of
// their own (the planner inlines them), which `supabase db advisors` rightly reports, and
// a seeded local database must pass the advisors as a fresh one does.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { repoRoot } from './config.mjs';
import { withClient, waitForDatabase } from './db/database.mjs';

const GENERATOR_SQL = path.join(repoRoot, 'local', 'scale-seed.sql');

/**
 * CPU seconds (user + system) of a local backend process so far, or null when not visible.
 * @param {number} pid
 */
function backendCpuSeconds(pid) {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  const fields = (readFileSync(file, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
}

/**
 * Drops every function the generator's SQL defines (every signature of each name), in the
 * transaction that installed them.
 * @param {import('pg').ClientBase} client
 * @param {string} generatorSql
 */
async function dropGenerator(client, generatorSql) {
  const names = [...new Set([...generatorSql.matchAll(/create or replace function app\.(\w+)\s*\(/gi)].map((m) => m[1]))];
  const { rows } = await client.query(
    `select p.oid::regprocedure::text as signature from pg_catalog.pg_proc p
       join pg_catalog.pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'app' and p.proname = any($1::text[])`, [names]);
  for (const { signature } of rows) await client.query(`drop function ${signature}`);
}

/**
 * @param {{ dbUrl: string }} cfg
 * @param {number} customers
 * @param {{ log?: (line: string) => void, slug?: string | null }} [options] slug: which scale
 *   organisation (default: scale-co up to 100 000 customers, scale-co-<N/1000>k above)
 */
export async function seedScale(cfg, customers, { log = console.log, slug = null } = {}) {
  await waitForDatabase(cfg.dbUrl);
  const started = performance.now();
  const loadBefore = (os.loadavg()[0] ?? 0).toFixed(2);
  const result = await withClient(cfg.dbUrl, async (client) => {
    await client.query(`set statement_timeout = 0`);
    // An interrupted seed leaves its rows dead in these tables: counted in their pages but
    // not in their live rows, they make the planner take the next seed's tables for tiny
    // ones and check its foreign keys by scanning the organisation (minutes instead of
    // seconds a phase). Vacuumed first; quick when there is nothing to clean.
    await client.query('vacuum (analyze) app.profiles, app.customers, app.contracts, app.workflow_executions');
    await client.query(`set renubu.scale_seed_progress = on`);  // a NOTICE per phase (below)
    const generator = readFileSync(GENERATOR_SQL, 'utf8');
    await client.query('begin');
    await client.query(generator);
    // Each phase's wall time as it finishes (a NOTICE from app.scale_seed_phase), with the
    // load average, so a long run shows where it is and what it costs.
    client.on('notice', (/** @type {{ message?: string }} */ notice) => {
      if (!notice.message?.startsWith('scale seed: ')) return;
      const elapsed = ((performance.now() - started) / 1000).toFixed(0);
      log(`  ${notice.message.slice('scale seed: '.length)}  [${elapsed}s in, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}]`);
    });
    const { rows: [{ pid }] } = await client.query('select pg_backend_pid() as pid');
    const cpuBefore = backendCpuSeconds(pid);
    let rows;
    try {
      ({ rows } = await client.query('select app.seed_scale_organisation($1::int, $2::text) as summary', [customers, slug]));
      await dropGenerator(client, generator);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
    const cpuAfter = backendCpuSeconds(pid);
    // The database's own CPU time: the seed's cost whatever else the machine is running.
    return { ...rows[0].summary, database_cpu_seconds: cpuBefore === null || cpuAfter === null ? null : Math.round(cpuAfter - cpuBefore) };
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const loadAfter = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  log(`${whatTheSeedDid(result)} in ${seconds}s (load average ${loadBefore} before, ${loadAfter} after): ${JSON.stringify(result)}`);
  return result;
}

/**
 * What one run did, in words: built the organisation, kept it as an earlier run built it
 * (the same N and generator: the generator returns that run's summary), or replaced one of
 * another size.
 * @param {{ org_slug?: string, customers?: number, already_present?: boolean, replaced?: boolean }} summary
 */
function whatTheSeedDid({ org_slug: slug = '', customers, already_present: kept, replaced }) {
  if (kept) return `The scale organisation ${slug} already has its ${customers} customers: nothing was written, checked`;
  if (replaced) return `Replaced the scale organisation ${slug} with one of ${customers} customers`;
  return `Seeded the scale organisation ${slug} with ${customers} customers`;
}
