// @ts-check
// Bad input: property-based fuzzing (fast-check) of every public RPC — enumerated from
// pg_proc, so a new RPC is covered without touching this file — and every Edge Function in
// supabase/functions. Generated bodies mix wrong types, huge/empty/unicode/NUL strings,
// deeply nested JSON, missing and extra keys, and non-object bodies. Every answer must be
// below 500 and, when it is an error, in the house shape (PostgREST's {code, message,
// details, hint} for RPC; {"error": {code, message, details}} for functions). Around each
// call that failed, a fingerprint of the `app` schema (row count and hash per table) must
// not have changed: a refused call writes nothing.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createClient } from '@supabase/supabase-js';
import { DEMO_PASSWORD } from './load.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A function of pg_proc as publicRpcs reads it.
 * @typedef {{ name: string, n_defaults: number, arg_names: string[], arg_modes: string[], arg_types: string[] }} ProcRow
 */
/** An RPC and its parameters. @typedef {{ name: string, params: { name: string, type: string, required: boolean }[] }} Rpc */

/**
 * Every function in the `public` schema: what the API exposes as /rest/v1/rpc/<name>.
 * @param {import('pg').Client} db
 * @returns {Promise<Rpc[]>}
 */
export async function publicRpcs(db) {
  const { rows } = await db.query(`
    select p.proname as name, p.pronargdefaults as n_defaults,
           coalesce(p.proargnames, '{}') as arg_names,
           coalesce(p.proargmodes::text[], '{}') as arg_modes,
           array(select format_type(t, null) from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality as u(t, i) order by i) as arg_types
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public' and p.prokind = 'f'
     order by 1`);
  return /** @type {ProcRow[]} */ (rows).map((r) => {
    /** @type {{ name: string, type: string }[]} */
    const params = [];
    r.arg_types.forEach((type, i) => {
      const mode = r.arg_modes[i] ?? 'i';
      if (mode === 'o' || mode === 't') return;
      params.push({ name: r.arg_names[i] ?? `$${i + 1}`, type });
    });
    const nRequired = params.length - r.n_defaults;
    return { name: r.name, params: params.map((p, i) => ({ ...p, required: i < nRequired })) };
  });
}

/** Every Edge Function directory with an index.ts. */
export function edgeFunctions() {
  const dir = path.join(repoRoot, 'supabase', 'functions');
  return readdirSync(dir).filter((f) => !f.startsWith('_') && existsSync(path.join(dir, f, 'index.ts')));
}

/** Row count and a content hash per table of the `app` schema. Refused-action log rows are
 * left out: execute-action records a refusal by design (a successful audit write). So is the
 * webhook delivery log: ingest records every delivery, refused ones included, for the
 * Integrations page (kept to the newest 200 per organisation).
 * @param {import('pg').Client} db
 * @returns {Promise<Record<string, string>>} table → "rows:hash"
 */
export async function fingerprint(db) {
  const { rows: tables } = await db.query(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'app' and c.relkind in ('r', 'p') and c.relname <> 'webhook_deliveries' order by 1`);
  const parts = tables.map((/** @type {{ relname: string }} */ { relname }) => {
    const filter = relname === 'action_executions' ? ` where not (t.success = false and coalesce(t.result ->> 'refused', '') = 'true')` : '';
    return `select '${relname}' as t, count(*)::int as n, coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '') as h from app."${relname}" t${filter}`;
  });
  const { rows } = await db.query(parts.join(' union all '));
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}

/** The keys whose values differ. @param {Record<string, string>} a @param {Record<string, string>} b */
function diff(a, b) {
  return Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]);
}

// ------------------------------------------------------------------------------ generators

// Deep JSON travels as a marker string, swapped for the raw text when the body is written
// (JSON.stringify itself overflows the stack long before a server should).
const deepText = (/** @type {number} */ depth, /** @type {string} */ kind) => (kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
const deep = (/** @type {number} */ depth, /** @type {string} */ kind) => `@@DEEP_${depth}_${kind}@@`;
const encode = (/** @type {unknown} */ json) => JSON.stringify(json).replace(/"@@DEEP_(\d+)_(array|object)@@"/g, (_, d, k) => deepText(Number(d), k));

const nasty = fc.constantFrom(
  '', ' ', '\u0000', 'a\u0000b', '\\u0000', '🙂👍🏽', 'Ünïcødé — “quotes”', '\uD800', '\uDFFF', '\r\n\t', '%', '%00', '../../etc/passwd',
  "'; drop table app.customers; --", '${jndi:x}', 'null', 'NaN', 'Infinity', '-1', '0', '1e309', 'true', '[]', '{}',
  'ｆｕｌｌｗｉｄｔｈ', 'a'.repeat(201), 'a'.repeat(20_001), '\u202Eevil', '<script>alert(1)</script>',
);

const weirdString = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`) },
  { weight: 1, arbitrary: fc.constantFrom(10_000, 300_000, 3_000_000).map((n) => 'x'.repeat(n)) },
);

