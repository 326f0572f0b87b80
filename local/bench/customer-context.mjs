#!/usr/bin/env node
// get_customer_context on the scale organisation (`renubu seed --scale N` first):
//   1. database: the function's execution time (EXPLAIN ANALYZE "Execution Time") as a
//      member of the organisation, RLS on, over many customers; p50/p95.
//      Target: p95 ≤ 10 ms.
//   2. gateway: 10 concurrent supabase-js clients (one signed-in CSM each call) calling
//      the RPC through /rest/v1/rpc for a fixed time; p50/p95 and requests/s.
//      Target: p95 ≤ 30 ms.
//   3. list_customers: first page and a deep page (keyset), database time.
// Figures are printed and written to bench-results/customer-context.json.
import { stackConfig } from '../config.mjs';
import { SCALE_CSM_EMAIL as CSM_EMAIL, loadTest, openScaleOrganisation, summarise, writeResults } from './stats.mjs';
import { benchFetch as fetch, benchFetchName } from './lean-fetch.mjs';

const cfg = stackConfig();
const PASSWORD = 'renubu-demo-password';
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 300);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const CONCURRENCY = 10;

// As the CSM, exactly as PostgREST would run the call (role + claims, one transaction).
const { db, org, asMember, executionTimes } = await openScaleOrganisation(cfg.dbUrl);
// A spread of customers over the whole organisation (not just the CSM's book: members
// read every customer of their organisation).
const { rows: sample } = await db.query(
  `select id from app.customers where org_id = $1 order by md5(id::text) limit $2`, [org.id, SAMPLE]);
/** @type {string[]} */
const ids = sample.map((r) => r.id);
console.log(`scale organisation: ${org.customers} customers; sampling ${ids.length}`);

// Warm the caches and the function's cached plans once, then measure.
await executionTimes('select public.get_customer_context(customer_id => $1)', ids.slice(0, 20).map((id) => [id]));
const database = summarise(await executionTimes('select public.get_customer_context(customer_id => $1)', ids.map((id) => [id])));
console.log(`database  get_customer_context   p50 ${database.p50_ms} ms  p95 ${database.p95_ms} ms  (target p95 ≤ 10 ms)`);

// The execution-id form (what the assistant uses).
const { rows: executions } = await db.query(
  `select e.id from app.workflow_executions e where e.org_id = $1 order by md5(e.id::text) limit $2`, [org.id, Math.min(SAMPLE, 200)]);
const byExecution = summarise(await executionTimes('select public.get_customer_context(execution_id => $1)', executions.map((r) => [r.id])));
console.log(`database  …(execution_id)        p50 ${byExecution.p50_ms} ms  p95 ${byExecution.p95_ms} ms`);

// list_customers: first page, then a page deep into the organisation (keyset), each
// after a few warm-up calls (PL/pgSQL caches its plans on first use).
await executionTimes('select public.list_customers(page_size => 50)', Array.from({ length: 5 }, () => []));
const firstPage = summarise(await executionTimes('select public.list_customers(page_size => 50)', Array.from({ length: 30 }, () => [])));
const deepCursor = await asMember(async () => {
  /** @type {string | null} */
  let cursor = null;
  for (let i = 0; i < 20; i++) {
    /** @type {{ rows: { page: { next_cursor?: string | null } }[] }} */
    const { rows } = await db.query('select public.list_customers(page_size => 200, cursor => $1) as page', [cursor]);
    cursor = rows[0]?.page.next_cursor ?? cursor;
  }
  return cursor;
});
await executionTimes('select public.list_customers(page_size => 50, cursor => $1)', Array.from({ length: 5 }, () => [deepCursor]));
const deepPage = summarise(await executionTimes('select public.list_customers(page_size => 50, cursor => $1)', Array.from({ length: 30 }, () => [deepCursor])));
const searched = summarise(await executionTimes('select public.list_customers(search => $1)', ['scale', 'zz-no-match', '0001', 'customer 4'].flatMap((s) => Array(8).fill([s]))));
console.log(`database  list_customers         first page p95 ${firstPage.p95_ms} ms; page 21 p95 ${deepPage.p95_ms} ms; search p95 ${searched.p95_ms} ms`);
await db.end();

