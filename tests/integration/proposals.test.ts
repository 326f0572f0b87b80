// AI proposals through the stack, as the web app sees them: the assistant (the chat
// function with the built-in model) proposes an action, which executes nothing; the CSM
// approves it (the action runs as them, its log linked, once, even when the approval is
// replayed) or rejects it (nothing runs). Another CSM cannot decide.
//
// The CSM is the seeded account executive (a csm with a manager and no demo book), so
// these workflows do not disturb other tests' queues.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, withDb } from '../support/stack.ts';
import { freshChat } from './chat-fixtures.ts';

interface Proposal {
  id: string;
  execution_id: string;
  action_key: string;
  params: Record<string, unknown>;
  status: string;
  source: { kind: string; thread_id: string | null; message_id: string | null };
  action_execution_id: string | null;
  decided_by: string | null;
}
interface Decision {
  proposal: Proposal;
  action: { action_execution_id: string; execution: { status: string } } | null;
  replayed: boolean;
}

let csm: SupabaseClient;
let otherCsm: SupabaseClient;
let csmId: string;

async function call<T>(client: SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

/** Asks the assistant in a fresh workflow's chat; returns the workflow and what it proposed. */
async function proposalFromChat(question: string): Promise<{ executionId: string; proposal: Proposal }> {
  const fx = await freshChat(csm);
  const { error } = await csm.functions.invoke('chat', { body: { thread_id: fx.threadId, content: question, client_message_id: randomUUID() } });
  expect(error).toBeNull();
  const proposals = await call<Proposal[]>(csm, 'list_proposals', { execution_id: fx.executionId });
  expect(proposals).toHaveLength(1);
  expect(proposals[0]!.source.kind).toBe('thread');
  expect(proposals[0]!.source.thread_id).toBe(fx.threadId);
  return { executionId: fx.executionId, proposal: proposals[0]! };
}

async function actionLog(executionId: string): Promise<{ id: string; action_key: string; executed_by: string }[]> {
  return withDb(async (db) => (await db.query(
    'select id, action_key, executed_by from app.action_executions where execution_id = $1', [executionId])).rows);
}

beforeAll(async () => {
  csm = await signedInAs('accountExecutive');
  otherCsm = await signedInAs('juniorCsm');
  csmId = (await call<{ id: string }>(csm, 'get_my_profile')).id;
});

describe('AI proposals', () => {
  it('a proposal from the chat executes nothing until the CSM approves it; approving runs it once, logged and linked', async () => {
    const { executionId, proposal } = await proposalFromChat('Should I snooze this for a week?');
    expect(proposal).toMatchObject({ action_key: 'snooze', status: 'proposed' });
    expect(await actionLog(executionId)).toEqual([]);
    const notifications = await call<{ items: { notification_type: string; data: { proposal_id?: string } }[] }>(csm, 'list_notifications');
    expect(notifications.items.some((n) => n.notification_type === 'proposal' && n.data.proposal_id === proposal.id)).toBe(true);

    // Another CSM may not decide it.
    const refused = await otherCsm.rpc('decide_proposal', { proposal_id: proposal.id, approve: true });
    expect(refused.error?.code).toBe('42501');

    const key = randomUUID();
    const edited = { ...proposal.params, days: 3 };
    const decided = await call<Decision>(csm, 'decide_proposal', { proposal_id: proposal.id, approve: true, params: edited, idempotency_key: key });
    expect(decided.proposal.status).toBe('approved');
    expect(decided.action!.execution.status).toBe('snoozed');
    expect(decided.proposal.action_execution_id).toBe(decided.action!.action_execution_id);

    // A replayed approval (a retry after a timeout) returns the same outcome and applies nothing again.
    const replay = await call<Decision>(csm, 'decide_proposal', { proposal_id: proposal.id, approve: true, params: edited, idempotency_key: key });
    expect(replay.replayed).toBe(true);
    expect(replay.action!.action_execution_id).toBe(decided.action!.action_execution_id);
    const log = await actionLog(executionId);
    expect(log).toEqual([{ id: decided.action!.action_execution_id, action_key: 'snooze', executed_by: csmId }]);
    const snoozedDays = await withDb(async (db) => (await db.query<{ days: number }>(
      `select round(extract(epoch from snoozed_until - now()) / 86400)::int as days from app.workflow_executions where id = $1`, [executionId])).rows[0]!.days);
    expect(snoozedDays).toBe(3);

    const approved = await call<Proposal[]>(csm, 'list_proposals', { status: 'approved', execution_id: executionId });
    expect(approved.map((p) => p.id)).toEqual([proposal.id]);
    expect(await call<Proposal[]>(csm, 'list_proposals', { execution_id: executionId })).toEqual([]);
  });

  // A proposal is made with what its action needs (migration 20261208200000): the meeting
  // the assistant proposes carries its time, so Approve runs it as made.
  it('a meeting the assistant proposes is approved as made', async () => {
    const { executionId, proposal } = await proposalFromChat('Should we schedule a meeting with them?');
    expect(proposal.action_key).toBe('schedule_meeting');
    const decided = await call<Decision>(csm, 'decide_proposal', { proposal_id: proposal.id, approve: true, idempotency_key: randomUUID() });
    expect(decided.proposal.status).toBe('approved');
    expect(await actionLog(executionId)).toEqual([{ id: decided.action!.action_execution_id, action_key: 'schedule_meeting', executed_by: csmId }]);
  });

  it('rejecting a proposal executes nothing', async () => {
    const { executionId, proposal } = await proposalFromChat('Should we escalate this?');
    expect(proposal.action_key).toBe('escalate');
    const decided = await call<Decision>(csm, 'decide_proposal', { proposal_id: proposal.id, approve: false });
    expect(decided.proposal).toMatchObject({ status: 'rejected', decided_by: csmId, action_execution_id: null });
    expect(decided.action).toBeNull();
    expect(await actionLog(executionId)).toEqual([]);
    const execution = await call<{ status: string }>(csm, 'get_workflow_execution', { execution_id: executionId });
    expect(execution.status).toBe('in_progress');
    const again = await csm.rpc('decide_proposal', { proposal_id: proposal.id, approve: true });
    expect(again.error?.code).toBe('PT409');
  });
});
