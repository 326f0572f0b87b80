#!/usr/bin/env node
// The orchestrator proportional to change (issue 18, point 3), on the scale organisations
// (scale-co, 100k; scale-co-300k, 300k; `renubu seed --scale N` first). Per organisation,
// inside transactions that are rolled back (nothing is left behind):
//   1. full run (`full_run => true`, every customer looked at) as of yesterday — also the
//      watermark the daily run starts from;
//   2. 1 % of the customers change (a third: risk score across its threshold; a third:
//      renewal date moved; a third: their open renewal closed as superseded, which the run
//      does not count as done for its period, unlike cancelled work), then the daily,
//      incremental run as of today: those customers plus the ones whose stage boundary
//      falls on today (target ≤ 5 s at 300k);
//   3. the same run again (nothing to do);
//   4. full rebuild: every open execution closed, then a full run re-creates them all
//      (target ≤ 60 s at 300k);
//   5. the write floor beside it: the same number of rows written into an empty copy of
//      the table with its indexes and foreign keys and nothing else, and the rebuild's
//      ratio to it (what writing the rows alone costs on this machine).
// Prints seconds, the database backend's own CPU seconds (user + system, read from /proc:
// the figure to compare on a busy machine, where wall time follows the load) and the load
// average; writes bench-results/orchestrator.json.
// BENCH_ORCHESTRATOR_SLUGS="scale-co,scale-co-300k" picks the organisations (missing
// ones are skipped); BENCH_SKIP_REBUILD=1 leaves out steps 4 and 5 (BENCH_SKIP_FLOOR=1
// step 5 only), BENCH_SKIP_DAILY=1 steps 1-3.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { stackConfig } from '../config.mjs';
import { writeResults } from './stats.mjs';

const cfg = stackConfig();
const SLUGS = (process.env.BENCH_ORCHESTRATOR_SLUGS ?? 'scale-co,scale-co-300k').split(',').map((s) => s.trim()).filter(Boolean);
const TARGETS = { incremental_s: 5, rebuild_s: 60, full_run_100k_s: 30 };
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

const db = new pg.Client({ connectionString: cfg.dbUrl });
await db.connect();
await db.query('set statement_timeout = 0');

