// A message sent to a chat while its workflow is being finished (migration 20261212900000;
// docs/workflow-engine.md "Lock order"). post_chat_message read the workflow's status without
// a lock, so a finish not yet committed let the message through: stored with a pending reply
// in a workflow that was finished when the model answered. The status is now read `for share`,
// which waits for the finishing transaction's row lock and then sees what it committed.
// The race is held open for real: a direct transaction finishes the workflow and waits
// uncommitted while the message goes through supabase-js.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

const STEP = 'review-proposal-status';

let fixture: FixtureOrg;
let csm: SupabaseClient;
let executionId: string;

beforeAll(async () => {
  fixture = await createFixtureOrg('chat-finish-race');
  executionId = await withDb(async (db) => {
    await db.query(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, 'Closing soon', 100000, 80, app.organisation_today($1) + 40, $2)`, [fixture.orgId, fixture.csmId]);
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    const { rows: [e] } = await db.query<{ id: string }>(
      `select e.id from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
        where e.org_id = $1 and w.key = 'finalize' and e.status = 'queued'`, [fixture.orgId]);
    return e!.id;
  });
  csm = await fixture.signIn();
  const started = await csm.rpc('start_workflow', { execution_id: executionId });
  expect(started.error).toBeNull();
});

afterAll(async () => {
  await fixture?.remove();
});

async function openThread(): Promise<string> {
  const thread = await csm.rpc('create_chat_thread', { execution_id: executionId, step_key: STEP, branch_key: 'summarise' });
  expect(thread.error).toBeNull();
  return (thread.data as { id: string }).id;
}

async function messagesIn(threadId: string): Promise<number> {
  return withDb(async (db) => Number((await db.query<{ n: string }>(
    'select count(*) as n from app.workflow_chat_messages where thread_id = $1', [threadId])).rows[0]!.n));
}

describe('a message sent while its workflow is being finished', () => {
  it('waits for the finish and is refused, with nothing stored', async () => {
    const threadId = await openThread();
    const before = await messagesIn(threadId);
    const finisher = await transactionAs(fixture.csmId);
    try {
      // The CSM's other tab finishes the workflow, skipping its remaining steps, and has not committed yet.
      await finisher.query(`select public.complete_workflow($1, skip_remaining => true, reason => 'Signed on the call')`, [executionId]);
      const { call, answer } = sent(csm.rpc('post_chat_message', { thread_id: threadId, content: 'Draft the renewal note', client_message_id: randomUUID() }));
      expect(await stillWaiting(call)).toBe(true);
      await finisher.query('commit');
      const posted = await answer;
      expect(posted.code).toBe('PT409');
      // Finishing with the remaining steps skipped leaves the workflow 'skipped'.
      expect(posted.message).toBe('Cannot chat in this workflow: it is skipped');
    } finally {
      await release(finisher);
    }
    expect(await messagesIn(threadId)).toBe(before);
  });
});