// 7 levels of lists are already more array dimensions than Postgres allows (54000, a 500
// from PostgREST) if an argument is ever a Postgres array again (migration 20261206282000).
const deepJson = fc.tuple(fc.constantFrom(5, 7, 50, 1000, 10_000, 100_000), fc.constantFrom('array', 'object')).map(([d, k]) => deep(d, k));

const wrongType = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), weirdString,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(weirdString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  deepJson,
);

const WORDS = ['active', 'completed', 'pending', 'complete', 'failed', 'streaming', 'snooze', 'skip', 'escalate', 'send_email', 'create_task',
  'schedule_meeting', 'start', 'reassign', 'llm', 'email_draft', 'manual', 'ai', 'risk-assessment', 'renewal', 'discovery', 'high', 'urgent', 'custom', 'default'];

/**
 * A value for a parameter of a Postgres type: mostly plausible, often wrong.
 * @param {string} type
 * @param {string[]} ids
 * @returns {import('fast-check').Arbitrary<unknown>}
 */
function valueFor(type, ids) {
  const id = ids.length ? fc.constantFrom(...ids) : fc.uuid();
  const base = type.replace(/\(.*\)/, '');
  let right;
  if (base === 'uuid') right = fc.oneof(id, id, fc.uuid(), fc.constant('00000000-0000-0000-0000-000000000000'));
  else if (base === 'uuid[]') right = fc.array(fc.oneof(id, fc.uuid()), { maxLength: 5 });
  else if (base === 'text' || base === 'character varying') right = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 30 }));
  else if (base === 'text[]') right = fc.array(fc.constantFrom(...WORDS), { maxLength: 4 });
  else if (['integer', 'bigint', 'smallint'].includes(base)) {
    right = fc.oneof(fc.integer({ min: -5, max: 500 }), fc.constantFrom(2147483647, 2147483648, -2147483649, 9007199254740993, 1.5, -0), fc.integer().map(String));
  } else if (base === 'numeric' || base === 'double precision') right = fc.oneof(fc.double(), fc.constantFrom('1e1000', 'NaN', '-Infinity'));
  else if (base === 'boolean') right = fc.oneof(fc.boolean(), fc.constantFrom('yes', 'f', 1, 0));
  else if (base === 'jsonb' || base === 'json') {
    right = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ days: fc.oneof(fc.integer({ min: -3, max: 40 }), weirdString), reason: weirdString, title: weirdString, due_date: weirdString, until: weirdString, to: fc.array(weirdString, { maxLength: 2 }) }, { requiredKeys: [] }),
      fc.dictionary(weirdString, wrongType, { maxKeys: 4 }),
      deepJson,
    );
  } else if (base === 'date' || base.startsWith('timestamp')) {
    right = fc.oneof(
      fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => (base === 'date' ? d.toISOString().slice(0, 10) : d.toISOString())),
      fc.constantFrom('infinity', '-infinity', '2099-12-31', '0001-01-01', '99999-01-01', 'yesterday', 'epoch', '2026-02-30', 'now'),
    );
  } else if (base === 'interval') right = fc.constantFrom('1 day', '-5 minutes', '100000000 years', 'P1D');
  else right = weirdString;
  return fc.oneof({ weight: 3, arbitrary: right }, { weight: 2, arbitrary: wrongType });
}

