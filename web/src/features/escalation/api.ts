// The escalation loop's calls (docs/escalation-loop.md escalation, waking, reassignment,
// honest completion, the team overview), through the workspace's supabase client the way
// lib/api.ts calls RPCs, typed by the API's schemas.
import { typedRpc, type RenubuClient } from '../../lib/api.ts';

export type Decision = 'return' | 'reassign' | 'close';

export function escalationApi(client: RenubuClient) {
  const call = typedRpc(client);
  return {
    withdraw: (executionId: string, reason: string) =>
      call('withdraw_escalation', { execution_id: executionId, reason }),
    resolve: (executionId: string, decision: Decision, note: string, assigneeId?: string | null) =>
      call('resolve_escalation', { execution_id: executionId, decision, note, assignee_id: assigneeId }),
    wake: (executionId: string) => call('wake_workflow', { execution_id: executionId }),
    /** With a key: the same reassignment again answers the one it made (a lost answer). */
    reassign: (executionId: string, assigneeId: string, reason: string, idempotencyKey: string) =>
      call('reassign_workflow', { execution_id: executionId, assignee_id: assigneeId, reason, idempotency_key: idempotencyKey }),
    cancel: (executionId: string, reason: string) => call('cancel_workflow', { execution_id: executionId, reason }),
    /** Completes the workflow; with steps left only when `skipReason` is given (they become skipped). */
    complete: (executionId: string, skipReason?: string) =>
      call('complete_workflow', skipReason
        ? { execution_id: executionId, skip_remaining: true, reason: skipReason }
        : { execution_id: executionId }),
    listEscalations: (status: 'open' | 'resolved' | 'all' = 'open') => call('list_escalations', { status }),
    teamOverview: () => call('get_team_overview'),
  };
}

export type EscalationApi = ReturnType<typeof escalationApi>;
