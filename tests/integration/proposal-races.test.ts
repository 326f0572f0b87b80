// A proposal racing its workflow's escalation or close (docs/escalation-loop.md "What the
// hold blocks"). propose_action locks the workflow as its other writers do (the assignee's
// workload, then the execution row; migration 20261206231000) and asks its state on the
// locked row. Each race is held open for real: one transaction, on a direct connection,
// does its part and waits uncommitted while the CSM's proposal goes through supabase-js;
// the proposal must wait, then answer for the workflow as committed.
// - An escalation in flight: once it commits the proposal is refused (PT409: nobody can
//   approve an action on a workflow on hold) and nothing is stored.
// - A cancellation in flight (the workflow closes): once it commits the proposal is refused.
// - Rolled back instead, the escalation leaves the workflow open and the proposal, having
//   waited for it, is stored.
// - A proposal approved while its workflow is being cancelled: decide_proposal read the
//   workflow's status without waiting, took the cancellation in flight for open, and ran
//   the action, which waited and then answered its own refusal ("Cannot run "Snooze" on
//   this workflow: it is cancelled") instead of the proposal's ("This proposal expired: its
//   workflow is cancelled", migration 20261208202000). The decision now takes the
//   workflow's locks before it asks the status (migration 20261208801000).
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let csm: SupabaseClient;
/** The open renewal execution of each customer, by name. */
const workflow: Record<string, string> = {};

beforeAll(async () => {
  fixture = await createFixtureOrg('proposal-races');
  await withDb(async (db) => {
    for (const name of ['Escalating', 'Cancelling', 'Withdrawn', 'Approving']) {
      await db.query(
        `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
         values ($1, $2, 100000, 80, app.organisation_today($1) + 40, $3)`, [fixture.orgId, name, fixture.csmId]);
    }
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    const { rows } = await db.query<{ name: string; execution_id: string }>(
      `select c.name, e.id as execution_id
         from app.customers c join app.workflow_executions e on e.customer_id = c.id
        where c.org_id = $1 and e.renewal_stage is not null and e.status = 'queued'`, [fixture.orgId]);
    for (const r of rows) workflow[r.name] = r.execution_id;
  });
  expect(Object.keys(workflow).sort()).toEqual(['Approving', 'Cancelling', 'Escalating', 'Withdrawn']);
  csm = await fixture.signIn();
});

afterAll(async () => {
  await fixture?.remove();
});

/** The CSM's proposal to snooze, sent now through supabase-js: the call, and its answer's error code and message. */
function propose(executionId: string) {
  return sent(csm.rpc('propose_action', {
    action_key: 'snooze', rationale: 'They asked us to come back after their board meeting', params: { days: 3, reason: 'Board meeting' },
    execution_id: executionId, source: 'agent',
  }));
}

async function proposalsOn(executionId: string): Promise<number> {
  return withDb(async (db) => {
    const { rows: [r] } = await db.query<{ n: number }>('select count(*)::int as n from app.action_proposals where execution_id = $1', [executionId]);
    return r!.n;
  });
}

/** Holds `work` uncommitted on a direct connection while a proposal is made; then `end`s it. */
async function raceAProposal(executionId: string, work: string, params: unknown[], end: 'commit' | 'rollback') {
  const holding = await transactionAs(fixture.csmId);
  try {
    await holding.query(work, params);
    const { call, answer } = propose(executionId);
    const waited = await stillWaiting(call);
    await holding.query(end);
    return { waited, ...(await answer) };
  } finally {
    await release(holding);
  }
}

describe('a proposal racing its workflow', () => {
  it('waits for an escalation in flight, then is refused and stores nothing', async () => {
    const executionId = workflow.Escalating!;
    const { waited, code, message } = await raceAProposal(executionId,
      `select public.execute_action('escalate', $1, '{"reason": "Procurement blocks the renewal"}')`, [executionId], 'commit');
    expect(waited).toBe(true);
    expect(code).toBe('PT409');
    expect(message).toBe('Cannot propose an action on this workflow: it is escalated and on hold');
    expect(await proposalsOn(executionId)).toBe(0);
  });

  it('waits for a cancellation in flight, then is refused on the closed workflow', async () => {
    const executionId = workflow.Cancelling!;
    const { waited, code, message } = await raceAProposal(executionId,
      'select public.cancel_workflow($1, $2)', [executionId, 'Renewal handled by the partner'], 'commit');
    expect(waited).toBe(true);
    expect(code).toBe('PT409');
    expect(message).toBe('Cannot propose an action on this workflow: it is cancelled');
    expect(await proposalsOn(executionId)).toBe(0);
  });

  it('goes through once an escalation in flight is rolled back', async () => {
    const executionId = workflow.Withdrawn!;
    const { waited, code, data } = await raceAProposal(executionId,
      `select public.execute_action('escalate', $1, '{"reason": "Second thoughts"}')`, [executionId], 'rollback');
    expect(waited).toBe(true);
    expect(code).toBeNull();
    expect(data).toMatchObject({ action_key: 'snooze', status: 'proposed', duplicate: false });
    expect(await proposalsOn(executionId)).toBe(1);
  });
});

describe('a proposal decided while its workflow closes', () => {
  it('an approval waits for the cancellation in flight, then says the proposal expired and runs nothing', async () => {
    const executionId = workflow.Approving!;
    const made = await propose(executionId).answer;
    expect(made.code).toBeNull();
    const proposalId = (made.data as { id: string }).id;
    const holding = await transactionAs(fixture.csmId);
    try {
      await holding.query('select public.cancel_workflow($1, $2)', [executionId, 'Signed early through procurement']);
      const { call, answer } = sent(csm.rpc('decide_proposal', { proposal_id: proposalId, approve: true }));
      expect(await stillWaiting(call)).toBe(true);
      await holding.query('commit');
      const { code, message } = await answer;
      expect({ code, message }).toEqual({ code: 'PT409', message: 'This proposal expired: its workflow is cancelled' });
    } finally {
      await release(holding);
    }
    const left = await withDb((db) => db.query(
      `select p.status, (select count(*)::int from app.action_executions a where a.execution_id = p.execution_id) as actions
         from app.action_proposals p where p.id = $1`, [proposalId]));
    expect(left.rows).toEqual([{ status: 'proposed', actions: 0 }]);
  });
});
