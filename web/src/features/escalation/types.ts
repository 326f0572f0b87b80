// Shapes of the escalation loop's RPC results (see docs/escalation-loop.md): the API's.
import type { ExecutionState, RpcResult } from '../../../../functions-shared/api/index.ts';

/** An execution after a change (the API's ExecutionState), with what some changes add. */
export type ExecutionSummary = ExecutionState & Partial<{ steps_done: number; steps_skipped: number; escalation_status: string }>;

export type EscalationItem = RpcResult<'list_escalations'>[number];
export type TeamOverview = RpcResult<'get_team_overview'>;
export type TeamMemberWork = TeamOverview['members'][number];
export type TeamRenewal = TeamOverview['renewals']['items'][number];

/** The escalation recorded in an execution's metadata (the last entry of metadata.escalations). */
export interface EscalationEntry {
  level?: string;
  reason?: string;
  by?: string;
  at?: string;
  manager_id?: string | null;
  from_status?: string;
}

export function openEscalation(metadata: unknown): EscalationEntry | null {
  const list = (metadata as { escalations?: EscalationEntry[] } | null | undefined)?.escalations;
  return Array.isArray(list) && list.length > 0 ? list[list.length - 1] ?? null : null;
}
