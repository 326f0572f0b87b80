// The `execute-action` Edge Function through the gateway (and its handler directly, to
// plug in a mail transport that fails): idempotency under 20 concurrent calls, side
// effects recorded with their status, a failed send retried, bad bodies refused with 422.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleExecuteAction } from '../../functions-shared/actions/handler.ts';
import { MailError, type MailTransport } from '../../functions-shared/actions/mail.ts';
import { envFrom } from '../../functions-shared/http.ts';
import { signedInAs, stack, withDb } from '../support/stack.ts';

let csm: SupabaseClient;
let manager: SupabaseClient;
let me: { id: string; org_id: string };

async function call<T>(client: SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

/** A fresh customer of the CSM with an open, started Risk Intervention. */
async function freshExecution(): Promise<string> {
  const customerId = await withDb(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 90000, 45, $3) returning id`,
      [me.org_id, `Action Co ${randomUUID().slice(0, 8)}`, me.id],
    );
    return rows[0]!.id;
  });
  const opened = await call<{ id: string }>(csm, 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
  await call(csm, 'start_workflow', { execution_id: opened.id });
  return opened.id;
}

async function approvedDraft(executionId: string): Promise<string> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, approved_by, approved_at)
       values ($1, $2, 'email_draft', 'Check-in', $3, $4, now()) returning id`,
      [me.org_id, executionId, { to: ['cfo@action.example'], subject: 'Checking in', body: 'Hello from Renubu.' }, me.id],
    );
    return rows[0]!.id;
  });
}

async function accessToken(client: SupabaseClient): Promise<string> {
  const { data } = await client.auth.getSession();
  return data.session!.access_token;
}

