#!/usr/bin/env node
// search_customer_history on the scale organisation (`renubu seed --scale N` first):
// database execution time (EXPLAIN ANALYZE "Execution Time") as a member of the
// organisation, RLS on, over a spread of customers and everyday queries; p50/p95.
// Target: p95 ≤ 10 ms. Also the history passages a chat prompt loads
// (app.chat_history_for_prompt, rag: OR-matched question + latest contacts).
// Figures are printed and written to bench-results/history-search.json.
import os from 'node:os';
import { stackConfig } from '../config.mjs';
import { openScaleOrganisation, summarise, writeResults } from './stats.mjs';

const cfg = stackConfig();
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 300);
const QUERIES = ['check-in', 'usage report', 'support ticket', '"follow-up" call', 'nps survey', 'renewal -pricing', 'monthly'];

const { db, org, executionTimes: times } = await openScaleOrganisation(cfg.dbUrl);
const { rows: [{ passages }] } = await db.query(
  'select count(*)::int as passages from app.customer_history_passages h where h.org_id = $1', [org.id]);
const { rows: [all] } = await db.query('select count(*)::int as passages from app.customer_history_passages');
const { rows: sample } = await db.query(
  'select id from app.customers where org_id = $1 order by md5(id::text) limit $2', [org.id, SAMPLE]);
const args = sample.map((r, i) => [r.id, QUERIES[i % QUERIES.length]]);
console.log(`scale organisation: ${org.customers} customers, ${passages} history passages (${all.passages} in all organisations); sampling ${args.length} searches`);

await times('select public.search_customer_history($1, $2)', args.slice(0, 30));
const search = summarise(await times('select public.search_customer_history($1, $2)', args));
console.log(`database  search_customer_history  p50 ${search.p50_ms} ms  p95 ${search.p95_ms} ms  (target p95 ≤ 10 ms)`);

const promptArgs = sample.map((r, i) => [org.id, r.id, `What did we discuss in the ${QUERIES[i % QUERIES.length]}?`]);
await times('select app.chat_history_for_prompt($1, $2, $3, true)', promptArgs.slice(0, 30));
const prompt = summarise(await times('select app.chat_history_for_prompt($1, $2, $3, true)', promptArgs));
console.log(`database  chat_history_for_prompt (rag)  p50 ${prompt.p50_ms} ms  p95 ${prompt.p95_ms} ms`);
await db.end();

writeResults('history-search', {
  organisation_customers: org.customers,
  organisation_passages: passages,
  all_passages: all.passages,
  load_average: os.loadavg(),
  search_customer_history: search,
  chat_history_for_prompt: prompt,
  targets: { search_p95_le_10ms: search.p95_ms <= 10 },
});
