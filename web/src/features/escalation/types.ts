// Shapes of the escalation loop's RPC results (see docs/escalation-loop.md): the API's
// schemas (functions-shared/api/workflow.ts), none written again here.
import type { EscalationEntry, RpcResult, WorkflowExecution } from '../../../../functions-shared/api/index.ts';

export type { EscalationEntry };
export type EscalationItem = RpcResult<'list_escalations'>[number];
export type TeamOverview = RpcResult<'get_team_overview'>;
export type TeamMemberWork = TeamOverview['members'][number];
export type TeamRenewal = TeamOverview['renewals']['items'][number];

/** The open escalation of an execution: the last entry of metadata.escalations. */
export function openEscalation(metadata: WorkflowExecution['metadata']): EscalationEntry | null {
  return metadata.escalations?.at(-1) ?? null;
}
