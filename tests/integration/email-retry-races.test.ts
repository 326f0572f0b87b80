// A failed email retried while its draft is sent again (docs/branches-and-proposals.md "Email:
// retrying a failed message"; migration 20261206323000). retry_outbox_message locked the
// draft, then the send, then wrote the workflow's history; a send (execute_action send_email)
// locks the workflow first (the assignee's workload, then the execution row) and the draft
// after it. A manager retrying the failed send while the CSM sent the draft again (a failed
// send does not count as sent, so no resend is asked for) each held what the other waited
// for: one of them failed with a deadlock (40P01, a 500). The retry now locks the workflow
// before the draft, in the send's order, so the two take turns and the second sees what the
// first did: the email goes out once.
// The race is held open for real: a lock on the failed send pauses the retry after it took
// its first locks, the CSM's send goes through supabase-js meanwhile, then the lock is let go.
// - The drain recording a delivery while someone retries the same email (a stale Sent mail
//   page): complete_outbox_message locked the send, then wrote the draft's sent time; the
//   retry holds the draft and waits for the send. The deadlock's victim was the drain, whose
//   delivered email then stayed `sending` until its lease expired and went out a second time.
//   The drain now locks the draft before the send (migration 20261206325000).
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';

const tag = `ERR${randomUUID().slice(0, 8)}`;
let csm: SupabaseClient;
let managerId: string;
let customerId: string;
let executionId: string;
let artifactId: string;
let failedId: string;
let orgId: string;
let csmId: string;

beforeAll(async () => {
  await withDb(async (db) => {
    const { rows: [people] } = await db.query<{ org_id: string; csm: string; manager: string }>(
      `select c.org_id, c.id as csm, m.id as manager from app.profiles c join app.profiles m on m.id = c.manager_id
        where c.email = 'sam.csm@acme.test'`);
    ({ org_id: orgId, csm: csmId } = people!);
    managerId = people!.manager;
    customerId = (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, $2, 50000, 70, app.organisation_today($1) + 200, $3) returning id`, [orgId, `${tag} Co`, csmId])).rows[0]!.id;
    executionId = (await db.query<{ id: string }>(
      `insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status)
       select $1, $2, w.id, (select v.id from app.workflow_versions v where v.workflow_id = w.id order by v.version desc limit 1), $3, 'in_progress'
         from app.workflows w where w.key = 'risk-intervention' and w.org_id is null
       returning id`, [orgId, customerId, csmId])).rows[0]!.id;
    artifactId = (await db.query<{ id: string }>(
      `insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by, approved_by, approved_at)
       values ($1, $2, 'email_draft', 'Renewal', '{"to": ["cfo@contoso.example"], "subject": "Renewal", "body": "Approved words"}', $3, $4, now())
       returning id`, [orgId, executionId, csmId, managerId])).rows[0]!.id;
    failedId = (await db.query<{ id: string }>(
      `insert into app.email_outbox (org_id, execution_id, artifact_id, requested_by, to_addresses, subject, body_text, status, attempts, last_error)
       values ($1, $2, $3, $4, '{cfo@contoso.example}', 'Renewal', 'Approved words', 'failed', 5, 'SMTP 550') returning id`,
      [orgId, executionId, artifactId, csmId])).rows[0]!.id;
  });
  csm = await signedInAs('csm');
});

afterAll(async () => {
  await withDb(async (db) => {
    // Its mail first: left queued, the scheduled drain would still deliver it to the sink.
    await db.query('delete from app.email_outbox where execution_id = $1', [executionId]);
    await db.query('delete from app.customers where id = $1', [customerId]);
  });
});

describe('a failed email retried while the CSM sends its draft again', () => {
  it('takes turns with the send instead of deadlocking, and the email goes out once', async () => {
    const holder = await transactionAs(null);
    const manager = await transactionAs(managerId);
    try {
      await holder.query('select 1 from app.email_outbox where id = $1 for update', [failedId]);
      const retried = manager.query('select public.retry_outbox_message($1)', [failedId])
        .then(() => null, (error: { code?: string }) => error.code ?? 'error');
      expect(await stillWaiting(retried)).toBe(true);
      const { call, answer } = sent(csm.rpc('execute_action', {
        action_key: 'send_email', execution_id: executionId, params: { artifact_id: artifactId },
      }));
      expect(await stillWaiting(call)).toBe(true);
      await holder.query('rollback');
      // Whichever goes first, the other is refused in the house words (either way "it is on
      // its way", app.refuse_email_on_its_way), never with a deadlock.
      const retryCode = await retried;
      await manager.query(retryCode === null ? 'commit' : 'rollback');
      const sendCode = (await answer).code;
      expect([retryCode, sendCode].sort()).toEqual([null, 'PT409'].sort());
    } finally {
      await release(holder);
      await release(manager);
    }
    const onItsWay = await withDb((db) => db.query(
      `select count(*)::int as n from app.email_outbox where artifact_id = $1 and status in ('queued', 'sending', 'sent', 'delivered_to_sink')`,
      [artifactId]));
    expect(onItsWay.rows).toEqual([{ n: 1 }]);
  });
});

describe('the drain recording a delivery while someone retries the same email', () => {
  it('takes turns with the retry, so the delivery is recorded and the email is not sent again', async () => {
    const { outboxId, token } = await withDb(async (db) => {
      const { rows: [a] } = await db.query<{ id: string }>(
        `insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by, approved_by, approved_at)
         values ($1, $2, 'email_draft', 'Follow-up', '{"to": ["cfo@contoso.example"], "subject": "Follow-up", "body": "Approved words"}', $3, $4, now())
         returning id`, [orgId, executionId, csmId, managerId]);
      // Claimed by the drain: being sent, under its lease.
      const { rows: [o] } = await db.query<{ id: string; lease_token: string }>(
        `insert into app.email_outbox (org_id, execution_id, artifact_id, requested_by, to_addresses, subject, body_text,
                                       status, attempts, lease_token, lease_expires_at)
         values ($1, $2, $3, $4, '{cfo@contoso.example}', 'Follow-up', 'Approved words', 'sending', 1, gen_random_uuid(), now() + interval '5 minutes')
         returning id, lease_token`, [orgId, executionId, a!.id, csmId]);
      return { outboxId: o!.id, token: o!.lease_token };
    });
    const holder = await transactionAs(null);
    const drain = await transactionAs('service_role');
    try {
      await holder.query('select 1 from app.email_outbox where id = $1 for update', [outboxId]);
      const recorded = drain.query(`select public.complete_outbox_message($1, $2, 'delivered_to_sink') -> 'outbox' ->> 'status' as status`,
        [outboxId, token]).then((r) => r.rows[0]!.status as string, (error: { code?: string }) => `error ${error.code}`);
      expect(await stillWaiting(recorded)).toBe(true);
      const manager = await signedInAs('manager');
      const { call, answer } = sent(manager.rpc('retry_outbox_message', { outbox_id: outboxId }));
      expect(await stillWaiting(call)).toBe(true);
      await holder.query('rollback');
      const status = await recorded;
      await drain.query(status.startsWith('error') ? 'rollback' : 'commit');
      expect(status).toBe('delivered_to_sink');
      expect((await answer).code).toBe('PT409');
    } finally {
      await release(holder);
      await release(drain);
    }
    const row = await withDb((db) => db.query('select status from app.email_outbox where id = $1', [outboxId]));
    expect(row.rows).toEqual([{ status: 'delivered_to_sink' }]);
  });
});
