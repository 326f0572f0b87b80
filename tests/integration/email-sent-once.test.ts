// An email is sent once (docs/business-rules.md "Email is sent once"), proven against a real SMTP server
// (tests/support/smtp-sink.ts) that counts what it accepted: 20 concurrent replays of one
// send, a retry while a slow server is still taking the message, and the outbox drain
// delivering what a failed attempt left queued. The execute-action and outbox-drain
// handlers run here with the SMTP transport pointed at the sink, against the real stack.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleOutboxDrain } from '../../functions-shared/actions/drain.ts';
import { handleExecuteAction } from '../../functions-shared/actions/handler.ts';
import { smtpTransport, type MailTransport } from '../../functions-shared/actions/mail.ts';
import { envFrom } from '../../functions-shared/http.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { serviceClient, signedInAs, stack, withDb } from '../support/stack.ts';

let csm: SupabaseClient;
let me: { id: string; org_id: string };
let token: string;
const sinks: SmtpSink[] = [];

const env = () =>
  envFrom({ SUPABASE_URL: stack.url, SUPABASE_ANON_KEY: stack.anonKey, SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey });

async function sink(delayBeforeAcceptMs = 0): Promise<{ sink: SmtpSink; mail: MailTransport }> {
  const s = await startSmtpSink({ delayBeforeAcceptMs });
  sinks.push(s);
  return { sink: s, mail: smtpTransport({ host: '127.0.0.1', port: s.port, secure: 'none', from: 'renubu@test', timeoutMs: 10_000, heloName: 'test' }) };
}

