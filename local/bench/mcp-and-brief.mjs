#!/usr/bin/env node
// The agents issue's figures, on the scale organisation (`renubu seed --scale N` first):
//   1. MCP overhead: the `get_queue` tool through the mcp function (the official MCP client,
//      Streamable HTTP) against the same get_workflow_queue RPC through supabase-js, as the
//      same CSM, alternating call by call in the same run. Target: p95 added ≤ 15 ms.
//   2. Daily briefs for every CSM of the organisation with the built-in model: the
//      daily-brief function as the scheduler calls it, timed end to end (facts stored in
//      SQL, prose written, digests queued). Target: ≤ 60 s for the 593 CSMs of 100k.
// Figures are printed with the load average and written to bench-results/mcp-and-brief.json.
import os from 'node:os';
import pg from 'pg';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { stackConfig } from '../config.mjs';
import { summarise, writeResults } from './stats.mjs';

const cfg = stackConfig();
const SCALE_SLUG = 'scale-co';
const CSM_EMAIL = 'csm-0001@scale.test';
const PASSWORD = 'renubu-demo-password';
const CALLS = Number(process.env.BENCH_MCP_CALLS ?? 200);

const db = new pg.Client({ connectionString: cfg.dbUrl });
await db.connect();
const { rows: [org] } = await db.query(
  `select o.id, (select count(*) from app.customers c where c.org_id = o.id)::int as customers,
          (select count(*) from app.profiles p where p.org_id = o.id and p.role = 'csm' and p.deactivated_at is null)::int as csms
     from app.organisations o where o.slug = $1`, [SCALE_SLUG]);
if (!org) {
  console.error('No scale organisation: run `node local/cli.mjs seed --scale 100000` first.');
  process.exit(1);
}
console.log(`scale organisation: ${org.customers} customers, ${org.csms} CSMs; load average ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}`);

// ---- 1. MCP get_queue against the RPC ----------------------------------------------
// The RPC side is the request supabase-js sends (POST /rest/v1/rpc with apikey and the
// bearer token); supabase-js itself wants a WebSocket that Node 20 lacks outside a flag.
const signIn = await fetch(`${cfg.apiUrl}/auth/v1/token?grant_type=password`, {
  method: 'POST', headers: { apikey: cfg.anonKey, 'Content-Type': 'application/json' },
  body: JSON.stringify({ email: CSM_EMAIL, password: PASSWORD }),
});
const token = (await signIn.json()).access_token;
if (!token) throw new Error(`sign-in as ${CSM_EMAIL} failed (${signIn.status})`);
async function rpcQueue() {
  const response = await fetch(`${cfg.apiUrl}/rest/v1/rpc/get_workflow_queue`, {
    method: 'POST',
    headers: { apikey: cfg.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Client-Info': 'supabase-js-node/2.119.1' },
    body: JSON.stringify({ page_size: 25 }),
  });
  if (!response.ok) throw new Error(`get_workflow_queue: ${response.status}`);
  return response.json();
}
const agent = new Client({ name: 'renubu-bench', version: '1.0.0' });
await agent.connect(new StreamableHTTPClientTransport(new URL(`${cfg.apiUrl}/functions/v1/mcp?agent=renubu-bench`), {
  requestInit: { headers: { Authorization: `Bearer ${token}`, apikey: cfg.anonKey } },
}));

const viaRpc = [];
const viaMcp = [];
for (let i = 0; i < CALLS + 20; i++) {
  const a = performance.now();
  await rpcQueue();
  const b = performance.now();
  const tool = await agent.callTool({ name: 'get_queue', arguments: { page_size: 25 } });
  if (tool.isError) throw new Error(/** @type {{ text: string }[]} */ (tool.content)[0]?.text);
  const c = performance.now();
  if (i >= 20) { viaRpc.push(b - a); viaMcp.push(c - b); } // the first 20 warm both paths
}
await agent.close();
const rpcFigures = summarise(viaRpc);
const mcpFigures = summarise(viaMcp);
const added = { p50_ms: Math.round((mcpFigures.p50_ms - rpcFigures.p50_ms) * 100) / 100, p95_ms: Math.round((mcpFigures.p95_ms - rpcFigures.p95_ms) * 100) / 100 };
console.log(`get_queue via supabase-js  p50 ${rpcFigures.p50_ms} ms  p95 ${rpcFigures.p95_ms} ms`);
console.log(`get_queue via MCP          p50 ${mcpFigures.p50_ms} ms  p95 ${mcpFigures.p95_ms} ms`);
console.log(`MCP adds                   p50 ${added.p50_ms} ms  p95 ${added.p95_ms} ms  (target p95 ≤ 15 ms); ratio p50 ${(mcpFigures.p50_ms / rpcFigures.p50_ms).toFixed(2)}`);

// ---- 2. Daily briefs for every CSM of the organisation -------------------------------
// Make the organisation due now (its brief time at midnight) and clear today's briefs;
// both are put back afterwards.
const { rows: [before] } = await db.query(`select settings from app.organisation_settings where org_id = $1`, [org.id]);
await db.query(`update app.organisation_settings set settings = settings || '{"brief_time": "00:00"}' where org_id = $1`, [org.id]);
await db.query(`delete from app.daily_briefs where org_id = $1 and brief_date = app.organisation_today($1)`, [org.id]);
const [loadBefore = 0] = os.loadavg();
const started = performance.now();
const response = await fetch(`${cfg.apiUrl}/functions/v1/daily-brief`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${cfg.serviceRoleKey}`, apikey: cfg.anonKey, 'Content-Type': 'application/json' },
  body: '{}',
  signal: AbortSignal.timeout(300_000),
});
const result = await response.json();
const seconds = Math.round((performance.now() - started) / 10) / 100;
const { rows: [made] } = await db.query(
  `select count(*)::int as briefs, count(*) filter (where written_at is not null)::int as written,
          round(avg(jsonb_array_length(facts)), 1) as facts_per_brief
     from app.daily_briefs where org_id = $1 and brief_date = app.organisation_today($1)`, [org.id]);
await db.query(`update app.organisation_settings set settings = $2 where org_id = $1`, [org.id, before.settings]);
await db.end();
console.log(`daily-brief for ${made.briefs} CSMs (${made.written} written, ${made.facts_per_brief} facts each): ${seconds} s (target ≤ 60 s); answer ${response.status} ${JSON.stringify(result)}; load ${loadBefore.toFixed(2)}`);

writeResults('mcp-and-brief', {
  organisation: { customers: org.customers, csms: org.csms },
  load_average: os.loadavg(),
  mcp_get_queue: { calls: CALLS, rpc: rpcFigures, mcp: mcpFigures, added, target_added_p95_ms: 15 },
  daily_brief: { briefs: made.briefs, written: made.written, facts_per_brief: Number(made.facts_per_brief), seconds, target_seconds: 60 },
});
