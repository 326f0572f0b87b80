// The escalation loop's calls (docs/escalation-loop.md escalation, waking, reassignment,
// honest completion, the team overview), through the workspace's supabase client the way
// lib/api.ts calls RPCs. These RPCs are newer than the generated Database type, so the
// names and arguments are typed here until it is regenerated.
import type { RenubuClient } from '../../lib/api.ts';
import { fromPostgrestError } from '../../lib/errors.ts';
import type { EscalationItem, ExecutionSummary, TeamOverview } from './types.ts';

async function call<T>(client: RenubuClient, name: string, args: Record<string, unknown>): Promise<T> {
  const present = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined && value !== null));
  const { data, error, status } = await client.rpc(name as never, present as never);
  if (error) throw fromPostgrestError(error, status);
  return data as T;
}

export type Decision = 'return' | 'reassign' | 'close';

export function escalationApi(client: RenubuClient) {
  return {
    withdraw: (executionId: string, reason: string) =>
      call<ExecutionSummary>(client, 'withdraw_escalation', { execution_id: executionId, reason }),
    resolve: (executionId: string, decision: Decision, note: string, assigneeId?: string | null) =>
      call<ExecutionSummary>(client, 'resolve_escalation', { execution_id: executionId, decision, note, assignee_id: assigneeId }),
    wake: (executionId: string) => call<ExecutionSummary>(client, 'wake_workflow', { execution_id: executionId }),
    reassign: (executionId: string, assigneeId: string, reason: string) =>
      call<ExecutionSummary>(client, 'reassign_workflow', { execution_id: executionId, assignee_id: assigneeId, reason }),
    cancel: (executionId: string, reason: string) => call<ExecutionSummary>(client, 'cancel_workflow', { execution_id: executionId, reason }),
    /** Completes the workflow; with steps left only when `skipReason` is given (they become skipped). */
    complete: (executionId: string, skipReason?: string) =>
      call<ExecutionSummary>(client, 'complete_workflow', skipReason
        ? { execution_id: executionId, skip_remaining: true, reason: skipReason }
        : { execution_id: executionId }),
    listEscalations: (status: 'open' | 'resolved' | 'all' = 'open') => call<EscalationItem[]>(client, 'list_escalations', { status }),
    teamOverview: () => call<TeamOverview>(client, 'get_team_overview', {}),
  };
}

export type EscalationApi = ReturnType<typeof escalationApi>;
