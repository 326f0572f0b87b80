// A keyed call sent twice at once: the retry of a press whose answer is late (a timeout, a
// dropped connection) reaches the server while the first is still in flight. The calls that
// take an idempotency key (docs/api-contract.md; migrations 20261207706000, 20261208100000)
// looked the key up before their locks and again once the workflow or task was locked, so
// the retry waited for the first and then answered what it answered. Not when the first
// handed the work to someone else (a manager's reassignment, an escalation decided by
// reassigning, a task given to a colleague): the retry read the workflow or task before it
// waited, and the locked row, asked again, had another assignee, so it was refused ("This
// workflow was reassigned while you were acting", PT409; "You may not reassign this task",
// 42501) for the person's own first press. The key itself is now taken first, per person
// (app.lock_request_key, migration 20261208800000): a retry waits for the first call under
// it before reading anything, then replays its answer. Each race is held open for real: the
// first call on a direct connection waits uncommitted while the retry goes through
// supabase-js.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

let fixture: AdminFixtureOrg;
let admin: SupabaseClient;
let csm: SupabaseClient;
/** A second CSM, who work is handed to. */
let coraId: string;

beforeAll(async () => {
  fixture = await createAdminFixtureOrg('answered-races');
  coraId = await withDb(async (db) => {
    const email = `cora-${fixture.orgId}@answered-races.test`;
    const { rows: [p] } = await db.query<{ id: string }>(
      `with u as (
         insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $2, '{}', '{}', now(), now())
         returning id)
       insert into app.profiles (id, org_id, role, full_name, email, experience_level)
       select u.id, $1, 'csm', 'Cora', $2, 'senior' from u returning id`, [fixture.orgId, email]);
    return p!.id;
  });
  admin = await fixture.signIn('admin');
  csm = await fixture.signIn('csm');
});

afterAll(async () => {
  await withDb((db) => db.query('delete from app.workflow_tasks where org_id = $1', [fixture.orgId]));
  await fixture?.remove();
  await withDb((db) => db.query('delete from auth.users where id = $1', [coraId]));
});

/** A customer of the fixture's CSM and its open renewal, started by the CSM. */
async function startedRenewal(name: string): Promise<string> {
  return withDb(async (db) => {
    const { rows: [c] } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, $2, 100000, 80, app.organisation_today($1) + 40, $3) returning id`, [fixture.orgId, name, fixture.csmId]);
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    const { rows: [e] } = await db.query<{ id: string }>(
      `select id from app.workflow_executions where customer_id = $1 and status = 'queued'`, [c!.id]);
    return e!.id;
  });
}

/** `sql` run and committed as `who`, its first row's `answer`. */
async function committedAs(who: string, sql: string, params: unknown[]): Promise<unknown> {
  const tx = await transactionAs(who);
  try {
    const { rows: [r] } = await tx.query(sql, params);
    await tx.query('commit');
    return r?.answer;
  } finally {
    await release(tx);
  }
}

/** The first call held uncommitted as `who` while the same call under the same key is sent through `client`. */
async function sentTwiceAtOnce(who: string, sql: string, params: unknown[],
                               retry: () => PromiseLike<{ data: unknown; error: { code?: string; message: string } | null }>) {
  const first = await transactionAs(who);
  try {
    const { rows: [made] } = await first.query(sql, params);
    const { call, answer } = sent(retry());
    const waited = await stillWaiting(call);
    await first.query('commit');
    const again = await answer;
    return { waited, first: made!.answer, again: { code: again.code, message: again.message, data: again.data } };
  } finally {
    await release(first);
  }
}

describe('a keyed call sent again while the first is in flight', () => {
  it('an escalation decided by reassigning it: the retry answers the decision, made once', async () => {
    const executionId = await startedRenewal('Escalated twice');
    await committedAs(fixture.csmId, `select public.start_workflow($1) as answer`, [executionId]);
    await committedAs(fixture.csmId, `select public.execute_action('escalate', $1, '{"reason": "They ask for 30% off"}') as answer`, [executionId]);
    const key = crypto.randomUUID();
    const note = 'Cora knows their CFO';
    const { waited, first, again } = await sentTwiceAtOnce(fixture.adminId,
      `select public.resolve_escalation($1, 'reassign', $2, $3, $4) as answer`, [executionId, note, coraId, key],
      () => admin.rpc('resolve_escalation', { execution_id: executionId, decision: 'reassign', note, assignee_id: coraId, idempotency_key: key }));
    expect(waited).toBe(true);
    expect(again).toEqual({ code: null, message: null, data: first });
    const told = await withDb((db) => db.query<{ n: number }>(
      `select count(*)::int as n from app.notifications where user_id = $1 and data ->> 'execution_id' = $2`, [coraId, executionId]));
    expect(told.rows[0]!.n).toBe(1);
  });

  it('a workflow reassigned: the retry answers the workflow with its new assignee, reassigned once', async () => {
    const executionId = await startedRenewal('Reassigned twice');
    const key = crypto.randomUUID();
    const reason = 'Cora covers this region now';
    const { waited, first, again } = await sentTwiceAtOnce(fixture.adminId,
      `select public.reassign_workflow($1, $2, $3, $4) as answer`, [executionId, coraId, reason, key],
      () => admin.rpc('reassign_workflow', { execution_id: executionId, assignee_id: coraId, reason, idempotency_key: key }));
    expect(waited).toBe(true);
    expect(again).toEqual({ code: null, message: null, data: first });
    const history = await withDb((db) => db.query<{ n: number }>(
      `select count(*)::int as n from app.workflow_executions x, jsonb_array_elements(x.metadata -> 'history') h
        where x.id = $1 and h ->> 'event' = 'reassigned'`, [executionId]));
    expect(history.rows[0]!.n).toBe(1);
  });

  it('a task given to a colleague: the retry answers the task as given, given once', async () => {
    const customerId = await fixture.customer('Task handed twice');
    const { rows: [task] } = await withDb((db) => db.query<{ id: string }>(
      `insert into app.workflow_tasks (org_id, customer_id, title, assigned_to, created_by)
       values ($1, $2, 'Send the signed order form', $3, $3) returning id`, [fixture.orgId, customerId, fixture.csmId]));
    const key = crypto.randomUUID();
    const params = { assignee_id: coraId, reason: 'Cora has their signature' };
    const { waited, first, again } = await sentTwiceAtOnce(fixture.csmId,
      `select public.act_on_task($1, 'reassign', $2, $3) as answer`, [task!.id, params, key],
      () => csm.rpc('act_on_task', { task_id: task!.id, action: 'reassign', params, idempotency_key: key }));
    expect(waited).toBe(true);
    expect(again).toEqual({ code: null, message: null, data: first });
  });
});
