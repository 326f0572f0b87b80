// An email goes out as approved even when two people act on it at once
// (docs/business-rules.md "Email is sent once"). Each race is held open for real: one
// transaction does its part and waits uncommitted while a second, on another connection,
// tries the conflicting change; the second must wait for the first and then refuse (PT409)
// rather than let old or withdrawn words go out.
// - A retry of a failed send against an edit of its draft: the retry locks the draft first,
//   so the edit waits, then sees the email on its way and is refused.
// - The drain claiming a queued send against a withdrawal of its approval: the withdrawal's
//   cancel waits for the claim, then sees the email being delivered and is refused, so the
//   approval it went out with stays.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { stillWaiting, transactionAs } from '../support/held-transactions.ts';

const tag = `ER${randomUUID().slice(0, 8)}`;
let orgId: string;
let csmId: string;
let managerId: string;
let customerId: string;
let executionId: string;

beforeAll(async () => {
  await withDb(async (db) => {
    const { rows: [people] } = await db.query<{ org_id: string; csm: string; manager: string }>(
      `select c.org_id, c.id as csm, m.id as manager from app.profiles c join app.profiles m on m.id = c.manager_id
        where c.email = 'sam.csm@acme.test'`);
    ({ org_id: orgId, csm: csmId, manager: managerId } = people!);
    const { rows: [customer] } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, $2, 50000, 70, app.organisation_today($1) + 200, $3) returning id`, [orgId, `${tag} Co`, csmId]);
    customerId = customer!.id;
    const { rows: [execution] } = await db.query<{ id: string }>(
      `insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status)
       select $1, $2, w.id, (select v.id from app.workflow_versions v where v.workflow_id = w.id order by v.version desc limit 1), $3, 'in_progress'
         from app.workflows w where w.key = 'risk-intervention' and w.org_id is null
       returning id`, [orgId, customerId, csmId]);
    executionId = execution!.id;
  });
});

afterAll(async () => {
  await withDb((db) => db.query('delete from app.customers where id = $1', [customerId]));
});

/** An approved draft written by the CSM, and a send of it in the given state. */
async function draftWithSend(status: 'failed' | 'queued'): Promise<{ artifactId: string; outboxId: string }> {
  return withDb(async (db) => {
    const { rows: [artifact] } = await db.query<{ id: string }>(
      `insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by, approved_by, approved_at)
       values ($1, $2, 'email_draft', 'Renewal', '{"to": ["cfo@contoso.example"], "subject": "Renewal", "body": "Approved words"}', $3, $4, now())
       returning id`, [orgId, executionId, csmId, managerId]);
    const { rows: [outbox] } = await db.query<{ id: string }>(
      `insert into app.email_outbox (org_id, execution_id, artifact_id, requested_by, to_addresses, subject, body_text, status, attempts, last_error)
       values ($1, $2, $3, $4, '{cfo@contoso.example}', 'Renewal', 'Approved words', $5, $6, $7) returning id`,
      [orgId, executionId, artifact!.id, csmId, status, status === 'failed' ? 5 : 0, status === 'failed' ? 'SMTP 550' : null]);
    return { artifactId: artifact!.id, outboxId: outbox!.id };
  });
}

describe('an email racing a change of its draft', () => {
  it('a retry holding the draft makes an edit wait, and the edit is then refused', async () => {
    const { artifactId, outboxId } = await draftWithSend('failed');
    const retrying = await transactionAs(managerId);
    const editing = await transactionAs(csmId);
    try {
      await retrying.query('select public.retry_outbox_message($1)', [outboxId]);
      const edit = editing.query(`select public.update_artifact($1, '{"content": {"to": ["ceo@competitor.example"], "subject": "Other", "body": "New words"}}', 1)`, [artifactId]);
      const refused = edit.then(() => null, (error: { code?: string }) => error.code);
      expect(await stillWaiting(edit)).toBe(true);
      await retrying.query('commit');
      expect(await refused).toBe('PT409');
    } finally {
      await editing.query('rollback').catch(() => undefined);
      await Promise.all([retrying.end(), editing.end()]);
    }
    const after = await withDb((db) => db.query<{ status: string; body: string }>(
      `select o.status, a.content ->> 'body' as body from app.email_outbox o join app.workflow_task_artifacts a on a.id = o.artifact_id where o.id = $1`, [outboxId]));
    expect(after.rows[0]).toEqual({ status: 'queued', body: 'Approved words' });
  });

  it('a claim by the drain makes a withdrawal wait, and the withdrawal is then refused', async () => {
    const { artifactId, outboxId } = await draftWithSend('queued');
    const claiming = await transactionAs('service_role');
    const withdrawing = await transactionAs(managerId);
    try {
      const { rows: [claim] } = await claiming.query<{ r: { claimed: boolean } }>('select public.claim_outbox_message($1) as r', [outboxId]);
      expect(claim!.r.claimed).toBe(true);
      const withdrawal = withdrawing.query('select public.approve_artifact($1, false)', [artifactId]);
      const refused = withdrawal.then(() => null, (error: { code?: string }) => error.code);
      expect(await stillWaiting(withdrawal)).toBe(true);
      await claiming.query('commit');
      expect(await refused).toBe('PT409');
    } finally {
      await withdrawing.query('rollback').catch(() => undefined);
      await Promise.all([claiming.end(), withdrawing.end()]);
    }
    const after = await withDb((db) => db.query<{ status: string; approved: boolean }>(
      `select o.status, a.approved_by is not null as approved from app.email_outbox o join app.workflow_task_artifacts a on a.id = o.artifact_id where o.id = $1`, [outboxId]));
    expect(after.rows[0]).toEqual({ status: 'sending', approved: true });
  });
});
