#!/usr/bin/env node
// Cost flat in data size (issue 18, point 2): the main reads of a CSM's day, for a CSM with
// the same-size book (csm-0001, 500 accounts) in the 100k organisation (scale-co) and in
// the 300k organisation (scale-co-300k), both in ONE cluster — so the figures also show
// that a call's cost does not depend on the number of organisations beside it.
//
// Reads: queue first page, customer context, customers list (first page), customers search
// (the numbers in the names of the first organisation's sample, as a CSM types them, in
// both), timeline, history search,
// renewal forecast (the CSM's book, next quarter). Each is database
// execution time (EXPLAIN ANALYZE "Execution Time") as the signed-in CSM, RLS on, as
// PostgREST runs it. The two organisations are measured in alternating rounds so load
// changes hit both alike. Prints p50/p95 per organisation and the ratios 300k/100k of both
// (target ≤ 1.2 each), with the load average; writes bench-results/flat-cost.json.
//
// Needs `renubu seed --scale 100000` and `renubu seed --scale 300000` on the running stack.
// BENCH_SMALL_SLUG / BENCH_LARGE_SLUG pick other organisations; BENCH_SAMPLE (default 60)
// customers per organisation; BENCH_ROUNDS (default 10) rounds, each alternating the two
// organisations every 5 calls.
//
// Then the number of organisations beside: a member of the smallest other organisation
// with customers (a demo organisation, 5 or 26 customers) searches for texts that match
// tens of thousands of the scale organisations' customers. The trigram index holds every
// organisation's customers, so this checks that such a search is planned on the member's
// own few rows and costs no more than their unsearched first page (ratio of both p50 and
// p95 ≤ 1.2). Skipped when the cluster has no such organisation.
import os from 'node:os';
import pg from 'pg';
import { stackConfig } from '../config.mjs';
import { databaseExecutionTimes, summarise, writeResults } from './stats.mjs';

const cfg = stackConfig();
const SMALL = process.env.BENCH_SMALL_SLUG ?? 'scale-co';
const LARGE = process.env.BENCH_LARGE_SLUG ?? 'scale-co-300k';
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const CHUNK = 5;
const TARGET_RATIO = 1.2;
const QUERIES = ['check-in', 'usage report', 'support ticket', 'renewal', 'nps survey', 'monthly'];
// Texts that match many customers of the scale organisations (their names and domains are
// `Scale Customer 0012345`, `customer-12345.scale.test`), and one that matches nothing.
const COMMON_TEXTS = ['customer 4', 'scale', '0001', 'customer-12', 'zz-no-match'];
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

const db = new pg.Client({ connectionString: cfg.dbUrl });
await db.connect();

/**
 * @typedef {{ id: string, slug: string, customers: number, csm: { id: string, email: string, accounts: number },
 *   ids: string[], names: string[], dates: { q0: string, q1: string } }} BenchOrganisation
 */

/**
 * The organisation, its first CSM (the 500-account book) and a sample of that book.
 * @param {string} slug
 * @returns {Promise<BenchOrganisation>}
 */
async function organisation(slug) {
  const { rows: [org] } = await db.query(
    `select o.id, o.slug, (select count(*) from app.customers c where c.org_id = o.id)::int as customers
       from app.organisations o where o.slug = $1`, [slug]);
  if (!org) {
    console.error(`No organisation "${slug}": run \`node local/cli.mjs seed --scale 100000\` and \`… --scale 300000\` first.`);
    process.exit(1);
  }
  const { rows: [csm] } = await db.query(
    `select p.id, p.email, (select count(*) from app.customers c where c.assigned_to = p.id)::int as accounts
       from app.profiles p where p.org_id = $1 and p.email like 'csm-0001@%'`, [org.id]);
  const { rows: sample } = await db.query(
    `select id, name from app.customers where org_id = $1 and assigned_to = $2 order by md5(id::text) limit $3`,
    [org.id, csm.id, SAMPLE]);
  const { rows: [dates] } = await db.query(
    `select (date_trunc('quarter', d) + interval '3 months')::date::text as q0,
            (date_trunc('quarter', d) + interval '6 months')::date::text as q1
       from (select app.organisation_today($1) as d) t`, [org.id]);
  return { ...org, csm, ids: sample.map((r) => r.id), names: sample.map((r) => r.name), dates };
}

