// The escalation loop's calls (docs/escalation-loop.md escalation, waking, reassignment,
// honest completion, the team overview), through the workspace's supabase client the way
// lib/api.ts calls RPCs, typed by the API's schemas.
import { typedRpc, type RenubuClient } from '../../lib/api.ts';

export type Decision = 'return' | 'reassign' | 'close';

export function escalationApi(client: RenubuClient) {
  const call = typedRpc(client);
  // Each change takes the key of its press (pendingKeys.sendOnce): the same key again answers
  // what the first answered, so a press repeated after a lost answer is not refused as done.
  return {
    withdraw: (executionId: string, reason: string, idempotencyKey: string) =>
      call('withdraw_escalation', { execution_id: executionId, reason, idempotency_key: idempotencyKey }),
    resolve: (executionId: string, decision: Decision, note: string, assigneeId: string | null, idempotencyKey: string) =>
      call('resolve_escalation', { execution_id: executionId, decision, note, assignee_id: assigneeId, idempotency_key: idempotencyKey }),
    wake: (executionId: string, idempotencyKey: string) => call('wake_workflow', { execution_id: executionId, idempotency_key: idempotencyKey }),
    reassign: (executionId: string, assigneeId: string, reason: string, idempotencyKey: string) =>
      call('reassign_workflow', { execution_id: executionId, assignee_id: assigneeId, reason, idempotency_key: idempotencyKey }),
    cancel: (executionId: string, reason: string, idempotencyKey: string) =>
      call('cancel_workflow', { execution_id: executionId, reason, idempotency_key: idempotencyKey }),
    /** Completes the workflow; with steps left only when `skipReason` is given (they become skipped). */
    complete: (executionId: string, skipReason: string | null, idempotencyKey: string) =>
      call('complete_workflow', skipReason
        ? { execution_id: executionId, skip_remaining: true, reason: skipReason, idempotency_key: idempotencyKey }
        : { execution_id: executionId, idempotency_key: idempotencyKey }),
    listEscalations: (status: 'open' | 'resolved' | 'all' = 'open') => call('list_escalations', { status }),
    teamOverview: () => call('get_team_overview'),
  };
}

export type EscalationApi = ReturnType<typeof escalationApi>;
