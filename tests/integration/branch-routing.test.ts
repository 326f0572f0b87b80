// Chat branches route, on the catalogue that ships (docs/branches-and-proposals.md "Chat branches route"):
// for EVERY fixed branch with a next_step_key and EVERY saved_action branch with a
// return_step_key of the core definitions, a CSM opens that workflow, walks to the
// branch's step, chooses the branch through supabase-js (the saved action confirmed with
// the params its form would send) and lands on the target; the steps jumped over forward
// are skipped "Not applicable".
//
// The CSM is the seeded support engineer (a csm with a manager and otherwise no queue),
// so the ~110 workflows opened here do not disturb other tests' queues.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, withDb } from '../support/stack.ts';

interface Branch {
  workflow_key: string;
  step_key: string;
  step_index: number;
  branch_key: string;
  branch_type: 'fixed' | 'saved_action';
  saved_action_key: string | null;
  target: string;
  target_index: number;
}
interface Step { key: string; index: number; status: string; skip_reason: string | null }
interface Execution { id: string; status: string; current_step: { key: string } | null; steps: Step[] }

let csm: SupabaseClient;
let manager: SupabaseClient;
let me: { id: string; org_id: string };
let branches: Branch[];

async function call<T>(client: SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

/** What the action form sends for each core action (the branch's defaults come from the server). */
async function paramsFor(actionKey: string, executionId: string): Promise<Record<string, unknown>> {
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
  switch (actionKey) {
    case 'skip': return { reason: 'Not applicable' };
    case 'snooze': return { reason: 'Waiting for the customer' };
    case 'escalate': return { reason: 'Needs a decision above me' };
    case 'create_task': return { title: 'Follow up', due_date: inAWeek.slice(0, 10) };
    case 'schedule_meeting': return { scheduled_at: inAWeek, attendees: ['buyer@customer.example'] };
    case 'send_email': {
      const draft = await call<{ id: string }>(csm, 'create_artifact', {
        execution_id: executionId, artifact_type: 'email_draft', title: 'Renewal',
        content: { to: ['buyer@customer.example'], subject: 'Renewal', body: 'Hello' },
      });
      await call(manager, 'approve_artifact', { artifact_id: draft.id });
      return { artifact_id: draft.id };
    }
    default: throw new Error(`no form for ${actionKey}`);
  }
}

beforeAll(async () => {
  csm = await signedInAs('supportEngineer');
  manager = await signedInAs('manager');
  me = await call(csm, 'get_my_profile');
  branches = await withDb(async (db) => (await db.query<Branch>(`
    with steps as (
      select w.key as workflow_key, v.id as version_id, s.ord - 1 as step_index, s.step ->> 'key' as step_key
        from app.workflows w
        join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
        cross join lateral jsonb_array_elements(v.config -> 'steps') with ordinality as s(step, ord)
       where w.org_id is null and w.is_active)
    select s.workflow_key, s.step_key, s.step_index, b.branch_key, b.branch_type, b.saved_action_key,
           coalesce(b.next_step_key, b.return_step_key) as target, t.step_index as target_index
      from app.workflow_chat_branches b
      join steps s on s.version_id = b.workflow_version_id and s.step_key = b.step_key
      join steps t on t.version_id = b.workflow_version_id and t.step_key = coalesce(b.next_step_key, b.return_step_key)
     where (b.branch_type = 'fixed' and b.next_step_key is not null)
        or (b.branch_type = 'saved_action' and b.return_step_key is not null)
     order by s.workflow_key, s.step_index, b.branch_key`)).rows);
});

describe('branches route on the seeded catalogue', () => {
  it('finds the catalogue\'s routed branches (16 core definitions, fixed jumps and saved-action returns)', () => {
    expect(new Set(branches.map((b) => b.workflow_key)).size).toBe(16);
    expect(branches.filter((b) => b.branch_type === 'fixed' && b.target_index !== b.step_index + 1).length).toBeGreaterThanOrEqual(6);
    expect(branches.filter((b) => b.branch_type === 'saved_action').length).toBeGreaterThanOrEqual(16);
  });

  it('every branch with a target lands there, jumped steps skipped "Not applicable"', async () => {
    // One customer per branch, made in one statement; the branches run four at a time.
    const customerIds = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       select $1, 'Routing ' || n || ' ' || $3, 50000, 70, null, $2 from generate_series(1, $4::int) n returning id`,
      [me.org_id, me.id, randomUUID().slice(0, 8), branches.length])).rows.map((r) => r.id));
    const failures: string[] = [];
    const opened: string[] = [];

    async function route(branch: Branch, customerId: string): Promise<void> {
      const name = `${branch.workflow_key}/${branch.step_key}/${branch.branch_key} -> ${branch.target}`;
      const execution = await call<{ id: string }>(csm, 'create_workflow_execution', { customer_id: customerId, workflow_key: branch.workflow_key });
      opened.push(execution.id);
      const started = await call<{ current_step: { key: string } }>(csm, 'start_workflow', { execution_id: execution.id });
      let current = started.current_step.key;
      while (current !== branch.step_key) {
        const done = await call<{ next_step: { key: string } }>(csm, 'complete_step', { execution_id: execution.id, step_key: current });
        current = done.next_step.key;
      }
      const params = branch.branch_type === 'saved_action' ? await paramsFor(branch.saved_action_key!, execution.id) : undefined;
      const chosen = await call<{ execution: { current_step: { key: string } | null } }>(csm, 'choose_chat_branch', {
        execution_id: execution.id, step_key: branch.step_key, branch_key: branch.branch_key, params, idempotency_key: randomUUID(),
      });
      const after = await call<Execution>(csm, 'get_workflow_execution', { execution_id: execution.id });
      if (chosen.execution.current_step?.key !== branch.target || after.current_step?.key !== branch.target) {
        failures.push(`${name}: landed on ${after.current_step?.key ?? 'nothing'}`);
        return;
      }
      const target = after.steps.find((s) => s.key === branch.target)!;
      if (target.status !== 'in_progress') failures.push(`${name}: target is ${target.status}`);
      for (const step of after.steps.filter((s) => s.index > branch.step_index && s.index < branch.target_index)) {
        if (step.status !== 'skipped' || step.skip_reason !== 'Not applicable') failures.push(`${name}: ${step.key} is ${step.status} (${step.skip_reason})`);
      }
      const from = after.steps.find((s) => s.key === branch.step_key)!;
      if (branch.target !== branch.step_key && !['completed', 'skipped'].includes(from.status)) failures.push(`${name}: its step is ${from.status}`);
    }

    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < branches.length) {
        const index = next++;
        await route(branches[index]!, customerIds[index]!);
      }
    }));
    // Leave nothing open in the demo organisation's queue.
    await withDb((db) => db.query(`update app.workflow_executions set status = 'cancelled', completed_at = now() where id = any($1::uuid[])`, [opened]));
    expect(failures).toEqual([]);
  }, 120_000);
});
