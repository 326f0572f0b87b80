// A full workflow from the queue to completion, as the seeded CSM does it in the web app:
// open a workflow for a customer, find it in the queue, start it, complete every step,
// and see it completed (and gone from the queue). Plus the rules a user meets on the way.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, withDb } from '../support/stack.ts';

interface QueueItem {
  execution_id: string;
  workflow_key: string;
  status: string;
  priority_score: number;
  priority_factors: Record<string, unknown>;
  customer: { id: string; name: string; renewal_stage: string | null; days_until_renewal: number | null };
  current_step: { key: string; title: string; index: number } | null;
  total_steps: number;
  completed_steps: number;
}
interface Queue {
  items: QueueItem[];
  next_cursor: string | null;
  stats: { total: number; by_type: Record<string, number>; unique_customers: number };
}

let csm: SupabaseClient;
let otherCsm: SupabaseClient;
let manager: SupabaseClient;
let csmId: string;

async function call<T>(client: SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

async function newCustomer(ownerId: string, orgId: string): Promise<string> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, $2, 120000, 70, null, $3) returning id`,
      [orgId, `Lifecycle Co ${randomUUID().slice(0, 8)}`, ownerId],
    );
    return rows[0]!.id;
  });
}

async function allQueue(client: SupabaseClient, args: Record<string, unknown> = {}): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  let cursor: string | null = null;
  do {
    const page: Queue = await call<Queue>(client, 'get_workflow_queue', { page_size: 100, cursor, ...args });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  csm = await signedInAs('csm');
  otherCsm = await signedInAs('juniorCsm');
  manager = await signedInAs('manager');
  csmId = (await call<{ id: string }>(csm, 'get_my_profile')).id;
});

describe('a workflow from the queue to completion', () => {
  it('opens, appears in the queue with its priority factors, starts, completes step by step and leaves the queue', async () => {
    const me = await call<{ id: string; org_id: string }>(csm, 'get_my_profile');
    const customerId = await newCustomer(me.id, me.org_id);
    const opened = await call<{ id: string; status: string; total_steps: number }>(csm, 'create_workflow_execution', {
      customer_id: customerId,
      workflow_key: 'expansion-proposal',
    });
    expect(opened.status).toBe('queued');

    const queued = (await allQueue(csm)).find((i) => i.execution_id === opened.id);
    expect(queued).toBeDefined();
    expect(queued!.workflow_key).toBe('expansion-proposal');
    expect(queued!.priority_factors).toMatchObject({ workflow_type: 'opportunity', arr_mult: 1.5, experience_level: 'senior' });
    expect(queued!.current_step?.index).toBe(0);

    const started = await call<{ status: string; current_step: { key: string } }>(csm, 'start_workflow', { execution_id: opened.id });
    expect(started.status).toBe('in_progress');

    let stepKey: string | null = started.current_step.key;
    let steps = 0;
    let last: { workflow_completed: boolean; execution: { status: string; completed_steps: number; total_steps: number } } | null = null;
    while (stepKey) {
      last = await call(csm, 'complete_step', { execution_id: opened.id, step_key: stepKey, outcome: { note: `step ${steps}` } });
      steps += 1;
      stepKey = (last as unknown as { next_step: { key: string } | null }).next_step?.key ?? null;
    }
    expect(steps).toBe(opened.total_steps);
    expect(last!.workflow_completed).toBe(true);
    expect(last!.execution.status).toBe('completed');
    expect(last!.execution.completed_steps).toBe(last!.execution.total_steps);

    const view = await call<{ status: string; steps: { status: string }[]; actions: unknown[] }>(csm, 'get_workflow_execution', {
      execution_id: opened.id,
    });
    expect(view.status).toBe('completed');
    expect(view.steps.every((s) => s.status === 'completed')).toBe(true);
    expect((await allQueue(csm)).some((i) => i.execution_id === opened.id)).toBe(false);
  });

  it('answers illegal transitions with 409 and a message that says which and why', async () => {
    const me = await call<{ id: string; org_id: string }>(csm, 'get_my_profile');
    const customerId = await newCustomer(me.id, me.org_id);
    const opened = await call<{ id: string }>(csm, 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    const early = await csm.rpc('complete_workflow', { execution_id: opened.id });
    expect(early.error?.code).toBe('PT409');
    expect(early.error?.message).toMatch(/Cannot complete this workflow: it is still in the queue/);
    await call(csm, 'start_workflow', { execution_id: opened.id });
    const again = await csm.rpc('start_workflow', { execution_id: opened.id });
    expect(again.error?.code).toBe('PT409');
    expect(again.error?.message).toBe('Cannot start this workflow: it is already in progress');
    const duplicate = await csm.rpc('create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    expect(duplicate.error?.code).toBe('PT409');
  });

  it('keeps one CSM out of another CSM\'s workflow and lets a manager look at anyone\'s queue', async () => {
    const me = await call<{ id: string; org_id: string }>(csm, 'get_my_profile');
    const customerId = await newCustomer(me.id, me.org_id);
    const opened = await call<{ id: string }>(csm, 'create_workflow_execution', { customer_id: customerId, workflow_key: 'risk-intervention' });
    const denied = await otherCsm.rpc('start_workflow', { execution_id: opened.id });
    expect(denied.error?.code).toBe('42501');
    const peek = await otherCsm.rpc('get_workflow_queue', { assignee_id: csmId });
    expect(peek.error?.code).toBe('42501');
    const theirs = await allQueue(manager, { assignee_id: csmId });
    expect(theirs.some((i) => i.execution_id === opened.id)).toBe(true);
  });

  it('pages the queue with a cursor: pages joined equal the whole queue, stats count everything', async () => {
    const first: Queue = await call<Queue>(csm, 'get_workflow_queue', { page_size: 3 });
    const all = await allQueue(csm);
    expect(first.items.map((i) => i.execution_id)).toEqual(all.slice(0, 3).map((i) => i.execution_id));
    expect(first.stats.total).toBe(all.length);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Queue = await call<Queue>(csm, 'get_workflow_queue', { page_size: 7, cursor });
      paged.push(...page.items.map((i) => i.execution_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(paged).toEqual(all.map((i) => i.execution_id));
  });
});
