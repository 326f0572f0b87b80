// @ts-check
// The load scenario: N simulated CSMs doing the real mix on the demo data through
// supabase-js over HTTP, as the web app does (queue → open a workflow → customer context →
// a streamed chat turn → an action through execute-action → tasks). Every acknowledged write
// goes into a ledger so it can be reconciled afterwards and checked for durability after a
// crash. Every request is counted; a 5xx, a network error or a 4xx the operation did not
// declare is an error — unless it happened while a fault was being injected (then it is
// counted as a fault-window failure instead).
import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import { readEvents } from '../../functions-shared/sse-read.js';
import { withClient } from '../db/database.mjs';

/** @typedef {import('@supabase/supabase-js').SupabaseClient} SupabaseClient */
/** @typedef {import('../../functions-shared/api/functions.ts').ChatEvent} ChatEvent */
/** A demo CSM signed in (sessions()). @typedef {{ email: string, token: string, userId: string }} Person */
/**
 * One simulated CSM: its person, client, the customer, workflow and thread arranged for it,
 * and its number.
 * @typedef {Awaited<ReturnType<typeof arrange>> & { person: Person, client: SupabaseClient, index: number }} Vu
 */
/**
 * An execute-action request body.
 * @typedef {{ action_key: string, execution_id: string, params: Record<string, unknown>, idempotency_key: string }} ActionBody
 */

export const DEMO_PASSWORD = 'renubu-demo-password';
/** The demo CSMs (supabase/seed.sql): four at Acme Cloud, one at Globex Analytics. */
export const DEMO_CSMS = ['sam.csm@acme.test', 'casey.csm@acme.test', 'alex.ae@acme.test', 'sasha.support@acme.test', 'gus.csm@globex.test'];
/** Who approves a CSM's email drafts in each organisation (not the author). */
/** @type {Record<string, string>} */
const APPROVERS = { 'acme-cloud': 'maria.manager@acme.test', 'globex-analytics': 'gina.admin@globex.test' };

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/** The fault windows of a run: failures inside one are expected, outside one are errors. */
export class FaultClock {
  constructor() {
    /** @type {{ name: string, start: number, end: number | null, failures: number }[]} */
    this.windows = [];
  }
  /** @param {string} name */
  begin(name) {
    const w = { name, start: Date.now(), end: /** @type {number | null} */ (null), failures: 0 };
    this.windows.push(w);
    return w;
  }
  /**
   * Ends a window after a grace period for requests that were in flight across it.
   * @param {FaultClock['windows'][number]} w
   */
  end(w, graceMs = 3000) {
    w.end = Date.now() + graceMs;
  }
  /**
   * Whether a request overlapped a fault's window; its failure is counted against every window
   * it overlapped. Not only the last: a stream cut by the worker's kill can end after the next
   * fault began (on a loaded machine the kill waits for a stream mid-way, and the next fault
   * follows at once), and was then counted against that one alone, leaving the kill that cut
   * it with none.
   * @param {number} start @param {number} end epoch ms
   */
  covers(start, end) {
    const overlapped = this.windows.filter((x) => start <= (x.end ?? Infinity) && end >= x.start);
    for (const w of overlapped) w.failures++;
    return overlapped.length > 0;
  }
}

/** @param {string} name */
export function newStats(name) {
  return { scenario: name, requests: 0, ok: 0, expected4xx: 0, errors: 0, faultFailures: 0, faults: 0, reconciled: 0, http5xx: 0, unexpected4xx: 0, network: 0, streamsMidway: 0, failures: /** @type {string[]} */ ([]), seconds: 0 };
}

/**
 * One signed-in session per demo CSM (sign-in is rate limited per address, as in Supabase),
 * shared by the simulated CSMs of that person like browser tabs share one.
 * @param {string} url @param {string} anonKey
 */
async function sessions(url, anonKey) {
  const out = [];
  for (const email of DEMO_CSMS) {
    const client = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
    const { data, error } = await client.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
    if (error || !data.session) throw new Error(`sign-in as ${email} failed: ${error?.message}`);
    out.push({ email, token: data.session.access_token, userId: data.user.id });
  }
  return out;
}

