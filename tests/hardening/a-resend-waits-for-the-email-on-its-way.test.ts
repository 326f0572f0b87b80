// Sending an approved email again (`resend: true`) is for an email that went out, not one
// still on its way: while a copy waits in the outbox (queued or sending), a resend is PT409
// "Cannot send this email again: it is on its way" and queues nothing (migration
// 20261212130000). Before, each resend pressed (or scripted) before the drain ran queued one
// more copy: six sends of one draft put six identical emails to the customer in the outbox.
import type { SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, withDb } from '../support/stack.ts';
import { startedWorkflow } from '../support/fresh-work.ts';

let csm: SupabaseClient;

/** A started workflow of the CSM with an email draft a manager approved. */
async function approvedDraft(): Promise<{ executionId: string; artifactId: string }> {
  const executionId = await startedWorkflow('Resend Co');
  const artifactId = await withDb(async (db) => (await db.query<{ id: string }>(
    `insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by, approved_by, approved_at)
     select e.org_id, e.id, 'email_draft', 'Check-in', $2, e.assigned_to,
            (select p.id from app.profiles p where p.org_id = e.org_id and p.role = 'manager' limit 1), now()
       from app.workflow_executions e where e.id = $1 returning id`,
    [executionId, { to: ['cfo@resend.example'], subject: 'Checking in', body: 'Hello, once.' }])).rows[0]!.id);
  return { executionId, artifactId };
}

const send = (executionId: string, artifactId: string, resend: boolean) =>
  csm.rpc('execute_action', { action_key: 'send_email', execution_id: executionId, params: { artifact_id: artifactId, resend }, idempotency_key: randomUUID() });

const copies = (artifactId: string) => withDb(async (db) =>
  (await db.query<{ n: number }>('select count(*)::int as n from app.email_outbox where artifact_id = $1', [artifactId])).rows[0]!.n);

beforeAll(async () => {
  csm = await signedInAs('csm');
});

describe('a resend of an email on its way', () => {
  it('is PT409 while the first copy is queued, and queues nothing', async () => {
    const { executionId, artifactId } = await approvedDraft();
    expect((await send(executionId, artifactId, false)).error).toBeNull();
    for (let press = 0; press < 3; press++) {
      const again = await send(executionId, artifactId, true);
      expect(again.status).toBe(409);
      expect(again.error).toMatchObject({ code: 'PT409', message: 'Cannot send this email again: it is on its way' });
    }
    expect(await copies(artifactId)).toBe(1);
  });

  it('is PT409 while the copy is being sent', async () => {
    const { executionId, artifactId } = await approvedDraft();
    expect((await send(executionId, artifactId, false)).error).toBeNull();
    await withDb((db) => db.query(`update app.email_outbox set status = 'sending', lease_token = gen_random_uuid(), lease_expires_at = now() + interval '5 minutes' where artifact_id = $1`, [artifactId]));
    expect((await send(executionId, artifactId, true)).error?.code).toBe('PT409');
    expect(await copies(artifactId)).toBe(1);
  });

  it('goes out again once the email was sent', async () => {
    const { executionId, artifactId } = await approvedDraft();
    expect((await send(executionId, artifactId, false)).error).toBeNull();
    await withDb((db) => db.query(`update app.email_outbox set status = 'sent', sent_at = now() where artifact_id = $1`, [artifactId]));
    const again = await send(executionId, artifactId, true);
    expect(again.error).toBeNull();
    expect(await copies(artifactId)).toBe(2);
  });
});