/**
 * A JSON body for an RPC: each parameter present (value) or missing, maybe extra keys.
 * @param {Rpc} routine
 * @param {string[]} ids
 * @returns {import('fast-check').Arbitrary<Body>}
 */
function rpcBody(routine, ids) {
  /** @type {Record<string, import('fast-check').Arbitrary<unknown>>} */
  const fields = {};
  for (const p of routine.params) {
    fields[p.name] = fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 5, arbitrary: valueFor(p.type, ids) });
  }
  const args = fc.record(fields).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
  const extra = fc.dictionary(fc.oneof(fc.constantFrom('org_id', 'role', 'user_id', 'id', '__proto__x'), weirdString), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 });
  return fc.oneof(
    { weight: 6, arbitrary: args.map((a) => ({ json: a })) },
    { weight: 2, arbitrary: fc.tuple(args, extra).map(([a, e]) => ({ json: { ...e, ...a } })) },
    { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), deepJson).map((v) => ({ json: v })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '', 'null', '{"a":}', '\u0000', '[1,2', 'not json').map((raw) => ({ raw })) },
  );
}

const FUNCTION_KEYS = ['thread_id', 'content', 'client_message_id', 'action_key', 'execution_id', 'params', 'idempotency_key', 'type', 'events', 'data'];

/**
 * A request body: JSON (any value, written with encode()) or raw text.
 * @typedef {{ json: unknown } | { raw: string }} Body
 */

/**
 * A JSON body for an Edge Function: its keys with plausible or wrong values, or junk.
 * @param {string[]} ids
 * @returns {import('fast-check').Arbitrary<Body>}
 */
function functionBody(ids) {
  const plausible = fc.record({
    thread_id: fc.oneof(fc.constantFrom(...ids), fc.uuid(), wrongType),
    content: fc.oneof(fc.string({ maxLength: 50 }), weirdString, wrongType),
    client_message_id: fc.oneof(fc.uuid(), weirdString, wrongType),
    action_key: fc.oneof(fc.constantFrom('snooze', 'skip', 'escalate', 'send_email', 'create_task', 'schedule_meeting', 'nope'), weirdString, wrongType),
    execution_id: fc.oneof(fc.constantFrom(...ids), fc.uuid(), wrongType),
    params: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(weirdString, wrongType, { maxKeys: 4 }), deepJson),
    idempotency_key: fc.oneof(fc.uuid(), weirdString, wrongType),
    type: fc.oneof(fc.constantFrom('customer.upserted', 'usage.snapshot', 'batch'), weirdString),
    events: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), wrongType),
  }, { requiredKeys: [] });
  return fc.oneof(
    { weight: 6, arbitrary: plausible.map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...FUNCTION_KEYS), weirdString), wrongType, { maxKeys: 5 }).map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), deepJson).map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '', 'null', '\u0000', 'not json', '{"thread_id":').map((raw) => ({ raw })) },
  );
}

// ------------------------------------------------------------------------------ checks

// The checks take a response's parsed JSON: any value at all (hence `any`), probed field by field.
const isRpcError = (/** @type {any} */ b) => b && typeof b === 'object' && typeof b.code === 'string' && typeof b.message === 'string' && 'details' in b && 'hint' in b;
const isFunctionError = (/** @type {any} */ b) => b && typeof b === 'object' && b.error && typeof b.error.code === 'string' && typeof b.error.message === 'string' && 'details' in b.error;
// The mcp function speaks JSON-RPC 2.0 (the Model Context Protocol): once past
// authentication its errors are JSON-RPC error objects, as MCP clients expect.
const isJsonRpcError = (/** @type {any} */ b) => b && typeof b === 'object' && b.jsonrpc === '2.0' && b.error && typeof b.error.code === 'number' && typeof b.error.message === 'string';
// A batch (a JSON array of messages) is answered with an array, one answer per message
// (JSON-RPC 2.0 §6; functions-shared/mcp/handler.ts): refused whole, every answer an error.
const isJsonRpcErrorAnswer = (/** @type {any} */ b) => isJsonRpcError(b) || (Array.isArray(b) && b.length > 0 && b.every(isJsonRpcError));
const isErrorShapeOf = (/** @type {{ kind: string, name: string }} */ target, /** @type {unknown} */ body) => (target.kind === 'rpc' ? isRpcError(body)
  : isFunctionError(body) || (target.name === 'mcp' && isJsonRpcErrorAnswer(body)));