/** A fresh started workflow of the CSM with an email draft a colleague approved. */
async function approvedDraft(): Promise<{ executionId: string; artifactId: string }> {
  return withDb(async (db) => {
    const customer = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 90000, 45, $3) returning id`,
      [me.org_id, `Once Co ${randomUUID().slice(0, 8)}`, me.id]);
    const opened = await csm.rpc('create_workflow_execution', { customer_id: customer.rows[0]!.id, workflow_key: 'risk-intervention' });
    if (opened.error) throw new Error(opened.error.message);
    await csm.rpc('start_workflow', { execution_id: opened.data.id });
    const approver = await db.query<{ id: string }>(`select id from app.profiles where org_id = $1 and id <> $2 and role in ('manager', 'admin') limit 1`, [me.org_id, me.id]);
    const art = await db.query<{ id: string }>(
      `insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by, approved_by, approved_at)
       values ($1, $2, 'email_draft', 'Check-in', $3, $4, $5, now()) returning id`,
      [me.org_id, opened.data.id, { to: ['cfo@once.example'], subject: 'Checking in', body: 'Hello, once.' }, me.id, approver.rows[0]!.id]);
    return { executionId: opened.data.id as string, artifactId: art.rows[0]!.id };
  });
}

function request(body: unknown, bearer = token, path = 'execute-action'): Request {
  return new Request(`http://localhost/functions/v1/${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

type Effect = { type: string; status: string; attempts: number; outbox_id?: string };
const emailEffect = (answer: { side_effects: Effect[] }) => answer.side_effects.find((e) => e.type === 'send_email')!;

async function outboxRow(outboxId: string) {
  const { rows } = await withDb((db) => db.query(`select status, attempts, lease_expires_at, sent_at from app.email_outbox where id = $1`, [outboxId]));
  return rows[0] as { status: string; attempts: number; lease_expires_at: Date | null; sent_at: Date | null };
}

beforeAll(async () => {
  csm = await signedInAs('csm');
  const profile = await csm.rpc('get_my_profile');
  me = profile.data;
  token = (await csm.auth.getSession()).data.session!.access_token;
});

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

describe('an email is sent once', () => {
  it('20 concurrent replays of one send deliver one email', async () => {
    const { sink: server, mail } = await sink();
    const { executionId, artifactId } = await approvedDraft();
    const body = { action_key: 'send_email', execution_id: executionId, params: { artifact_id: artifactId }, idempotency_key: `once-${randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 20 }, () => handleExecuteAction(request(body), { env: env(), mail })));
    const payloads = await Promise.all(answers.map((a) => a.json()));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(payloads.map((p) => p.action_execution_id)).size).toBe(1);
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]!.to).toEqual(['cfo@once.example']);
    // Every answer tells the truth about the one send: sent, in flight, or being claimed
    // by another call at that very moment (still pending).
    for (const p of payloads) expect(['pending', 'sending', 'sent']).toContain(emailEffect(p).status);
    expect(payloads.filter((p) => emailEffect(p).status === 'sent').length).toBeGreaterThanOrEqual(1);
    const outboxId = payloads[0].result.outbox_id as string;
    expect(await outboxRow(outboxId)).toMatchObject({ status: 'sent', attempts: 1 });
    // The draft is marked sent, with the outbox row that delivered it.
    const artifact = await csm.rpc('get_artifact', { artifact_id: artifactId });
    expect(artifact.data.sent_outbox_id).toBe(outboxId);
    // A late replay changes nothing.
    const late = await (await handleExecuteAction(request(body), { env: env(), mail })).json();
    expect(emailEffect(late)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(server.messages).toHaveLength(1);
  });

  it('a retry while a slow server (2 s) is taking the message sends nothing more', async () => {
    const { sink: server, mail } = await sink(2000);
    const { executionId, artifactId } = await approvedDraft();
    const body = { action_key: 'send_email', execution_id: executionId, params: { artifact_id: artifactId }, idempotency_key: `slow-${randomUUID()}` };
    const first = handleExecuteAction(request(body), { env: env(), mail });
    await new Promise((r) => setTimeout(r, 20));
    const retries: Promise<Response>[] = [];
    retries.push(handleExecuteAction(request(body), { env: env(), mail }));
    await new Promise((r) => setTimeout(r, 800));
    retries.push(...Array.from({ length: 5 }, () => handleExecuteAction(request(body), { env: env(), mail })));
    const answers = await Promise.all([first, ...retries].map(async (r) => (await r).json()));
    // Whoever claimed the send waited for the server and reports it sent; every other
    // call answered at once with the send in flight, and sent nothing.
    const statuses = answers.map((a) => emailEffect(a).status);
    expect(statuses.filter((s) => s === 'sent')).toHaveLength(1);
    for (const s of statuses.filter((s) => s !== 'sent')) expect(['pending', 'sending']).toContain(s);
    expect(answers.filter((a) => a.replayed === false)).toHaveLength(1);
    expect(await outboxRow(answers[0].result.outbox_id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(server.messages).toHaveLength(1);
  });

  it('the drain delivers what a failed attempt left queued, once, and only for the service role', async () => {
    const down = await sink();
    await down.sink.close(); // nothing listens on this port any more
    const { sink: server, mail } = await sink();
    const { executionId, artifactId } = await approvedDraft();
    const body = { action_key: 'send_email', execution_id: executionId, params: { artifact_id: artifactId }, idempotency_key: `drain-${randomUUID()}` };
    const failed = await (await handleExecuteAction(request(body), { env: env(), mail: down.mail })).json();
    expect(emailEffect(failed)).toMatchObject({ status: 'retrying', attempts: 1 });
    const outboxId = failed.result.outbox_id as string;
    const row = await outboxRow(outboxId);
    expect(row.status).toBe('queued');

    // Not due yet (1 minute backoff): a replay now does not send it.
    const early = await (await handleExecuteAction(request(body), { env: env(), mail })).json();
    expect(emailEffect(early).status).toBe('retrying');
    expect(server.messages).toHaveLength(0);

    // A user cannot drain the outbox.
    const refused = await handleOutboxDrain(request({}, token, 'outbox-drain'), { env: env(), mail });
    expect(refused.status).toBe(403);

    // Once due, two drains at the same time deliver it once.
    await withDb((db) => db.query(`update app.email_outbox set next_attempt_at = now() - interval '1 second' where id = $1`, [outboxId]));
    const drains = await Promise.all([1, 2].map(() => handleOutboxDrain(request({ max_messages: 100 }, stack.serviceRoleKey, 'outbox-drain'), { env: env(), mail })));
    const results = await Promise.all(drains.map((d) => d.json()));
    expect(drains.map((d) => d.status)).toEqual([200, 200]);
    const ours = results.flatMap((r) => r.messages).filter((m: { id: string }) => m.id === outboxId);
    expect(ours).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
    expect(server.messages.filter((m) => m.messageId === `${outboxId}@renubu`)).toHaveLength(1);
    const replay = await (await handleExecuteAction(request(body), { env: env(), mail })).json();
    expect(emailEffect(replay)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('the outbox-drain function answers the service role and refuses users', async () => {
    const service = serviceClient();
    const ok = await service.functions.invoke('outbox-drain', { body: { max_messages: 5 } });
    expect(ok.error).toBeNull();
    expect(ok.data).toMatchObject({ claimed: expect.any(Number), sent: expect.any(Number) });
    const denied = await csm.functions.invoke('outbox-drain', { body: {} });
    const context = (denied.error as { context: Response }).context;
    expect(context.status).toBe(403);
    // In house words, not the database's "permission denied for function claim_due_outbox_messages".
    const refusal = await context.json();
    expect(refusal.error).toMatchObject({ code: '42501', message: 'Only the scheduler may call this function.' });
    expect(JSON.stringify(refusal)).not.toMatch(/permission denied|claim_due_outbox_messages/);
    // A token for nobody (the anon key) is 401.
    const nobody = await fetch(`${stack.url}/functions/v1/outbox-drain`, {
      method: 'POST', headers: { apikey: stack.anonKey, Authorization: `Bearer ${stack.anonKey}`, 'Content-Type': 'application/json' }, body: '{}',
    });
    expect(nobody.status).toBe(401);
    expect((await nobody.json()).error.code).toBe('unauthorized');
  });
});