const { rows: [{ pid: backendPid }] } = await db.query('select pg_backend_pid() as pid');
/** CPU seconds (user + system) of this session's backend so far, or null when not visible. */
function backendCpuSeconds() {
  const file = `/proc/${backendPid}/stat`;
  if (!existsSync(file)) return null;
  const fields = (readFileSync(file, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
}
/** @type {number | null} the database CPU seconds of the last timed statement */
let lastCpu = null;
const cpuNote = () => (lastCpu === null ? '' : `, database CPU ${lastCpu} s`);

/** Runs `sql` and returns [seconds, first row]; lastCpu is the backend's CPU seconds for it. */
/** @param {string} sql @param {unknown[]} [args] @returns {Promise<[number, any]>} */
async function timed(sql, args = []) {
  const cpuBefore = backendCpuSeconds();
  const started = performance.now();
  const { rows } = await db.query(sql, args);
  const cpuAfter = backendCpuSeconds();
  lastCpu = cpuBefore === null || cpuAfter === null ? null : Math.round((cpuAfter - cpuBefore) * 100) / 100;
  return [Math.round((performance.now() - started) / 10) / 100, rows[0]];
}

/** @template T @param {() => Promise<T>} fn @returns {Promise<T>} */
async function inRolledBackTransaction(fn) {
  await db.query('begin');
  try {
    return await fn();
  } finally {
    await db.query('rollback');
  }
}

const RUN = 'select app.run_orchestrator_for_org($1, $2::date, full_run => $3) as r';

/**
 * The least a rebuild could cost on this machine, measured beside it: the organisation's
 * open executions written again (fresh ids, as a rebuild creates them) into an empty copy
 * of the table with the same indexes and the same foreign keys, and nothing else — no
 * triggers, no deciding what to open, no scoring, no kept figures. The copy's indexes
 * start empty, so the real table's deeper ones cost the rebuild more than this.
 * @param {string} orgId @param {number} rebuildSeconds
 */
async function writeFloor(orgId, rebuildSeconds) {
  return inRolledBackTransaction(async () => {
    const { rows: [{ columns }] } = await db.query(
      `select string_agg(quote_ident(a.attname), ', ' order by a.attnum) as columns
         from pg_catalog.pg_attribute a
        where a.attrelid = 'app.workflow_executions'::regclass and a.attnum > 0 and not a.attisdropped and a.attname <> 'id'`);
    await db.query('create table app.bench_write_floor (like app.workflow_executions including defaults including indexes)');
    const { rows: keys } = await db.query(
      `select pg_catalog.pg_get_constraintdef(c.oid) as def from pg_catalog.pg_constraint c
        where c.conrelid = 'app.workflow_executions'::regclass and c.contype = 'f' and c.confrelid <> c.conrelid`);
    for (const { def } of keys) await db.query(`alter table app.bench_write_floor add ${def}`);
    await db.query(
      `create temp table bench_write_floor_rows on commit drop as
         select * from app.workflow_executions where org_id = $1 and status in ('queued', 'in_progress', 'snoozed', 'escalated')`, [orgId]);
    const [s, r] = await timed(
      `with w as (insert into app.bench_write_floor (id, ${columns})
                  select gen_random_uuid(), ${columns} from bench_write_floor_rows order by customer_id, workflow_id returning 1)
       select count(*)::int as rows from w`);
    const ratio = Math.round((rebuildSeconds / s) * 100) / 100;
    console.log(`  write floor (${r.rows} rows into an empty copy: ${keys.length} keys, the same indexes, no triggers) ${s} s${cpuNote()}; the rebuild is ${ratio}× that`);
    return { rows: r.rows, seconds: s, database_cpu_seconds: lastCpu, foreign_keys: keys.length, rebuild_ratio: ratio };
  });
}
/** @type {Record<string, unknown>} */
const results = {};
for (const slug of SLUGS) {
  const { rows: [org] } = await db.query(
    `select o.id, (select count(*) from app.customers c where c.org_id = o.id)::int as customers,
            app.organisation_today(o.id) as today
       from app.organisations o where o.slug = $1`, [slug]);
  if (!org) {
    console.log(`${slug}: not in this cluster, skipped`);
    continue;
  }
  // Yesterday and today in one month (a new month makes the daily run a full one).
  const { rows: [days] } = await db.query(
    `select case when extract(day from $1::date) > 1 then $1::date - 1 else $1::date end::text as yesterday,
            case when extract(day from $1::date) > 1 then $1::date else $1::date + 1 end::text as today`, [org.today]);
  console.log(`${slug}: ${org.customers} customers; yesterday ${days.yesterday}, today ${days.today}; load ${load()}`);

  const daily = process.env.BENCH_SKIP_DAILY === '1' ? {} : await inRolledBackTransaction(async () => {
    const [fullS, full] = await timed(RUN, [org.id, days.yesterday, true]);
    const fullCpu = lastCpu;
    console.log(`  full run (every customer)          ${fullS} s  (${full.r.customers} customers, created ${full.r.created}, superseded ${full.r.superseded}${cpuNote()})`);
    // Plans cached by the run above (sized for its statements) are dropped, as a new
    // session making these edits would have none.
    await db.query('discard plans');
    const [changeS, change] = await timed(
      `with picked as (
         select c.id, row_number() over (order by md5(c.id::text)) as n
           from app.customers c where c.org_id = $1
          order by md5(c.id::text) limit greatest(1, (select count(*) from app.customers where org_id = $1) / 100)
       ), scores as (
         update app.customers c set risk_score = case when coalesce(c.risk_score, 0) >= 60 then 10 else 85 end
           from picked p where p.id = c.id and p.n % 3 = 0 returning c.id
       ), dates as (
         update app.customers c set renewal_date = c.renewal_date + 20
           from picked p where p.id = c.id and p.n % 3 = 1 and c.renewal_date is not null returning c.id
       ), cancelled as (
         update app.workflow_executions e set status = 'superseded', completed_at = now()
           from picked p where p.n % 3 = 2 and e.org_id = $1 and e.customer_id = p.id
            and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.renewal_stage is not null
         returning e.id
       )
       select (select count(*) from picked)::int as customers, (select count(*) from scores)::int as scores,
              (select count(*) from dates)::int as dates, (select count(*) from cancelled)::int as cancelled`, [org.id]);
    console.log(`  1 % changed (${change.customers} customers: ${change.scores} scores, ${change.dates} renewal dates, ${change.cancelled} renewals closed) in ${changeS} s`);
    const [incS, inc] = await timed(RUN, [org.id, days.today, false]);
    const incCpu = lastCpu;
    console.log(`  daily incremental run               ${incS} s  (${inc.r.mode}: ${inc.r.customers} customers, ${inc.r.marks} marks, created ${inc.r.created}, superseded ${inc.r.superseded}, restaged ${inc.r.restaged}${cpuNote()})  (target ≤ ${TARGETS.incremental_s} s at 300k)  load ${load()}`);
    const [againS, again] = await timed(RUN, [org.id, days.today, false]);
    console.log(`  same day again                      ${againS} s  (created ${again.r.created}, superseded ${again.r.superseded})`);
    return {
      full_run: { seconds: fullS, database_cpu_seconds: fullCpu, ...full.r },
      changed: { seconds: changeS, ...change },
      incremental_run: { seconds: incS, database_cpu_seconds: incCpu, ...inc.r, target_s: TARGETS.incremental_s, met: incS <= TARGETS.incremental_s },
      second_run: { seconds: againS, ...again.r },
    };
  });

  let rebuild = null;
  if (process.env.BENCH_SKIP_REBUILD !== '1') {
    rebuild = await inRolledBackTransaction(async () => {
      const [closeS, closed] = await timed(
        // Closed as superseded: cancelled work stays closed for its period (migration
        // 20261208502000), and the rebuild is to re-create every execution.
        `with c as (update app.workflow_executions set status = 'superseded', completed_at = now()
                     where org_id = $1 and status in ('queued', 'in_progress', 'snoozed', 'escalated') returning 1)
         select count(*)::int as closed from c`, [org.id]);
      const [s, r] = await timed(RUN, [org.id, days.today, true]);
      console.log(`  full rebuild (${closed.closed} open closed in ${closeS} s, then re-created) ${s} s  (created ${r.r.created}${cpuNote()})  (target ≤ ${TARGETS.rebuild_s} s at 300k; ≤ ${TARGETS.full_run_100k_s} s at 100k)  load ${load()}`);
      return { closed: closed.closed, close_seconds: closeS, seconds: s, database_cpu_seconds: lastCpu, ...r.r, target_s: TARGETS.rebuild_s, met: s <= TARGETS.rebuild_s };
    });
  }
  const floor = rebuild && process.env.BENCH_SKIP_FLOOR !== '1' ? await writeFloor(org.id, rebuild.seconds) : null;
  results[slug] = { customers: org.customers, ...daily, full_rebuild: rebuild, write_floor: floor };
}
await db.end();
console.log(`load average (1/5/15 min): ${load()}`);
writeResults('orchestrator', { load_average: os.loadavg(), organisations: results });