const small = await organisation(SMALL);
const large = await organisation(LARGE);
const { rows: [{ organisations }] } = await db.query('select count(*)::int as organisations from app.organisations');
for (const o of [small, large]) {
  console.log(`${o.slug}: ${o.customers} customers; ${o.csm.email} has ${o.csm.accounts} accounts; sampling ${o.ids.length}`);
}
console.log(`${organisations} organisations in this cluster; load average ${load()}`);

// Each read: its SQL and the argument lists for one organisation.
/** @type {Record<string, { sql: string, args: (o: BenchOrganisation) => unknown[][] }>} */
const reads = {
  queue_first_page: {
    sql: 'select public.get_workflow_queue(page_size => 50)',
    args: (o) => Array.from({ length: 20 }, () => []),
  },
  customer_context: {
    sql: 'select public.get_customer_context(customer_id => $1)',
    args: (o) => o.ids.map((/** @type {string} */ id) => [id]),
  },
  customers_list: {
    sql: 'select public.list_customers(page_size => 50)',
    args: (o) => Array.from({ length: 20 }, () => []),
  },
  customers_search: {
    // The last word of a name (`Scale Customer 0012345`): a customer's number. The same
    // texts in both organisations (the first one's sample), so both search for the same
    // digits and only the organisation differs.
    sql: 'select public.list_customers(search => $1, page_size => 50)',
    args: () => small.names.map((/** @type {string} */ name) => [name.split(' ').pop()]),
  },
  timeline: {
    sql: 'select public.get_customer_timeline(customer_id => $1, page_size => 50)',
    args: (o) => o.ids.map((/** @type {string} */ id) => [id]),
  },
  history_search: {
    sql: 'select public.search_customer_history($1, $2)',
    args: (o) => o.ids.map((/** @type {string} */ id, /** @type {number} */ i) => [id, QUERIES[i % QUERIES.length]]),
  },
  forecast: {
    sql: 'select public.get_renewal_forecast(period_start => $1, period_end => $2, assignee_id => $3)',
    args: (o) => Array.from({ length: 20 }, () => [o.dates.q0, o.dates.q1, o.csm.id]),
  },
};

/** @type {Record<string, unknown>} */
const results = {};
let met = true;
for (const [name, read] of Object.entries(reads)) {
  /** @type {{ small: number[], large: number[] }} */
  const samples = { small: [], large: [] };
  // warm both (caches, cached plans), then alternate
  for (const o of [small, large]) await databaseExecutionTimes(db, o.csm.id, read.sql, read.args(o).slice(0, 5));
  // Alternate in batches of CHUNK calls, so a burst of load from other work lands on both
  // organisations alike instead of on one organisation's whole round (it showed in p95).
  const smallArgs = read.args(small);
  const largeArgs = read.args(large);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < Math.max(smallArgs.length, largeArgs.length); i += CHUNK) {
      samples.small.push(...await databaseExecutionTimes(db, small.csm.id, read.sql, smallArgs.slice(i, i + CHUNK)));
      samples.large.push(...await databaseExecutionTimes(db, large.csm.id, read.sql, largeArgs.slice(i, i + CHUNK)));
    }
  }
  const s = summarise(samples.small);
  const l = summarise(samples.large);
  // both percentiles: a call's typical and its slow cost must not grow with the organisation
  const { ratio, ok } = ratioWithin(l, s);
  met &&= ok;
  results[name] = { [SMALL]: s, [LARGE]: l, ratio, target_ratio: TARGET_RATIO, met: ok };
  console.log(`${name.padEnd(17)} ${SMALL} p50 ${s.p50_ms} p95 ${s.p95_ms} ms | ${LARGE} p50 ${l.p50_ms} p95 ${l.p95_ms} ms`
    + ` | ratio p50 ${ratio.p50} p95 ${ratio.p95} (target ≤ ${TARGET_RATIO})  load ${load()}`);
}