/** @param {string} url @param {{ method?: string, headers: Record<string, string>, body?: string }} init */
async function send(url, { method = 'POST', headers, body }) {
  const started = Date.now();
  try {
    const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.status, text, json, contentType: res.headers.get('content-type') ?? '', ms: Date.now() - started };
  } catch (error) {
    return { status: 0, text: String(/** @type {Error} */ (error)?.cause ?? error), json: undefined, contentType: '', ms: Date.now() - started };
  }
}

const show = (/** @type {unknown} */ v, n = 300) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
};

/**
 * @param {{ url: string, anonKey: string, dbUrl: string, runs?: number, seed?: number,
 *   log?: (line: string) => void }} options
 */
export async function runFuzz({ url, anonKey, dbUrl, runs = 300, seed = Date.now() % 1_000_000, log = () => {} }) {
  const stats = { scenario: 'bad input (fuzz)', requests: 0, errors: 0, faults: 0, reconciled: 0, seed, rpcs: 0, functions: 0, status: /** @type {Record<string, number>} */ ({}) };
  /** @type {{ kind: string, target: string, as: string, request: string, status: number, response: string }[]} */
  const findings = [];

  // A signed-in CSM (Sam), and fixtures of their own to aim at (never the seeded demo rows,
  // which other tests rely on): a customer, a started workflow, a thread, a task, an artifact.
  const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const { data: signIn, error } = await client.auth.signInWithPassword({ email: 'sam.csm@acme.test', password: DEMO_PASSWORD });
  if (error || !signIn.session) throw new Error(`sign-in failed: ${error?.message}`);
  const token = signIn.session.access_token;
  const db = await import('pg').then(({ default: pg }) => new pg.Client({ connectionString: dbUrl }));
  await db.connect();
  try {
    const { rows: [me] } = await db.query('select id, org_id from app.profiles where email = $1', ['sam.csm@acme.test']);
    const { rows: [customer] } = await db.query(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 50000, 50, $3) returning id`,
      [me.org_id, `Fuzz Co ${randomUUID().slice(0, 6)}`, me.id]);
    const { rows: [execution] } = await db.query(
      `with w as (select w.id, v.id as version_id, jsonb_array_length(v.config -> 'steps') as steps
                    from app.workflows w join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
                   where w.key = 'risk-assessment' and w.org_id is null)
       insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps, trigger_reason)
       select $1, $2, w.id, w.version_id, $3, w.steps, 'reliability fuzz' from w returning id`, [me.org_id, customer.id, me.id]);
    await db.query('select app.create_step_rows(array[$1::uuid])', [execution.id]);
    const userClient = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false }, global: { headers: { Authorization: `Bearer ${token}` } } });
    await userClient.rpc('start_workflow', { execution_id: execution.id });
    const { rows: [{ current_step_key: stepKey }] } = await db.query('select current_step_key from app.workflow_executions where id = $1', [execution.id]);
    const thread = await userClient.rpc('create_chat_thread', { execution_id: execution.id, step_key: stepKey });
    const task = await userClient.rpc('create_task', { title: 'Fuzz target', customer_id: customer.id, execution_id: execution.id });
    const artifact = await userClient.rpc('create_artifact', { execution_id: execution.id, artifact_type: 'note', title: 'Fuzz note', content: { text: 'x' } });
    // Another organisation's rows: every call on them must be refused.
    const { rows: foreign } = await db.query(
      `select e.id from app.workflow_executions e join app.organisations o on o.id = e.org_id where o.slug <> 'acme-cloud' limit 2`);
    /** @type {string[]} */
    const ids = [customer.id, execution.id, thread.data?.id, task.data?.id, artifact.data?.id, me.id, ...foreign.map((r) => r.id)].filter(Boolean);

    const routines = await publicRpcs(db);
    const functions = edgeFunctions();
    stats.rpcs = routines.length;
    stats.functions = functions.length;
    const targets = [
      ...routines.map((r) => ({ kind: 'rpc', name: r.name, arb: rpcBody(r, ids) })),
      ...functions.map((f) => ({ kind: 'function', name: f, arb: functionBody(ids) })),
    ];
    const perTarget = Math.max(2, Math.ceil(runs / targets.length));
    log(`fuzz: ${routines.length} RPCs, ${functions.length} Edge Functions, ${perTarget} cases each (seed ${seed})`);

    let before = await fingerprint(db);
    const since = async (/** @type {number} */ t) => (await db.query(`select count(*)::int as n from cron.job_run_details where start_time >= to_timestamp($1 / 1000.0) - interval '1 second'`, [t])).rows[0].n;

    for (const [ti, target] of targets.entries()) {
      const cases = fc.sample(target.arb, { numRuns: perTarget, seed: seed + ti });
      for (const [ci, c] of cases.entries()) {
        const asAnon = ci % 5 === 4;
        const auth = asAnon ? anonKey : token;
        const body = 'raw' in c ? c.raw : encode(c.json);
        let endpoint;
        /** @type {Record<string, string>} */
        const headers = { apikey: anonKey, Authorization: `Bearer ${auth}`, 'Content-Type': 'application/json', 'X-Client-Info': 'renubu-reliability' };
        if (target.kind === 'rpc') endpoint = `${url}/rest/v1/rpc/${target.name}`;
        else {
          endpoint = `${url}/functions/v1/${target.name}${target.name === 'ingest' && ci % 2 ? '/acme-cloud' : ''}`;
          if (ci % 3 === 0) headers.Accept = 'text/event-stream';
          if (target.name === 'ingest') Object.assign(headers, { 'webhook-id': `msg_${ci}`, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,bm90LWEtc2lnbmF0dXJl' });
        }
        const t0 = Date.now();
        const res = await send(endpoint, { headers, body });
        stats.requests++;
        stats.status[res.status] = (stats.status[res.status] ?? 0) + 1;
        const as = asAnon ? 'anon' : 'csm';
        const record = (/** @type {string} */ kind) => {
          stats.errors++;
          findings.push({ kind, target: `${target.kind} ${target.name}`, as, request: show(body), status: res.status, response: show(res.text) });
        };
        if (res.status === 0) record('no answer (connection failed)');
        else if (res.status >= 500) record('5xx');
        else if (res.status >= 400) {
          const ok = isErrorShapeOf(target, res.json);
          if (!ok) record('error not in the house shape');
        }
        const after = await fingerprint(db);
        const changed = diff(before, after);
        if ((res.status >= 400 || res.status === 0) && changed.length) {
          if ((await since(t0)) > 0) log(`fuzz: a cron job ran during a failed call; its changes (${changed.join(', ')}) are not judged`);
          else {
            stats.errors++;
            findings.push({ kind: `partial write on a failed call (${changed.join(', ')})`, target: `${target.kind} ${target.name}`, as, request: show(body), status: res.status, response: show(res.text) });
          }
        }
        stats.reconciled++;
        before = after;
        if (res.status === 0) {
          // The server may have died: wait for it before going on (and say so).
          const deadline = Date.now() + 15_000;
          while (Date.now() < deadline) {
            const h = await send(`${url}/auth/v1/health`, { method: 'GET', headers: {} });
            if (h.status === 200) break;
            await new Promise((r) => setTimeout(r, 300));
          }
        }
      }
    }
  } finally {
    await db.end();
  }
  return { stats, findings };
}
