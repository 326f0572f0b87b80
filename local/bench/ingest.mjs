#!/usr/bin/env node
// Ingest throughput: signed batches of 500 events posted to the `ingest` Edge Function
// through the gateway, one delivery after another (as a sender retrying in order would),
// into a throwaway organisation; then the rows are counted to prove nothing was lost.
// Target: ≥ 2 000 events/s. Written to bench-results/ingest.json.
// BENCH_INGEST_STAMPED=1 gives every event the `timestamp` a source that follows
// docs/customer-intelligence.md sends (when it made the change): its upserts are then judged
// field by field against the stored fields' times (migration 20261211000000), which a
// sender without timestamps does not pay for.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { stackConfig } from '../config.mjs';
import { signedHeaders } from '../ingest.mjs';
import { summarise, writeResults } from './stats.mjs';

const cfg = stackConfig();
const BATCH = 500;
const BATCHES = Number(process.env.BENCH_INGEST_BATCHES ?? 40);
const CUSTOMERS = 2000;

const db = new pg.Client({ connectionString: cfg.dbUrl });
await db.connect();
const slug = `bench-ingest-${Date.now().toString(36)}`;
const secret = `whsec_${Buffer.from(randomUUID() + randomUUID()).toString('base64')}`;
const { rows: [org] } = await db.query(
  `with o as (insert into app.organisations (name, slug) values ('Ingest bench', $1) returning id)
   insert into app.webhook_secrets (org_id, label, secret) select id, 'bench', $2 from o returning org_id`, [slug, secret]);
const url = `${cfg.apiUrl}/functions/v1/ingest/${slug}`;

// A realistic mix: the first batches create customers, the rest carry usage snapshots,
// engagement events, stakeholders, contracts, ARR changes and customer updates.
const day = (/** @type {number} */ n) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();
/** The k-th event of the mix. @param {number} k */
function eventFor(k) {
  const c = `cust-${k % CUSTOMERS}`;
  if (k < CUSTOMERS) {
    return { type: 'customer.upserted', data: { external_id: c, name: `Bench customer ${k}`, arr: 10000 + (k % 90) * 1000, health_score: k % 100, renewal_date: '2027-06-30' } };
  }
  switch (k % 6) {
    case 0: return { type: 'usage.snapshot', data: { customer_external_id: c, recorded_at: day(k % 300), active_users: k % 80, licensed_seats: 100 } };
    case 1: return { type: 'engagement.event', data: { customer_external_id: c, external_id: `ev-${k}`, event_type: 'call', occurred_at: day(k % 300) } };
    case 2: return { type: 'stakeholder.upserted', data: { customer_external_id: c, external_id: `sh-${k % 5000}`, name: `Person ${k % 5000}`, influence: 'medium' } };
    case 3: return { type: 'contract.upserted', data: { customer_external_id: c, external_id: `ct-${k % 3000}`, start_date: '2026-01-01', end_date: '2026-12-31', annual_value: 5000 + (k % 50) * 100 } };
    case 4: return { type: 'arr.changed', data: { customer_external_id: c, arr: 20000 + (k % 70) * 500, recorded_at: day(k % 300) } };
    default: return { type: 'customer.upserted', data: { external_id: c, health_score: (k * 7) % 100 } };
  }
}

const STAMPED = process.env.BENCH_INGEST_STAMPED === '1';
/** The k-th event, stamped a second after the one before when STAMPED. @param {number} k */
const sentEvent = (k) => (STAMPED ? { ...eventFor(k), timestamp: new Date(Date.UTC(2026, 10, 1) + k * 1000).toISOString() } : eventFor(k));
const bodies = Array.from({ length: BATCHES }, (_, b) =>
  JSON.stringify({ type: 'batch', events: Array.from({ length: BATCH }, (_, i) => sentEvent(b * BATCH + i)) }));

const latencies = [];
let failed = 0;
// One warm-up delivery (boots the function's Deno worker), not counted.
{
  const warm = JSON.stringify({ type: 'customer.upserted', data: { external_id: 'warm-up', name: 'Warm up' } });
  await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...signedHeaders(secret, `warm-${randomUUID()}`, warm) }, body: warm });
}
const started = performance.now();
for (const body of bodies) {
  const t = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...signedHeaders(secret, `msg_${randomUUID()}`, body) },
    body,
  });
  await response.text();
  latencies.push(performance.now() - t);
  if (!response.ok) failed += 1;
}
const seconds = (performance.now() - started) / 1000;
const events = BATCH * BATCHES;
const eventsPerSecond = Math.round(events / seconds);

// Nothing lost: every delivery recorded, every distinct row present.
const counts = (await db.query(
  `select (select count(*) from app.processed_webhooks where org_id = $1)::int - 1 as deliveries,
          (select count(*) from app.customers where org_id = $1 and external_id like 'cust-%')::int as customers,
          (select count(*) from app.engagement_events where org_id = $1)::int as engagement_events,
          (select count(*) from app.usage_snapshots where org_id = $1)::int as usage_snapshots`, [org.org_id])).rows[0];
/** @type {Record<string, number>} */
const expected = {
  deliveries: BATCHES,
  customers: CUSTOMERS,
  engagement_events: Array.from({ length: events }, (_, k) => k).filter((k) => k >= CUSTOMERS && k % 6 === 1).length,
  usage_snapshots: new Set(Array.from({ length: events }, (_, k) => k).filter((k) => k >= CUSTOMERS && k % 6 === 0)
    .map((k) => `${k % CUSTOMERS}|${k % 300}`)).size,
};
const lost = Object.keys(expected).filter((k) => counts[k] !== expected[k]);

await db.query('delete from app.organisations where id = $1', [org.org_id]);
await db.end();

const perBatch = summarise(latencies);
console.log(`ingest${STAMPED ? ' (every event stamped)' : ''}: ${events} events in ${BATCHES} deliveries of ${BATCH} in ${seconds.toFixed(2)} s = ${eventsPerSecond} events/s (target ≥ 2000); per delivery p50 ${perBatch.p50_ms} ms p95 ${perBatch.p95_ms} ms; ${failed} failed`);
console.log(`counted after: ${JSON.stringify(counts)}; expected ${JSON.stringify(expected)}; ${lost.length ? `MISMATCH in ${lost.join(', ')}` : 'nothing lost'}`);
writeResults(STAMPED ? 'ingest-stamped' : 'ingest', {
  stamped: STAMPED, batch_size: BATCH, deliveries: BATCHES, events, seconds: Math.round(seconds * 100) / 100,
  events_per_second: eventsPerSecond, target_events_per_second: 2000, met: eventsPerSecond >= 2000 && failed === 0 && lost.length === 0,
  per_delivery: perBatch, failed_deliveries: failed, counted: counts, expected, lost,
});
if (failed || lost.length) process.exitCode = 1;