// Through the gateway: 10 clients, each signed in once, calling in a loop. Plain fetch with
// the headers supabase-js sends (supabase-js itself wants a WebSocket that Node 20 lacks);
// the lean node:http fetch of lean-fetch.mjs, so the load generator does not take the two
// cores from the server being measured (BENCH_UNDICI_FETCH=1 uses Node's fetch).
async function signIn() {
  const response = await fetch(`${cfg.apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: cfg.anonKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: CSM_EMAIL, password: PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}
const tokens = await Promise.all(Array.from({ length: CONCURRENCY }, signIn));
let failures = 0;
const call = async (/** @type {number} */ c, /** @type {number} */ i) => {
  const response = await fetch(`${cfg.apiUrl}/rest/v1/rpc/get_customer_context`, {
    method: 'POST',
    headers: { apikey: cfg.anonKey, Authorization: `Bearer ${tokens[c]}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ customer_id: ids[(c * 7919 + i) % ids.length] }),
  });
  await response.arrayBuffer();
  if (!response.ok) failures += 1;
};
await loadTest({ concurrency: CONCURRENCY, durationMs: 1500, fn: call }); // warm-up
// One client alone: the gateway's own latency, without queueing behind the other nine.
const single = await loadTest({ concurrency: 1, durationMs: Math.min(DURATION_MS, 3000), fn: call });
console.log(`gateway   get_customer_context   p50 ${single.p50_ms} ms  p95 ${single.p95_ms} ms  with 1 client`);
failures = 0;
const gateway = await loadTest({ concurrency: CONCURRENCY, durationMs: DURATION_MS, fn: call });
console.log(`gateway   get_customer_context   p50 ${gateway.p50_ms} ms  p95 ${gateway.p95_ms} ms  ${gateway.requests_per_second} req/s at ${CONCURRENCY} clients (${benchFetchName}), ${failures} failed  (target p95 ≤ 30 ms)`);
// Baseline in the same run: the cheapest RPC there is (get_my_profile, one row by primary
// key) under the same load, i.e. the gateway's own floor on this machine right now.
const baselineCall = async (/** @type {number} */ c) => {
  const response = await fetch(`${cfg.apiUrl}/rest/v1/rpc/get_my_profile`, {
    method: 'POST',
    headers: { apikey: cfg.anonKey, Authorization: `Bearer ${tokens[c]}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  await response.arrayBuffer();
};
const baseline = await loadTest({ concurrency: CONCURRENCY, durationMs: Math.min(DURATION_MS, 5000), fn: baselineCall });
const ratio = Math.round((gateway.p95_ms / baseline.p95_ms) * 100) / 100;
console.log(`gateway   baseline get_my_profile p50 ${baseline.p50_ms} ms  p95 ${baseline.p95_ms} ms  ${baseline.requests_per_second} req/s at ${CONCURRENCY} clients; context/baseline p95 ratio ${ratio}`);

writeResults('customer-context', {
  scale_customers: org.customers,
  sampled_customers: ids.length,
  database_get_customer_context: { ...database, target_p95_ms: 10, met: database.p95_ms <= 10 },
  database_get_customer_context_by_execution: byExecution,
  database_list_customers: { first_page: firstPage, page_21: deepPage, search: searched },
  client_fetch: benchFetchName,
  gateway_get_customer_context_one_client: single,
  gateway_baseline_get_my_profile: baseline,
  gateway_p95_ratio_to_baseline: ratio,
  gateway_get_customer_context: { concurrency: CONCURRENCY, duration_ms: DURATION_MS, failures, ...gateway, target_p95_ms: 30, met: gateway.p95_ms <= 30 },
});