const beside = await organisationsBeside();
if (beside) met &&= beside.met;
await db.end();
console.log(`every ratio ≤ ${TARGET_RATIO} (p50 and p95): ${met ? 'yes' : 'no'}; load average (1/5/15 min): ${load()}`);

/**
 * The p50 and p95 of `measured` over those of `baseline` (two decimals), and whether both
 * are within TARGET_RATIO.
 * @param {{ p50_ms: number, p95_ms: number }} measured
 * @param {{ p50_ms: number, p95_ms: number }} baseline
 */
function ratioWithin(measured, baseline) {
  const ratio = {
    p50: Math.round((measured.p50_ms / baseline.p50_ms) * 100) / 100,
    p95: Math.round((measured.p95_ms / baseline.p95_ms) * 100) / 100,
  };
  return { ratio, ok: ratio.p50 <= TARGET_RATIO && ratio.p95 <= TARGET_RATIO };
}

/**
 * A small organisation's customers search against its own unsearched first page, in
 * alternating chunks: what the search costs must not follow the other organisations'
 * customers that match the same text.
 */
async function organisationsBeside() {
  const { rows: [org] } = await db.query(
    `select o.slug, count(c.id)::int as customers,
            (select p.id from app.profiles p where p.org_id = o.id and p.deactivated_at is null order by p.id limit 1) as member
       from app.organisations o join app.customers c on c.org_id = o.id
      where o.slug not in ($1, $2)
      group by o.id having count(c.id) > 0 order by count(c.id), o.slug limit 1`, [SMALL, LARGE]);
  if (!org?.member) {
    console.log('organisations beside: no other organisation with customers and a member in this cluster, skipped');
    return null;
  }
  const { rows: [{ others }] } = await db.query(
    'select count(*)::int as others from app.customers c join app.organisations o on o.id = c.org_id where o.slug <> $1', [org.slug]);
  const list = 'select public.list_customers(page_size => 50)';
  const search = 'select public.list_customers(search => $1, page_size => 50)';
  await databaseExecutionTimes(db, org.member, list, [[], []]);
  await databaseExecutionTimes(db, org.member, search, COMMON_TEXTS.map((t) => [t]));
  /** @type {{ list: number[], search: number[] }} */
  const samples = { list: [], search: [] };
  for (let round = 0; round < ROUNDS * 2; round++) {
    samples.list.push(...await databaseExecutionTimes(db, org.member, list, COMMON_TEXTS.map(() => [])));
    samples.search.push(...await databaseExecutionTimes(db, org.member, search, COMMON_TEXTS.map((t) => [t])));
  }
  const l = summarise(samples.list);
  const s = summarise(samples.search);
  const { ratio, ok } = ratioWithin(s, l);
  results.search_beside_other_organisations = {
    slug: org.slug, customers: org.customers, other_organisations_customers: others, texts: COMMON_TEXTS,
    first_page: l, search: s, ratio, target_ratio: TARGET_RATIO, met: ok,
  };
  console.log(`search beside     ${org.slug} (${org.customers} customers; ${others} customers of other organisations):`
    + ` first page p50 ${l.p50_ms} p95 ${l.p95_ms} ms | search for texts that match the others' p50 ${s.p50_ms} p95 ${s.p95_ms} ms`
    + ` | ratio p50 ${ratio.p50} p95 ${ratio.p95} (target ≤ ${TARGET_RATIO})  load ${load()}`);
  return { met: ok };
}

writeResults('flat-cost', {
  organisations_in_cluster: organisations,
  small: { slug: small.slug, customers: small.customers, csm_accounts: small.csm.accounts, sampled: small.ids.length },
  large: { slug: large.slug, customers: large.customers, csm_accounts: large.csm.accounts, sampled: large.ids.length },
  rounds: ROUNDS,
  load_average: os.loadavg(),
  reads: results,
  all_met: met,
});