/** @param {string} url @param {string} anonKey @param {string} token */
function clientFor(url, anonKey, token) {
  return createClient(url, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
}

/**
 * Per simulated CSM: a fresh customer of theirs with a started workflow and a chat thread on
 * its current step (arranged like the orchestrator does, then started through the API), so
 * the writes of one CSM never race another's and can be reconciled exactly.
 * @param {pg.Client} db
 * @param {SupabaseClient} client
 * @param {Person} person
 * @param {number} index
 */
async function arrange(db, client, person, index) {
  const { rows: [me] } = await db.query(
    `select p.id, p.org_id, o.slug from app.profiles p join app.organisations o on o.id = p.org_id where p.id = $1`, [person.userId]);
  const { rows: [customer] } = await db.query(
    `insert into app.customers (org_id, name, domain, industry, arr, health_score, renewal_date, assigned_to, risk_score, opportunity_score)
     values ($1, $2, 'load.example', 'Software', 120000, 61, current_date + 30, $3, 55, 40) returning id`,
    [me.org_id, `Load Co ${index} ${randomUUID().slice(0, 6)}`, me.id]);
  await db.query(
    `insert into app.stakeholders (org_id, customer_id, name, email, title, is_champion, is_decision_maker, influence)
     values ($1, $2, 'Lee Load', 'lee@load.example', 'Head of Operations', true, true, 'high')`, [me.org_id, customer.id]);
  const { rows: [execution] } = await db.query(
    `with w as (
       select w.id, v.id as version_id, jsonb_array_length(v.config -> 'steps') as steps
         from app.workflows w join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
        where w.key = 'risk-assessment' and w.org_id is null)
     insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps, trigger_reason)
     select $1, $2, w.id, w.version_id, $3, w.steps, 'reliability load' from w returning id`,
    [me.org_id, customer.id, me.id]);
  await db.query('select app.create_step_rows(array[$1::uuid])', [execution.id]);
  const started = await client.rpc('start_workflow', { execution_id: execution.id });
  if (started.error) throw new Error(`start_workflow: ${JSON.stringify(started.error)}`);
  const { rows: [{ current_step_key: stepKey }] } = await db.query('select current_step_key from app.workflow_executions where id = $1', [execution.id]);
  const thread = await client.rpc('create_chat_thread', { execution_id: execution.id, step_key: stepKey });
  if (thread.error) throw new Error(`create_chat_thread: ${JSON.stringify(thread.error)}`);
  const { rows: [approver] } = await db.query('select id from app.profiles where email = $1', [APPROVERS[me.slug]]);
  return { me, customerId: customer.id, executionId: execution.id, threadId: thread.data.id, approverId: approver.id };
}

/**
 * The ledger of acknowledged writes (ids the server returned with a 2xx).
 * @typedef {{
 *   actions: { id: string, key: string, idempotencyKey: string, executionId: string, userId: string, taskId?: string, outboxId?: string, at?: number }[],
 *   refused: { executionId: string, userId: string }[],
 *   chats: { threadId: string, userMessageId: string, assistantMessageId: string, done: boolean, content?: string, status?: string, at?: number }[],
 *   vus: { executionId: string, threadId: string, userId: string }[],
 * }} Ledger
 */
export function newLedger() {
  return /** @type {Ledger} */ ({ actions: [], refused: [], chats: [], vus: [] });
}

/**
 * Runs the load. `faults` is consulted to classify failures; `onProgress` is called once a
 * second with the stats so far (the crash scenario injects its faults from there).
 * @param {{ url: string, anonKey: string, dbUrl: string, csms?: number, seconds?: number,
 *   stats?: ReturnType<typeof newStats>, ledger?: Ledger, faults?: FaultClock,
 *   onProgress?: (elapsedMs: number) => Promise<void> | void, log?: (line: string) => void }} options
 */
export async function runLoad({ url, anonKey, dbUrl, csms = 50, seconds = 60, stats = newStats('load'), ledger = newLedger(), faults = new FaultClock(), onProgress, log = () => {} }) {
  const people = await sessions(url, anonKey);
  const vus = await withClient(dbUrl, async (db) => {
    const out = [];
    for (let i = 0; i < csms; i++) {
      const person = /** @type {typeof people[number]} */ (people[i % people.length]);
      const client = clientFor(url, anonKey, person.token);
      out.push({ person, client, ...(await arrange(db, client, person, i)) });
    }
    return out;
  });
  for (const vu of vus) ledger.vus.push({ executionId: vu.executionId, threadId: vu.threadId, userId: vu.person.userId });
  // A pool for arranging approved email drafts during the run (setup, not counted).
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  pool.on('error', () => {});
  log(`load: ${csms} simulated CSMs on ${people.length} demo accounts for ${seconds} s`);

  /**
   * One request. `expect` lists the 4xx statuses this operation declares. `body` is the
   * answer's JSON, whatever the operation returns (arbitrary JSON, hence `any`: each caller
   * reads the fields of its own operation).
   * @param {string} op @param {() => Promise<{ status: number, body?: any, network?: string }>} send
   * @param {number[]} [expect]
   * @returns {Promise<{ status: number, body?: any, network?: string, failed?: boolean }>}
   */
  async function request(op, send, expect = []) {
    const start = Date.now();
    stats.requests++;
    let result;
    try {
      result = await send();
    } catch (error) {
      result = { status: 0, network: String(/** @type {Error} */ (error)?.message ?? error) };
    }
    const end = Date.now();
    const { status } = result;
    if (status >= 200 && status < 300 && !result.network) {
      stats.ok++;
      return result;
    }
    if (status >= 400 && status < 500 && expect.includes(status)) {
      stats.expected4xx++;
      return result;
    }
    if (faults.covers(start, end)) {
      stats.faultFailures++;
    } else {
      stats.errors++;
      if (status >= 500) stats.http5xx++;
      else if (status >= 400) stats.unexpected4xx++;
      else stats.network++;
      if (stats.failures.length < 50) stats.failures.push(`${op}: ${status || 'network'} ${result.network ?? JSON.stringify(result.body ?? null).slice(0, 300)}`);
    }
    return { ...result, failed: true };
  }

  /** @param {SupabaseClient} client @param {string} name @param {Record<string, unknown>} args */
  const rpc = (client, name, args) => async () => {
    const r = await client.rpc(name, args);
    // supabase-js folds network failures into `error` with status 0 / no code.
    if (r.error && !r.status) return { status: 0, network: r.error.message };
    return { status: r.status, body: r.error ?? r.data };
  };

  /** @param {Vu} vu */
  async function chatTurn(vu) {
    const clientMessageId = randomUUID();
    return request('chat', async () => {
      const { data, error, response } = await vu.client.functions.invoke('chat', {
        body: { thread_id: vu.threadId, content: 'How is this account doing?', client_message_id: clientMessageId },
        headers: { Accept: 'text/event-stream' },
      });
      if (error) {
        const status = error.context?.status ?? 0;
        let body = null;
        try { body = await error.context?.json(); } catch { /* not JSON */ }
        return status ? { status, body } : { status: 0, network: error.message };
      }
      const res = /** @type {Response} */ (data instanceof Response ? data : response);
      const entry = { threadId: vu.threadId, userMessageId: '', assistantMessageId: '', done: false, at: 0 };
      let midway = false;
      try {
        // A stream counts as mid-way from its first delta until it ends (the crash scenario
        // kills the chat worker only while one is).
        // The events as they arrive, read with the parser the web app and the tests use; a
        // cut stream throws.
        if (!res.body) throw new Error('the answer has no body');
        /** @type {ChatEvent[]} */
        const events = [];
        for await (const raw of readEvents(res.body)) {
          // The chat function's stream (functions-shared/api/functions.ts ChatEvents); the
          // contract tests check its shapes, the load counts what comes back.
          const e = /** @type {ChatEvent} */ (raw);
          events.push(e);
          if (e.event === 'delta' && !midway) { midway = true; stats.streamsMidway++; }
        }
        const first = events.find((e) => e.event === 'message');
        if (first) {
          const assistant = first.data.assistant_message;
          if (!assistant) throw new Error('the message event names no assistant message');
          entry.userMessageId = first.data.user_message.id;
          entry.assistantMessageId = assistant.id;
          entry.at = Date.now();
          ledger.chats.push(entry);
        }
        const last = events.at(-1);
        if (last?.event === 'done') {
          Object.assign(entry, { done: true, content: last.data.content, status: last.data.status, at: Date.now() });
          return { status: 200, body: null };
        }
        // An `error` event is a complete, readable answer (the assistant message failed).
        if (last?.event === 'error') {
          Object.assign(entry, { done: true, status: 'failed' });
          return { status: 502, body: last.data };
        }
        return { status: 0, network: 'stream ended without done or error' };
      } catch (err) {
        return { status: 0, network: `stream cut: ${/** @type {Error} */ (err).message}` };
      } finally {
        if (midway) stats.streamsMidway--;
      }
    });
  }

  /** @param {Vu} vu @param {ActionBody} body */
  async function invokeAction(vu, body) {
    const { data, error } = await vu.client.functions.invoke('execute-action', { body });
    if (error) {
      const status = error.context?.status ?? 0;
      let payload = null;
      try { payload = await error.context?.json(); } catch { /* not JSON */ }
      return status ? { status, body: payload } : { status: 0, network: error.message };
    }
    return { status: 200, body: data };
  }

  /** @param {Vu} vu @param {number} iteration */
  async function action(vu, iteration) {
    const sendMail = iteration % 3 === 2;
    let body;
    if (sendMail) {
      let artifactId;
      try {
        const { rows } = await pool.query(
          `insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, approved_by, approved_at)
           values ($1, $2, 'email_draft', 'Check-in', $3, $4, now()) returning id`,
          [vu.me.org_id, vu.executionId, { to: ['lee@load.example'], subject: 'Checking in', body: 'Hello from the load test.' }, vu.approverId]);
        artifactId = rows[0].id;
      } catch {
        return; // the database is down (a fault is being injected): nothing to send
      }
      body = { action_key: 'send_email', execution_id: vu.executionId, params: { artifact_id: artifactId }, idempotency_key: randomUUID() };
    } else {
      body = { action_key: 'create_task', execution_id: vu.executionId, params: { title: `Follow up ${iteration}`, due_date: '2031-01-15T09:00:00Z' }, idempotency_key: randomUUID() };
    }
    const first = await request(`execute-action ${body.action_key}`, () => invokeAction(vu, body));
    if (first.failed) return;
    const r = first.body;
    ledger.actions.push({
      id: r.action_execution_id, key: body.action_key, idempotencyKey: body.idempotency_key, executionId: vu.executionId,
      userId: vu.person.userId, taskId: r.result?.task_id, outboxId: r.result?.outbox_id, at: Date.now(),
    });
    // A retry with the same key, as a client does after a timeout: nothing applied again.
    if (iteration % 2 === 0) {
      const again = await request(`execute-action ${body.action_key} (replay)`, () => invokeAction(vu, body));
      if (!again.failed && (again.body.action_execution_id !== r.action_execution_id || again.body.replayed !== true)) {
        stats.errors++;
        stats.failures.push(`replay of ${body.idempotency_key} was not a replay: ${JSON.stringify(again.body).slice(0, 200)}`);
      }
    }
  }

  /** @param {Vu} vu */
  async function refusedAction(vu) {
    // Declared 4xx: a snooze beyond the allowed days is refused with 400 (22023).
    const r = await request('execute-action snooze (refused)', () => invokeAction(vu, {
      action_key: 'snooze', execution_id: vu.executionId, params: { days: 999, reason: 'too long' }, idempotency_key: randomUUID(),
    }), [400]);
    if (r.status === 400) ledger.refused.push({ executionId: vu.executionId, userId: vu.person.userId });
  }

  const deadline = Date.now() + seconds * 1000;
  /** @param {Vu} vu */
  async function loop(vu) {
    for (let i = 0; Date.now() < deadline; i++) {
      const queue = await request('get_workflow_queue', rpc(vu.client, 'get_workflow_queue', { page_size: 20 }));
      if (queue.failed) { await sleep(200); continue; }
      const items = queue.body?.items ?? [];
      const item = items[(i * 7 + vu.index) % Math.max(items.length, 1)];
      const executionId = item?.execution_id ?? vu.executionId;
      await request('get_workflow_execution', rpc(vu.client, 'get_workflow_execution', { execution_id: executionId }));
      await request('get_customer_context', rpc(vu.client, 'get_customer_context', { execution_id: executionId }));
      if (Date.now() >= deadline) break;
      await chatTurn(vu);
      await action(vu, i);
      if (i % 4 === 3) await refusedAction(vu);
      await request('list_tasks', rpc(vu.client, 'list_tasks', { execution_id: vu.executionId }));
    }
  }

  const started = Date.now();
  let ticking = true;
  const ticker = (async () => {
    while (ticking) {
      await sleep(1000);
      if (ticking && onProgress) await onProgress(Date.now() - started);
    }
  })();
  await Promise.all(vus.map((vu, index) => loop(Object.assign(vu, { index }))));
  ticking = false;
  await ticker;
  await pool.end();
  stats.seconds = Math.round((Date.now() - started) / 1000);
  return { stats, ledger };
}

/**
 * After the load: the database agrees with what clients were told.
 * - actions logged (success) = actions acknowledged; refused calls logged = refusals seen
 * - one task per create_task log entry, at most one outbox row per action (no duplicate side effect)
 * - messages stored = messages sent; nothing left pending/streaming, no outbox row stuck
 * Returns a list of problems (empty when everything reconciles) and how many rows were checked.
 * With `clock`, a lost write says how long before which fault it had been acknowledged.
 * @param {string} dbUrl @param {Ledger} ledger @param {{ durability?: boolean, clock?: FaultClock }} [options]
 */
export async function reconcile(dbUrl, ledger, options = {}) {
  /** @type {string[]} */
  const problems = [];
  const when = (/** @type {number | undefined} */ at) => {
    const windows = options.clock?.windows ?? [];
    if (!at || !windows.length) return '';
    const w = windows.reduce((a, b) => (Math.abs(b.start - at) < Math.abs(a.start - at) ? b : a));
    const ms = w.start - at;
    return ` (acknowledged ${Math.abs(ms)} ms ${ms >= 0 ? 'before' : 'after'} the ${w.name} fault began)`;
  };
  let rows = 0;
  await withClient(dbUrl, async (db) => {
    const executions = ledger.vus.map((v) => v.executionId);
    const threads = ledger.vus.map((v) => v.threadId);
    const acked = new Map(ledger.actions.map((a) => [a.id, a]));

    // Actions logged = actions acknowledged (every acknowledged one exists: durability).
    const { rows: logged } = await db.query(
      `select id, action_key, success, result, idempotency_key from app.action_executions where execution_id = any($1::uuid[])`, [executions]);
    rows += logged.length;
    const loggedOk = logged.filter((r) => r.success);
    const loggedRefused = logged.filter((r) => !r.success && r.result?.refused);
    for (const a of acked.values()) {
      if (!loggedOk.some((r) => r.id === a.id)) problems.push(`acknowledged action ${a.key} ${a.id} is not in the action log${when(a.at)}`);
    }
    // A write the client never heard about (its answer was cut by a fault) may exist; one
    // the client was told about must. Without faults the two sets are equal.
    if (!options.durability && loggedOk.length !== acked.size) {
      problems.push(`actions logged ${loggedOk.length} ≠ actions acknowledged ${acked.size}`);
    }
    if (!options.durability && loggedRefused.length !== ledger.refused.length) {
      problems.push(`refused actions logged ${loggedRefused.length} ≠ refusals answered ${ledger.refused.length}`);
    }

    // No duplicate side effect: one task per create_task, at most one outbox row per action.
    const { rows: dupTasks } = await db.query(
      `select metadata ->> 'action_execution_id' as id, count(*)::int as n from app.workflow_tasks
        where execution_id = any($1::uuid[]) and metadata ? 'action_execution_id' group by 1 having count(*) > 1`, [executions]);
    for (const d of dupTasks) problems.push(`action ${d.id} created ${d.n} tasks`);
    const { rows: tasks } = await db.query(
      `select id, metadata ->> 'action_execution_id' as action_id from app.workflow_tasks where execution_id = any($1::uuid[])`, [executions]);
    rows += tasks.length;
    for (const a of acked.values()) {
      if (a.key === 'create_task' && !tasks.some((t) => t.action_id === a.id)) problems.push(`acknowledged create_task ${a.id} has no task${when(a.at)}`);
    }
    const { rows: outbox } = await db.query(
      `select id, action_execution_id, status from app.email_outbox where execution_id = any($1::uuid[])`, [executions]);
    rows += outbox.length;
    const perAction = new Map();
    for (const o of outbox) perAction.set(o.action_execution_id, (perAction.get(o.action_execution_id) ?? 0) + 1);
    for (const [id, n] of perAction) if (n > 1) problems.push(`action ${id} has ${n} outbox rows`);
    const { rows: perKey } = await db.query(
      `select a.idempotency_key, count(o.id)::int as n from app.action_executions a join app.email_outbox o on o.action_execution_id = a.id
        where a.execution_id = any($1::uuid[]) and a.idempotency_key is not null group by 1 having count(o.id) > 1`, [executions]);
    for (const k of perKey) problems.push(`idempotency key ${k.idempotency_key} has ${k.n} outbox rows`);
    for (const a of acked.values()) {
      if (a.key === 'send_email' && !outbox.some((o) => o.id === a.outboxId)) problems.push(`acknowledged send_email ${a.id} has no outbox row ${a.outboxId}${when(a.at)}`);
    }

    // Messages stored = messages sent.
    const { rows: messages } = await db.query(
      `select id, role, status, content from app.workflow_chat_messages where thread_id = any($1::uuid[])`, [threads]);
    rows += messages.length;
    const byId = new Map(messages.map((m) => [m.id, m]));
    for (const c of ledger.chats) {
      const user = byId.get(c.userMessageId);
      const assistant = byId.get(c.assistantMessageId);
      if (!user) problems.push(`acknowledged user message ${c.userMessageId} is missing${when(c.at)}`);
      if (!assistant) problems.push(`acknowledged assistant message ${c.assistantMessageId} is missing${when(c.at)}`);
      if (c.done && c.status === 'complete' && assistant && (assistant.status !== 'complete' || assistant.content !== c.content)) {
        problems.push(`assistant message ${c.assistantMessageId} was answered complete but is stored ${assistant.status}${when(c.at)}`);
      }
    }
    const users = messages.filter((m) => m.role === 'user').length;
    if (!options.durability && users !== ledger.chats.length) problems.push(`user messages stored ${users} ≠ sent ${ledger.chats.length}`);
    // A crash run owns its whole stack: nothing anywhere may be stuck. A plain load may share
    // its stack with other work (the fuzz posts messages through the bare RPC, other tests
    // script hanging models), so it answers for its own threads and executions.
    problems.push(...(await stuck(db, options.durability ? null : { threads, executions })));
  });
  return { problems, rows };
}

/**
 * Outbox lease columns come from a later migration; this adapts when they are not there yet.
 * @param {pg.Client} db
 * @returns {Promise<string | null>}
 */
export async function outboxLeaseColumn(db) {
  const { rows } = await db.query(
    `select column_name from information_schema.columns where table_schema = 'app' and table_name = 'email_outbox' and column_name like 'lease%expire%'`);
  return rows[0]?.column_name ?? null;
}

/**
 * Anything left half-done: an unfinished assistant message or a stuck outbox row — in the
 * whole database, or only in the given threads and executions.
 * @param {pg.Client} db @param {{ threads: string[], executions: string[] } | null} [scope]
 */
export async function stuck(db, scope = null) {
  /** @type {string[]} */
  const problems = [];
  const { rows: unfinished } = await db.query(
    `select id, status from app.workflow_chat_messages where role = 'assistant' and status in ('pending', 'streaming')
        and ($1::uuid[] is null or thread_id = any($1::uuid[]))`, [scope?.threads ?? null]);
  for (const m of unfinished) problems.push(`assistant message ${m.id} is stuck ${m.status}`);
  const lease = await outboxLeaseColumn(db);
  const { rows: sending } = await db.query(
    `select id ${lease ? `, ${lease} as lease` : ''} from app.email_outbox where status = 'sending'
        and ($1::uuid[] is null or execution_id = any($1::uuid[]))`, [scope?.executions ?? null]);
  for (const o of sending) {
    if (!lease) problems.push(`outbox row ${o.id} is stuck in sending (no lease column: it never returns to the queue)`);
    else if (!o.lease) problems.push(`outbox row ${o.id} is sending without a lease`);
    else if (new Date(o.lease).getTime() > Date.now() + 3_600_000) problems.push(`outbox row ${o.id} holds a lease until ${new Date(o.lease).toISOString()}: not back in the queue within an hour`);
    // With a lease that expires it returns to the queue then: not stuck.
  }
  const { rows: queued } = await db.query(
    `select count(*)::int as n from app.email_outbox where status = 'queued' and next_attempt_at < now() - interval '10 minutes'
        and ($1::uuid[] is null or execution_id = any($1::uuid[]))`, [scope?.executions ?? null]);
  if (queued[0].n > 0) problems.push(`${queued[0].n} outbox rows queued for over 10 minutes`);
  return problems;
}
