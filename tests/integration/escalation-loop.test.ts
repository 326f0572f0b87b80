// The escalation round trip between a CSM and their manager, through supabase-js as the
// web app does it: Sam escalates a workflow and is put on hold, Maria finds it in her inbox
// and on her team overview, returns it with guidance; Sam is told, finds it first in the
// queue and finishes it honestly (the steps left skipped with a reason). Then a second
// escalation is reassigned to Casey, and another organisation's admin cannot touch it.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, withDb } from '../support/stack.ts';

interface Summary { id: string; status: string; assignee_id: string | null; steps_done?: number; steps_skipped?: number }
interface Notification { notification_type: string; title: string; body: string | null; data: Record<string, unknown> }
interface Escalation { id: string; execution_id: string; reason: string; assignee: { id: string; full_name: string } | null; age_hours: number }

let sam: SupabaseClient;
let maria: SupabaseClient;
let casey: SupabaseClient;
let gina: SupabaseClient;
let samProfile: { id: string; org_id: string };
let caseyId: string;

async function call<T>(client: SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

async function refusal(client: SupabaseClient, fn: string, args: Record<string, unknown>): Promise<string | undefined> {
  const { error } = await client.rpc(fn, args);
  return error?.code;
}

async function notifications(client: SupabaseClient): Promise<Notification[]> {
  return (await call<{ items: Notification[] }>(client, 'list_notifications', { unread_only: false, page_size: 100 })).items;
}

/** A fresh customer of Sam's with a started Risk Intervention; its current step key. */
async function startedWorkflow(): Promise<{ executionId: string; customerName: string }> {
  const customerName = `Escalation Co ${randomUUID().slice(0, 8)}`;
  const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
    `insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 150000, 48, $3) returning id`,
    [samProfile.org_id, customerName, samProfile.id])).rows[0]!.id);
  const opened = await call<{ id: string }>(sam, 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
  await call(sam, 'start_workflow', { execution_id: opened.id });
  return { executionId: opened.id, customerName };
}

async function currentStep(client: SupabaseClient, executionId: string): Promise<string> {
  const execution = await call<{ current_step: { key: string } | null }>(client, 'get_workflow_execution', { execution_id: executionId });
  return execution.current_step!.key;
}

beforeAll(async () => {
  [sam, maria, casey, gina] = await Promise.all([signedInAs('csm'), signedInAs('manager'), signedInAs('juniorCsm'), signedInAs('otherAdmin')]);
  samProfile = await call(sam, 'get_my_profile');
  caseyId = (await call<{ id: string }>(casey, 'get_my_profile')).id;
});

describe('the escalation loop', () => {
  it('goes from the CSM to the manager and back, and the CSM finishes the work', async () => {
    const { executionId, customerName } = await startedWorkflow();
    const escalated = await call<{ execution: Summary }>(sam, 'execute_action', {
      action_key: 'escalate', execution_id: executionId, params: { reason: 'They ask for 30% off', level: 'manager' }, idempotency_key: randomUUID(),
    });
    expect(escalated.execution.status).toBe('escalated');

    // On hold for Sam: no restart, no step, no action, no completing; reading and chatting still work.
    expect(await refusal(sam, 'start_workflow', { execution_id: executionId })).toBe('PT409');
    const step = await currentStep(sam, executionId);
    expect(await refusal(sam, 'complete_step', { execution_id: executionId, step_key: step })).toBe('PT409');
    expect(await refusal(sam, 'execute_action', { action_key: 'snooze', execution_id: executionId, params: { reason: 'later' } })).toBe('PT409');
    expect(await refusal(sam, 'resolve_escalation', { execution_id: executionId, decision: 'return', note: 'self-service' })).toBe('42501');
    expect(await refusal(sam, 'list_escalations', {})).toBe('42501');
    await call(sam, 'create_chat_thread', { execution_id: executionId, step_key: step });

    // Maria: told, sees it in her inbox and on the team overview.
    expect((await notifications(maria)).some((n) => n.notification_type === 'escalation' && n.data.execution_id === executionId)).toBe(true);
    const inbox = await call<Escalation[]>(maria, 'list_escalations', { status: 'open' });
    const mine = inbox.find((item) => item.execution_id === executionId);
    expect(mine?.reason).toBe('They ask for 30% off');
    expect(mine?.assignee?.id).toBe(samProfile.id);
    const overview = await call<{ members: { id: string; escalated: number }[]; totals: { open_escalations: number } }>(maria, 'get_team_overview');
    expect(overview.totals.open_escalations).toBeGreaterThanOrEqual(1);
    expect(overview.members.find((member) => member.id === samProfile.id)?.escalated).toBeGreaterThanOrEqual(1);

    // Another organisation's admin cannot even see it.
    expect(await refusal(gina, 'resolve_escalation', { execution_id: executionId, decision: 'close', note: 'x' })).toBe('PT404');

    const returned = await call<Summary>(maria, 'resolve_escalation', { execution_id: executionId, decision: 'return', note: 'Offer 10% for two years' });
    expect(returned.status).toBe('in_progress');

    // Sam: told with the guidance, finds it first in the queue, continues.
    const told = (await notifications(sam)).find((n) => n.notification_type === 'escalation_resolved' && n.data.execution_id === executionId);
    expect(told?.body).toBe('Offer 10% for two years');
    expect(told?.title).toContain(customerName);
    const queue = await call<{ items: { execution_id: string; lane: string }[] }>(sam, 'get_workflow_queue', { page_size: 200 });
    expect(queue.items.find((item) => item.execution_id === executionId)?.lane).toBe('now');
    await call(sam, 'complete_step', { execution_id: executionId, step_key: step });

    // Honest completion: the steps left are skipped only on purpose, and counted as skipped.
    expect(await refusal(sam, 'complete_workflow', { execution_id: executionId })).toBe('PT409');
    const done = await call<Summary>(sam, 'complete_workflow', { execution_id: executionId, skip_remaining: true, reason: 'Signed on the call' });
    expect(done.status).toBe('completed');
    expect(done.steps_done).toBe(1);
    expect(done.steps_skipped).toBeGreaterThan(0);
  });

  it('a second escalation is reassigned to another CSM, who is told and takes over', async () => {
    const { executionId } = await startedWorkflow();
    await call(sam, 'execute_action', { action_key: 'escalate', execution_id: executionId, params: { reason: 'Out for two weeks' }, idempotency_key: randomUUID() });
    // Sam takes it back once, then escalates again.
    expect((await call<Summary>(sam, 'withdraw_escalation', { execution_id: executionId, reason: 'Back earlier' })).status).toBe('in_progress');
    expect((await notifications(maria)).some((n) => n.notification_type === 'escalation_resolved' && n.data.execution_id === executionId && n.data.decision === 'withdrawn')).toBe(true);
    await call(sam, 'execute_action', { action_key: 'escalate', execution_id: executionId, params: { reason: 'Out after all' }, idempotency_key: randomUUID() });

    const reassigned = await call<Summary>(maria, 'resolve_escalation', { execution_id: executionId, decision: 'reassign', note: 'Casey covers', assignee_id: caseyId });
    expect(reassigned.assignee_id).toBe(caseyId);
    expect((await notifications(casey)).some((n) => n.notification_type === 'workflow_assigned' && n.data.execution_id === executionId)).toBe(true);
    const step = await currentStep(casey, executionId);
    expect(await refusal(sam, 'complete_step', { execution_id: executionId, step_key: step })).toBe('42501');
    await call(casey, 'complete_step', { execution_id: executionId, step_key: step });
  });
});
