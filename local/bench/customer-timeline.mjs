#!/usr/bin/env node
// The CSM's day on the scale organisation (`renubu seed --scale N` first), database time
// (EXPLAIN ANALYZE "Execution Time") as a member, RLS on; p50/p95:
//   1. get_customer_timeline, first page and the page after it, over many customers.
//      Target: p95 ≤ 10 ms.
//   2. the filtered queue: get_workflow_queue with a lane filter and a search, as a CSM.
//      Target: p95 ≤ 5 ms.
//   3. list_customers with each sort and with filters (first page and a deep page).
// Figures are printed and written to bench-results/customer-timeline.json.
import os from 'node:os';
import { stackConfig } from '../config.mjs';
import { openScaleOrganisation, summarise, writeResults } from './stats.mjs';

const cfg = stackConfig();
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 300);

const { db, org, csm, asMember, executionTimes: times } = await openScaleOrganisation(cfg.dbUrl);
// Customers with the most history first (the costly timelines), then a spread of the rest.
const { rows: sample } = await db.query(
  `(select c.id from app.customers c
      join app.workflow_executions x on x.customer_id = c.id
     where c.org_id = $1 group by c.id order by count(*) desc limit $2 / 3)
   union
   (select id from app.customers where org_id = $1 order by md5(id::text) limit $2)`, [org.id, SAMPLE]);
/** @type {string[]} */
const ids = sample.map((r) => r.id);
console.log(`scale organisation: ${org.customers} customers; sampling ${ids.length}`);

const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

// 1. The timeline: warm once, then the first page of every sampled customer, then page 2
// (after the cursor of page 1) for those that have one.
const TIMELINE = 'select public.get_customer_timeline(customer_id => $1, page_size => 50)';
await times(TIMELINE, ids.slice(0, 20).map((id) => [id]));
const timeline = summarise(await times(TIMELINE, ids.map((id) => [id])));
const cursors = await asMember(async () => {
  const found = [];
  for (const id of ids.slice(0, 100)) {
    const { rows } = await db.query('select public.get_customer_timeline(customer_id => $1, page_size => 10) ->> \'next_cursor\' as c', [id]);
    if (rows[0].c) found.push([id, rows[0].c]);
  }
  return found;
});
const timelinePage2 = cursors.length
  ? summarise(await times('select public.get_customer_timeline(customer_id => $1, page_size => 10, cursor => $2)', cursors))
  : null;
console.log(`database  get_customer_timeline  p50 ${timeline.p50_ms} ms  p95 ${timeline.p95_ms} ms  (target p95 ≤ 10 ms)`
  + (timelinePage2 ? `; page 2 p95 ${timelinePage2.p95_ms} ms (${cursors.length} customers)` : ''));

// 2. The filtered queue, as the CSM: lane `now`, a stage filter, and a search.
const QUEUE = 'select public.get_workflow_queue(page_size => 25, filters => $1::jsonb)';
const queueFilters = [
  { lanes: ['now'] }, { lanes: ['soon'] }, { stages: ['Critical', 'Emergency'] }, { search: 'scale' }, { types: ['renewal'], lanes: ['now'] },
];
await times(QUEUE, queueFilters.map((f) => [JSON.stringify(f)]));
const queue = summarise(await times(QUEUE, queueFilters.flatMap((f) => Array(12).fill([JSON.stringify(f)]))));
console.log(`database  filtered queue         p50 ${queue.p50_ms} ms  p95 ${queue.p95_ms} ms  (target p95 ≤ 5 ms)`);

// 3. list_customers: each sort's first page and a page 20 deep, and filtered pages.
/** @type {Record<string, { first_page: ReturnType<typeof summarise>, page_21: ReturnType<typeof summarise> }>} */
const sorts = {};
for (const sort of ['priority', 'arr', 'renewal', 'health', 'name']) {
  const LIST = 'select public.list_customers(page_size => 50, cursor => $1, sort => $2)';
  const deep = await asMember(async () => {
    /** @type {string | null} */
    let cursor = null;
    for (let i = 0; i < 20; i++) {
      /** @type {{ rows: { page: { next_cursor?: string | null } }[] }} */
      const { rows } = await db.query('select public.list_customers(page_size => 200, cursor => $1, sort => $2) as page', [cursor, sort]);
      cursor = rows[0]?.page.next_cursor ?? cursor;
    }
    return cursor;
  });
  await times(LIST, Array(5).fill([null, sort]));
  const first = summarise(await times(LIST, Array(20).fill([null, sort])));
  const deepPage = summarise(await times(LIST, Array(20).fill([deep, sort])));
  sorts[sort] = { first_page: first, page_21: deepPage };
  console.log(`database  list_customers ${sort.padEnd(8)} first page p95 ${first.p95_ms} ms; page 21 p95 ${deepPage.p95_ms} ms`);
}
const FILTERED = 'select public.list_customers(page_size => 50, filters => $1::jsonb, sort => $2)';
const filterCases = [
  [{ stages: ['Critical'] }, 'priority'], [{ stages: ['Critical'] }, 'renewal'], [{ stages: ['Monitor'] }, 'name'],
  [{ plans: ['invest'] }, 'arr'], [{ assignee_id: csm.id }, 'renewal'],
  [{ stages: ['Overdue', 'Emergency'], plans: ['monitor'] }, 'health'],
];
await times(FILTERED, filterCases.map(([f, s]) => [JSON.stringify(f), s]));
const filtered = summarise(await times(FILTERED, filterCases.flatMap(([f, s]) => Array(10).fill([JSON.stringify(f), s]))));
console.log(`database  list_customers filtered p50 ${filtered.p50_ms} ms  p95 ${filtered.p95_ms} ms`);
console.log(`load average (1/5/15 min): ${load()}`);
await db.end();

writeResults('customer-timeline', {
  scale_customers: org.customers,
  sampled_customers: ids.length,
  load_average: os.loadavg(),
  database_get_customer_timeline: { ...timeline, target_p95_ms: 10, met: timeline.p95_ms <= 10 },
  database_get_customer_timeline_page_2: timelinePage2,
  database_filtered_queue: { ...queue, target_p95_ms: 5, met: queue.p95_ms <= 5 },
  database_list_customers: { sorts, filtered },
});
