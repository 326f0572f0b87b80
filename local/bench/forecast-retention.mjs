#!/usr/bin/env node
// The renewal forecast and retention on the scale organisation (`renubu seed --scale N` first):
//   1. get_renewal_forecast for next quarter: the whole organisation as its manager, and one
//      CSM's book as that CSM: database execution time (EXPLAIN ANALYZE, RLS on); p50/p95.
//      Target: p95 ≤ 50 ms.
//   2. get_retention_metrics for the last 12 full months (monthly, with trailing 12 months):
//      cold = the first read after an ARR change: each sample commits a change of one
//      customer's ARR (a new ARR history row, as ingest writes it) and then reads; warm =
//      reads with no change in between. p50/p95 of both (target p95 ≤ 50 ms), the time the
//      change itself took (the trigger that keeps the figures), and once the old path for
//      comparison: the same pairs computed from all of the ARR history.
//   3. both through the gateway with one signed-in client: p50/p95.
// The changes are undone at the end. Figures (and the load average, this is a shared
// machine) are printed and written to bench-results/forecast-retention.json.
import os from 'node:os';
import { stackConfig } from '../config.mjs';
import { SCALE_CSM_EMAIL, SCALE_SLUG as DEFAULT_SLUG, actAsMember, databaseExecutionTimes, loadTest, openScaleOrganisation, summarise, writeResults } from './stats.mjs';
import { benchFetch as fetch } from './lean-fetch.mjs';

const cfg = stackConfig();
// Another organisation can be measured with BENCH_ORG_SLUG / BENCH_CSM_EMAIL (same password).
const SCALE_SLUG = process.env.BENCH_ORG_SLUG ?? DEFAULT_SLUG;
const CSM_EMAIL = process.env.BENCH_CSM_EMAIL ?? SCALE_CSM_EMAIL;
const PASSWORD = 'renubu-demo-password';
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

const { db, org, csm } = await openScaleOrganisation(cfg.dbUrl, { slug: SCALE_SLUG, csmEmail: CSM_EMAIL });
const { rows: [{ arr_rows: arrRows }] } = await db.query(
  'select count(*)::int as arr_rows from app.arr_history h where h.org_id = $1', [org.id]);
const { rows: [manager] } = await db.query(
  `select id from app.profiles where org_id = $1 and role in ('manager', 'admin') order by role = 'manager' desc, created_at limit 1`,
  [org.id]);
const { rows: [dates] } = await db.query(
  `select (date_trunc('quarter', d) + interval '3 months')::date::text as q0,
          (date_trunc('quarter', d) + interval '6 months')::date::text as q1,
          (date_trunc('month', d) - interval '12 months')::date::text as m0,
          date_trunc('month', d)::date::text as m1
     from (select app.organisation_today($1) as d) t`, [org.id]);
const loadAtStart = load();
console.log(`scale organisation: ${org.customers} customers, ${arrRows} ARR history rows; load ${loadAtStart}`);

// 1. The forecast: next quarter, whole organisation (manager) and one book (its CSM).
const forecastSql = 'select public.get_renewal_forecast(period_start => $1, period_end => $2, assignee_id => $3)';
await databaseExecutionTimes(db, manager.id, forecastSql, Array(5).fill([dates.q0, dates.q1, null]));
const forecastOrg = summarise(await databaseExecutionTimes(db, manager.id, forecastSql, Array(RUNS).fill([dates.q0, dates.q1, null])));
const forecastBook = summarise(await databaseExecutionTimes(db, csm.id, forecastSql, Array(RUNS).fill([dates.q0, dates.q1, csm.id])));
const { rows: [fc] } = await db.query('begin').then(() => actAsMember(db, manager.id))
  .then(() => db.query(`${forecastSql} as f`, [dates.q0, dates.q1, null]))
  .finally(() => db.query('rollback'));
console.log(`database  get_renewal_forecast ${dates.q0}..${dates.q1} (${fc.f.totals.count} renewals), manager  p50 ${forecastOrg.p50_ms} ms  p95 ${forecastOrg.p95_ms} ms  (target p95 ≤ 50 ms)`);
console.log(`database  …one CSM's book                                   p50 ${forecastBook.p50_ms} ms  p95 ${forecastBook.p95_ms} ms`);

// 2. Retention. Cold: commit an ARR change of one customer, then read (a new transaction).
const retentionSql = `select public.get_retention_metrics(period_start => $1, period_end => $2)`;
const { rows: changed } = await db.query(
  `select id, arr from app.customers where org_id = $1 and arr > 0 order by id limit $2`, [org.id, RUNS]);
const inserted = [];
const changeMs = [];
const cold = [];
for (const customer of changed) {
  const t = performance.now();
  await db.query('begin');
  const { rows: [row] } = await db.query(
    `insert into app.arr_history (org_id, customer_id, arr, source, reason)
     values ($1, $2, $3, 'bench', 'forecast-retention bench') returning id`, [org.id, customer.id, Number(customer.arr) + 100]);
  await db.query('update app.customers set arr = $2 where id = $1', [customer.id, Number(customer.arr) + 100]);
  await db.query('commit');
  changeMs.push(performance.now() - t);
  inserted.push(row.id);
  cold.push(...await databaseExecutionTimes(db, csm.id, retentionSql, [[dates.m0, dates.m1]]));
}
const retentionCold = summarise(cold);
const arrChange = summarise(changeMs);
await databaseExecutionTimes(db, csm.id, retentionSql, Array(5).fill([dates.m0, dates.m1]));
const retentionWarm = summarise(await databaseExecutionTimes(db, csm.id, retentionSql, Array(RUNS).fill([dates.m0, dates.m1])));
const { rows: [rm] } = await db.query('begin').then(() => actAsMember(db, csm.id))
  .then(() => db.query(`${retentionSql} as r`, [dates.m0, dates.m1]))
  .finally(() => db.query('rollback'));
