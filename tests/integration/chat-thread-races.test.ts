// Completing a step's chat while another tab routes the same step (docs/branches-and-proposals.md;
// migration 20261206322000). complete_chat_thread locked the step's row and only then the
// workflow (the assignee's workload, then the execution row, inside complete_step), while
// choose_chat_branch and complete_step take the workflow first and the step's row after it:
// each held what the other waited for, and one of them failed with a deadlock (40P01, a 500).
// The chat's completion now locks the workflow before the step, as every step writer does, so
// the two take turns: the branch routes, and the chat completes on the step it finished.
// The race is held open for real: a lock on the execution row pauses the branch after it took
// the workload lock, the completion goes through supabase-js meanwhile, then the row is let go.
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
  fixture = await createFixtureOrg('thread-races');
  executionId = await withDb(async (db) => {
    await db.query(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, 'Finalising', 100000, 80, app.organisation_today($1) + 40, $2)`, [fixture.orgId, fixture.csmId]);
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

describe('a chat completed while another tab routes its step', () => {
  it('waits for the route instead of deadlocking with it, and both succeed', async () => {
    const thread = await csm.rpc('create_chat_thread', { execution_id: executionId, step_key: STEP, branch_key: 'summarise' });
    expect(thread.error).toBeNull();
    const threadId = (thread.data as { id: string }).id;

    const rowHolder = await transactionAs(null);
    const otherTab = await transactionAs(fixture.csmId);
    try {
      await rowHolder.query('select 1 from app.workflow_executions where id = $1 for no key update', [executionId]);
      // The other tab chooses a fixed answer: it takes the workload lock, then waits for the row.
      const routed = otherTab.query(`select public.choose_chat_branch($1, $2, 'nothing-open') -> 'route' ->> 'to' as target`,
        [executionId, STEP]).then((r) => r.rows[0]!.target as string, (error: { code?: string }) => `error ${error.code}`);
      expect(await stillWaiting(routed)).toBe(true);
      const { call, answer } = sent(csm.rpc('complete_chat_thread', { thread_id: threadId }));
      expect(await stillWaiting(call)).toBe(true);
      await rowHolder.query('rollback');
      expect(await routed).toBe('draft-final-proposal');
      await otherTab.query('commit');
      const completed = await answer;
      expect(completed.code).toBeNull();
      expect(completed.data).toMatchObject({ thread: { status: 'completed' }, step: { key: STEP, status: 'completed' } });
    } finally {
      await release(rowHolder);
      await release(otherTab);
    }
    const execution = await withDb((db) => db.query(
      'select current_step_key from app.workflow_executions where id = $1', [executionId]));
    expect(execution.rows).toEqual([{ current_step_key: 'draft-final-proposal' }]);
  });
});