function directRequest(token: string, body: unknown): Request {
  return new Request('http://localhost/functions/v1/execute-action', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const env = () =>
  envFrom({ SUPABASE_URL: stack.url, SUPABASE_ANON_KEY: stack.anonKey, SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey });

const failingMail: MailTransport = {
  name: 'smtp',
  send: () => Promise.reject(new MailError('The mail server smtp.example:587 could not be reached (ECONNREFUSED).')),
};

beforeAll(async () => {
  csm = await signedInAs('csm');
  manager = await signedInAs('manager');
  me = await call(csm, 'get_my_profile');
});

describe('execute-action', () => {
  it('applies 20 concurrent calls with the same idempotency key exactly once', async () => {
    const executionId = await freshExecution();
    const key = `concurrent-${randomUUID()}`;
    const body = { action_key: 'create_task', execution_id: executionId, params: { title: 'Call the CFO', due_date: '2030-01-15T09:00:00Z' }, idempotency_key: key };
    const answers = await Promise.all(Array.from({ length: 20 }, () => csm.functions.invoke('execute-action', { body })));
    for (const a of answers) expect(a.error).toBeNull();
    const ids = new Set(answers.map((a) => a.data.action_execution_id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.data.replayed === false)).toHaveLength(1);
    const counts = await withDb(async (db) => {
      const tasks = await db.query(`select count(*)::int as n from app.workflow_tasks where execution_id = $1 and title = 'Call the CFO'`, [executionId]);
      const log = await db.query(`select count(*)::int as n from app.action_executions where idempotency_key = $1`, [key]);
      return { tasks: tasks.rows[0].n as number, log: log.rows[0].n as number };
    });
    expect(counts).toEqual({ tasks: 1, log: 1 });
  });

  it('records a failed mail transport on the side effect and the outbox, and a retry with the same key delivers once due', async () => {
    const executionId = await freshExecution();
    const artifactId = await approvedDraft(executionId);
    const key = `mail-${randomUUID()}`;
    const body = { action_key: 'send_email', execution_id: executionId, params: { artifact_id: artifactId }, idempotency_key: key };

    const failed = await handleExecuteAction(directRequest(await accessToken(csm), body), { env: env(), mail: failingMail });
    expect(failed.status).toBe(200);
    const first = await failed.json();
    expect(first.success).toBe(true);
    const sendEffect = first.side_effects.find((e: { type: string }) => e.type === 'send_email');
    expect(sendEffect).toMatchObject({ status: 'retrying', attempts: 1 });
    expect(sendEffect.error).toMatch(/could not be reached/);
    const outboxId = first.result.outbox_id as string;
    const afterFailure = await withDb((db) => db.query(
      `select status, last_error, attempts, next_attempt_at - now() > interval '50 seconds' as backs_off from app.email_outbox where id = $1`, [outboxId]));
    expect(afterFailure.rows[0]).toMatchObject({ status: 'queued', attempts: 1, backs_off: true });

    // Before the retry is due a replay sends nothing and says so.
    const early = await csm.functions.invoke('execute-action', { body });
    expect(early.error).toBeNull();
    expect(early.data.side_effects.find((e: { type: string }) => e.type === 'send_email')).toMatchObject({ status: 'retrying', attempts: 1 });

    // Once due, the retry goes through the gateway, whose function uses the local mail sink.
    await withDb((db) => db.query(`update app.email_outbox set next_attempt_at = now() - interval '1 second' where id = $1`, [outboxId]));
    const retry = await csm.functions.invoke('execute-action', { body });
    expect(retry.error).toBeNull();
    expect(retry.data.replayed).toBe(true);
    expect(retry.data.side_effects.find((e: { type: string }) => e.type === 'send_email')).toMatchObject({
      status: 'delivered_to_sink', attempts: 2, error: null,
    });
    const delivered = await withDb((db) => db.query(`select status, sent_at, subject from app.email_outbox where id = $1`, [outboxId]));
    expect(delivered.rows[0]).toMatchObject({ status: 'delivered_to_sink', subject: 'Checking in' });
    expect(delivered.rows[0].sent_at).not.toBeNull();
    const outboxCount = await withDb((db) => db.query(`select count(*)::int as n from app.email_outbox where execution_id = $1`, [executionId]));
    expect(outboxCount.rows[0].n).toBe(1);
  });

  it('a send replayed after its workflow was cancelled delivers nothing: its email waiting for a retry was cancelled with it', async () => {
    const executionId = await freshExecution();
    const artifactId = await approvedDraft(executionId);
    const body = { action_key: 'send_email', execution_id: executionId, params: { artifact_id: artifactId }, idempotency_key: `mail-${randomUUID()}` };
    const failed = await (await handleExecuteAction(directRequest(await accessToken(csm), body), { env: env(), mail: failingMail })).json();
    const outboxId = failed.result.outbox_id as string;
    await call(csm, 'cancel_workflow', { execution_id: executionId, reason: 'The customer asked us to stop' });
    await withDb((db) => db.query(`update app.email_outbox set next_attempt_at = now() - interval '1 second' where id = $1`, [outboxId]));

    const replay = await csm.functions.invoke('execute-action', { body });
    expect(replay.error).toBeNull();
    expect(replay.data.replayed).toBe(true);
    expect(replay.data.side_effects.find((e: { type: string }) => e.type === 'send_email')).toMatchObject({
      status: 'cancelled', error: 'Its workflow was cancelled before it went out',
    });
    const row = await withDb((db) => db.query(`select status, sent_at from app.email_outbox where id = $1`, [outboxId]));
    expect(row.rows[0]).toMatchObject({ status: 'cancelled', sent_at: null });
  });

  it('answers 409 when an idempotency key is reused for a different request', async () => {
    const executionId = await freshExecution();
    const key = `reuse-${randomUUID()}`;
    const body = { action_key: 'create_task', execution_id: executionId, params: { title: 'Call the CFO', due_date: '2030-01-15T09:00:00Z' }, idempotency_key: key };
    const first = await csm.functions.invoke('execute-action', { body });
    expect(first.error).toBeNull();
    const other = await csm.functions.invoke('execute-action', { body: { ...body, params: { ...body.params, title: 'Call the CEO' } } });
    const context = (other.error as { context: Response }).context;
    expect(context.status).toBe(409);
    const payload = await context.json();
    expect(payload.error).toMatchObject({ code: 'PT409', message: 'this key was used for a different request' });
    const same = await csm.functions.invoke('execute-action', { body });
    expect(same.data.replayed).toBe(true);
    const tasks = await withDb((db) => db.query(`select title from app.workflow_tasks where execution_id = $1 and title like 'Call the C%'`, [executionId]));
    expect(tasks.rows).toEqual([{ title: 'Call the CFO' }]);
  });

  it('refuses to send an approved draft to other recipients and withdraws its approval', async () => {
    const executionId = await freshExecution();
    const artifactId = await approvedDraft(executionId);
    const { error } = await csm.functions.invoke('execute-action', {
      body: { action_key: 'send_email', execution_id: executionId, params: { artifact_id: artifactId, to: ['someone@outside.example'] }, idempotency_key: `override-${randomUUID()}` },
    });
    const context = (error as { context: Response }).context;
    expect(context.status).toBe(409);
    const payload = await context.json();
    expect(payload.error.message).toMatch(/recipients differ from the approved draft/);
    const artifact = await call<{ approved: boolean; metadata: { approval_log: { approved: boolean; reason: string }[] } }>(csm, 'get_artifact', { artifact_id: artifactId });
    expect(artifact.approved).toBe(false);
    expect(artifact.metadata.approval_log.at(-1)).toMatchObject({ approved: false, reason: 'send asked for other recipients' });
    const outbox = await withDb((db) => db.query(`select count(*)::int as n from app.email_outbox where artifact_id = $1`, [artifactId]));
    expect(outbox.rows[0].n).toBe(0);
  });

  it('stores an iCalendar invite with a scheduled meeting', async () => {
    const executionId = await freshExecution();
    const { data, error } = await csm.functions.invoke('execute-action', {
      body: { action_key: 'schedule_meeting', execution_id: executionId, params: { scheduled_at: '2030-02-01T15:00:00Z', duration_minutes: 45, attendees: ['cfo@action.example'] } },
    });
    expect(error).toBeNull();
    expect(data.side_effects).toEqual([expect.objectContaining({ type: 'calendar_invite', status: 'stored' })]);
    const view = await call<{ meetings: { invite_ics: string; invite_status: string; duration_minutes: number }[] }>(csm, 'get_workflow_execution', { execution_id: executionId });
    expect(view.meetings[0]!.invite_status).toBe('stored');
    expect(view.meetings[0]!.invite_ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(view.meetings[0]!.invite_ics).toContain('DTSTART:20300201T150000Z');
    expect(view.meetings[0]!.invite_ics).toContain('DTEND:20300201T154500Z');
    // Long lines are folded (CRLF + space); unfolded, the attendee is there.
    expect(view.meetings[0]!.invite_ics.replace(/\r\n /g, '')).toContain('RSVP=TRUE:mailto:cfo@action.example');
  });

  it('escalating notifies the assignee\'s manager', async () => {
    const executionId = await freshExecution();
    const { data, error } = await csm.functions.invoke('execute-action', {
      body: { action_key: 'escalate', execution_id: executionId, params: { level: 'manager', reason: 'Champion left' } },
    });
    expect(error).toBeNull();
    expect(data.execution.status).toBe('escalated');
    expect(data.side_effects[0]).toMatchObject({ type: 'notify_manager', status: 'delivered' });
    const inbox = await call<{ items: { notification_type: string; data: { execution_id: string } }[] }>(manager, 'list_notifications', { unread_only: true, page_size: 200 });
    expect(inbox.items.some((n) => n.notification_type === 'escalation' && n.data.execution_id === executionId)).toBe(true);
  });

  it('answers a rule violation with the database\'s status and message', async () => {
    const executionId = await freshExecution();
    const { error } = await csm.functions.invoke('execute-action', {
      body: { action_key: 'snooze', execution_id: executionId, params: { days: 31, reason: 'Holiday' } },
    });
    expect(error).not.toBeNull();
    const context = (error as { context: Response }).context;
    expect(context.status).toBe(400);
    const payload = await context.json();
    expect(payload.error.message).toBe('days must be between 1 and 30');
    // Every call is logged, the refused one too (with its error, not applied).
    const log = await withDb((db) => db.query(
      `select success, error_message, result ->> 'error_code' as code from app.action_executions where execution_id = $1 and action_key = 'snooze'`, [executionId]));
    expect(log.rows).toEqual([{ success: false, error_message: 'days must be between 1 and 30', code: '22023' }]);
    const status = await withDb((db) => db.query(`select status from app.workflow_executions where id = $1`, [executionId]));
    expect(status.rows[0].status).toBe('in_progress');
  });

  it('a viewer\'s refused calls leave none of their text in the CSM\'s workflow or the customer timeline', async () => {
    const executionId = await freshExecution();
    const viewer = await signedInAs('viewer');
    const juniorCsm = await signedInAs('juniorCsm');
    const pageBefore = JSON.stringify(await call(csm, 'get_workflow_execution', { execution_id: executionId })).length;
    for (let i = 0; i < 25; i++) {
      const { error } = await viewer.functions.invoke('execute-action', {
        body: { action_key: 'snooze', execution_id: executionId, params: { days: 3, reason: 'V'.repeat(19900) } },
      });
      expect((error as { context: Response }).context.status).toBe(403);
    }
    // another CSM, refused for bad input: an outsider too
    await juniorCsm.functions.invoke('execute-action', {
      body: { action_key: 'snooze', execution_id: executionId, params: { days: 99, reason: 'J'.repeat(1000) } },
    });
    const page = JSON.stringify(await call(csm, 'get_workflow_execution', { execution_id: executionId }));
    expect(page).not.toContain('VVVV');
    expect(page).not.toContain('JJJJ');
    expect(page.length).toBeLessThan(pageBefore + 2000);
    const customerId = await withDb(async (db) => (await db.query(`select customer_id from app.workflow_executions where id = $1`, [executionId])).rows[0].customer_id);
    const timeline = JSON.stringify(await call(csm, 'get_customer_timeline', { customer_id: customerId }));
    expect(timeline).not.toContain('Snooze');
    // the refusals are still audited, without the text
    const audit = await withDb((db) => db.query(
      `select count(*)::int as n, max(length(params::text))::int as longest from app.action_executions where execution_id = $1 and not success`, [executionId]));
    expect(audit.rows[0]).toEqual({ n: 26, longest: 2 });
  });

  it('refuses bad bodies with 422 and changes nothing', async () => {
    const executionId = await freshExecution();
    const before = await withDb((db) => db.query(`select count(*)::int as n from app.action_executions where execution_id = $1`, [executionId]));
    for (const body of [
      { action_key: 'snooze', params: { days: 3, reason: 'x' } },
      { action_key: 'snooze', execution_id: 'not-a-uuid', params: {} },
      { action_key: 'Snooze!', execution_id: executionId },
      { action_key: 'snooze', execution_id: executionId, params: ['days', 3] },
      { action_key: 'snooze', execution_id: executionId, params: { days: 3, reason: 'x' }, idempotency_key: '' },
    ]) {
      const { error } = await csm.functions.invoke('execute-action', { body });
      const context = (error as { context: Response }).context;
      expect(context.status).toBe(422);
      const payload = await context.json();
      expect(payload.error.code).toBe('invalid_body');
      expect(Array.isArray(payload.error.details)).toBe(true);
    }
    const after = await withDb((db) => db.query(`select count(*)::int as n, max(status) as status from app.action_executions a join app.workflow_executions e on e.id = a.execution_id where a.execution_id = $1 group by e.status`, [executionId]));
    expect(after.rows[0]?.n ?? 0).toBe(before.rows[0].n);
    const status = await withDb((db) => db.query(`select status from app.workflow_executions where id = $1`, [executionId]));
    expect(status.rows[0].status).toBe('in_progress');
  });

  it('answers the anon key (a token for nobody) with 401 "Sign in", not the database\'s permission text', async () => {
    const executionId = await freshExecution();
    const response = await fetch(`${stack.url}/functions/v1/execute-action`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${stack.anonKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ action_key: 'snooze', execution_id: executionId, params: { days: 3, reason: 'x' } }),
    });
    expect(response.status).toBe(401);
    const payload = await response.json();
    expect(payload.error.code).toBe('unauthorized');
    expect(JSON.stringify(payload)).not.toMatch(/permission denied/);
    const status = await withDb((db) => db.query(`select status from app.workflow_executions where id = $1`, [executionId]));
    expect(status.rows[0].status).toBe('in_progress');
  });

  it('answers any bearer that is not a signed-in person\'s with 401 too: the service role key, a Storage link\'s token, a publishable key', async () => {
    const executionId = await freshExecution();
    const body = { action_key: 'snooze', execution_id: executionId, params: { days: 3, reason: 'x' } };
    // A Storage signed-URL token: a valid JWT of the project, with no role and no sub.
    const customerId = await withDb(async (db) => (await db.query(`select customer_id from app.workflow_executions where id = $1`, [executionId])).rows[0].customer_id);
    const objectPath = `${me.org_id}/${customerId}/bearer-note.txt`;
    const uploaded = await csm.storage.from('contracts').upload(objectPath, new Blob(['a note'], { type: 'text/plain' }), { upsert: true });
    expect(uploaded.error).toBeNull();
    const signed = await csm.storage.from('contracts').createSignedUrl(objectPath, 60);
    const signedUrlToken = new URL(signed.data!.signedUrl, stack.url).searchParams.get('token')!;
    expect(signedUrlToken.split('.')).toHaveLength(3);

    for (const fn of ['execute-action', 'chat']) {
      for (const [what, token] of [['service role key', stack.serviceRoleKey], ['signed-URL token', signedUrlToken]]) {
        const response = await fetch(`${stack.url}/functions/v1/${fn}`, {
          method: 'POST',
          headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(fn === 'chat' ? { message: 'hello' } : body),
        });
        expect(response.status, `${fn}, ${what}`).toBe(401);
        const payload = await response.json();
        expect(payload.error, `${fn}, ${what}`).toMatchObject({ code: 'unauthorized', message: 'Sign in to use this function.' });
        expect(JSON.stringify(payload)).not.toMatch(/permission denied/);
      }
    }
    // A publishable key is no JWT (the gateway refuses it before any function runs): the
    // function itself refuses it as well, wherever it is reached.
    const publishable = await handleExecuteAction(directRequest('sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH', body), { env: env(), mail: failingMail });
    expect(publishable.status).toBe(401);
    expect((await publishable.json()).error.code).toBe('unauthorized');
    const status = await withDb((db) => db.query(`select status from app.workflow_executions where id = $1`, [executionId]));
    expect(status.rows[0].status).toBe('in_progress');
  });
});
