// Following a chat branch: choose_chat_branch routes the workflow in one transaction (a
// fixed answer completes the step and moves to its next step; a saved action runs with the
// branch's defaults and returns to its step).
import type { RpcResult } from '../../../../functions-shared/api/index.ts';
import { typedRpc, type Api } from '../../lib/api.ts';

export type BranchChoice = RpcResult<'choose_chat_branch'>;
export type BranchRoute = BranchChoice['route'];

export function chooseChatBranch(api: Api, args: { execution_id: string; step_key: string; branch_key: string; params?: Record<string, unknown>; idempotency_key?: string }): Promise<BranchChoice> {
  return typedRpc(api.client)('choose_chat_branch', {
    execution_id: args.execution_id, step_key: args.step_key, branch_key: args.branch_key,
    params: args.params ?? null, idempotency_key: args.idempotency_key ?? null,
  });
}

/** What the page says after a branch was followed. */
export function describeRoute(choice: BranchChoice, titleOf: (key: string) => string): string {
  const parts: string[] = [];
  if (choice.branch.type === 'fixed' && choice.response_text) parts.push(`${choice.branch.label}: ${choice.response_text}`);
  const route = choice.route;
  if (route?.moved && route.to) parts.push(`Now at “${titleOf(route.to)}”.`);
  // Its last step skipped with none done, the workflow ends skipped, not complete (docs/escalation-loop.md).
  else if (choice.execution.status === 'skipped') parts.push('The workflow is closed as skipped: none of its steps was done.');
  else if (route?.workflow_completed || choice.execution.status === 'completed' || choice.execution.status === 'completed_with_pending_tasks') parts.push('The workflow is complete.');
  if (route && route.skipped.length > 0) parts.push(`Skipped as not applicable: ${route.skipped.map(titleOf).join(', ')}.`);
  return parts.join(' ');
}