// The old path once, for comparison: every pair of the same read computed from ARR history.
await db.query('begin');
await db.query(`select set_config('request.jwt.claims', '{"role": "service_role"}', true)`);
await db.query('delete from app.retention_cache where org_id = $1', [org.id]);
const { rows: [oldPlan] } = await db.query(
  `explain (analyze, format json)
   select * from app.retention_pairs_computed($1,
     array(select (e - interval '1 month')::date from generate_series($2::date + interval '1 month', $3::date, interval '1 month') e)
       || array(select (e - interval '12 months')::date from generate_series($2::date + interval '1 month', $3::date, interval '1 month') e),
     array(select e::date from generate_series($2::date + interval '1 month', $3::date, interval '1 month') e)
       || array(select e::date from generate_series($2::date + interval '1 month', $3::date, interval '1 month') e))`,
  [org.id, dates.m0, dates.m1]);
await db.query('rollback');
const oldColdMs = Math.round(oldPlan['QUERY PLAN'][0]['Execution Time']);
// Undo the changes (committed, as they were made).
await db.query('begin');
await db.query('delete from app.arr_history where id = any($1::uuid[])', [inserted]);
for (const customer of changed) await db.query('update app.customers set arr = $2 where id = $1', [customer.id, customer.arr]);
await db.query('commit');
console.log(`database  get_retention_metrics ${dates.m0}..${dates.m1} (${rm.r.customers} in the cohort, GRR ${rm.r.grr}, NRR ${rm.r.nrr})`);
console.log(`          cold (first read after a committed ARR change) p50 ${retentionCold.p50_ms} ms  p95 ${retentionCold.p95_ms} ms  (target p95 ≤ 50 ms)`);
console.log(`          warm                                         p50 ${retentionWarm.p50_ms} ms  p95 ${retentionWarm.p95_ms} ms`);
console.log(`          the ARR change itself (row + customer, trigger keeps the figures) p50 ${arrChange.p50_ms} ms  p95 ${arrChange.p95_ms} ms`);
console.log(`          old path for comparison: the same pairs computed from ARR history ${oldColdMs} ms`);
await db.end();

// 3. Through the gateway, one signed-in client (the CSM).
const signIn = await fetch(`${cfg.apiUrl}/auth/v1/token?grant_type=password`, {
  method: 'POST',
  headers: { apikey: cfg.anonKey, 'Content-Type': 'application/json' },
  body: JSON.stringify({ email: CSM_EMAIL, password: PASSWORD }),
});
if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
const token = (await signIn.json()).access_token;
let failures = 0;
const rpc = (/** @type {string} */ name, /** @type {Record<string, unknown>} */ body) => async () => {
  const response = await fetch(`${cfg.apiUrl}/rest/v1/rpc/${name}`, {
    method: 'POST',
    headers: { apikey: cfg.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (!response.ok) failures += 1;
};
const forecastCall = rpc('get_renewal_forecast', { period_start: dates.q0, period_end: dates.q1 });
const retentionCall = rpc('get_retention_metrics', { period_start: dates.m0, period_end: dates.m1 });
await loadTest({ concurrency: 1, durationMs: 1000, fn: forecastCall });
const gatewayForecast = await loadTest({ concurrency: 1, durationMs: 3000, fn: forecastCall });
await loadTest({ concurrency: 1, durationMs: 500, fn: retentionCall });
const gatewayRetention = await loadTest({ concurrency: 1, durationMs: 3000, fn: retentionCall });
const loadAtEnd = load();
console.log(`gateway   get_renewal_forecast   p50 ${gatewayForecast.p50_ms} ms  p95 ${gatewayForecast.p95_ms} ms (1 client)`);
console.log(`gateway   get_retention_metrics  p50 ${gatewayRetention.p50_ms} ms  p95 ${gatewayRetention.p95_ms} ms (1 client), ${failures} failed; load ${loadAtEnd}`);

writeResults('forecast-retention', {
  customers: org.customers,
  arr_history_rows: arrRows,
  quarter: [dates.q0, dates.q1],
  retention_period: [dates.m0, dates.m1],
  database: {
    get_renewal_forecast_org_manager: forecastOrg,
    get_renewal_forecast_book: forecastBook,
    get_retention_metrics_cold: retentionCold,
    get_retention_metrics_warm: retentionWarm,
    arr_change_ms: arrChange,
    retention_computed_from_history_ms: oldColdMs,
  },
  gateway: { get_renewal_forecast: gatewayForecast, get_retention_metrics: gatewayRetention, failures },
  targets: { database_p95_ms: 50 },
  load_average: { start: loadAtStart, end: loadAtEnd },
});
