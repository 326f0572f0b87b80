// The server's lookups the forms and filters offer: task types and priorities
// (list_task_options), escalation levels (list_escalation_levels) and workflow types
// (list_workflow_types), each {key, label} in order. They are read from the lookup tables
// app.task_types, app.task_priorities, app.escalation_levels and app.workflow_types, the one
// place they are listed; nothing in the web app lists them again. An action's config chooses among them; the labels come from here.
import { useWorkspace } from '../../lib/context.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import { typedRpc, type Api } from '../../lib/api.ts';
import type { RpcResult } from '../../../../functions-shared/api/index.ts';
import { LookupEntries, TaskOptions } from '../../../../functions-shared/admin/saved-action-config.ts';

export { LookupEntries, TaskOptions };

// Asked once per signed-in session (they change only with a release); a failure is not kept.
const asked = new WeakMap<Api, Map<string, Promise<unknown>>>();

function lookup<N extends 'list_task_options' | 'list_escalation_levels' | 'list_workflow_types'>(api: Api, name: N): Promise<RpcResult<N>> {
  const mine = asked.get(api) ?? new Map<string, Promise<unknown>>();
  asked.set(api, mine);
  let answer = mine.get(name) as Promise<RpcResult<N>> | undefined;
  if (!answer) {
    answer = typedRpc(api.client)(name);
    mine.set(name, answer);
    answer.catch(() => mine.delete(name));
  }
  return answer;
}

/** Task types and priorities (least urgent first). */
export function useTaskOptions() {
  const { api } = useWorkspace();
  return useAsync(() => lookup(api, 'list_task_options'), [api]);
}

/** Whom a workflow can be escalated to, lowest first. */
export function useEscalationLevels() {
  const { api } = useWorkspace();
  return useAsync(() => lookup(api, 'list_escalation_levels'), [api]);
}

/** The kinds of workflow, in the queue's tie-break order (renewal first). */
export function useWorkflowTypes() {
  const { api } = useWorkspace();
  return useAsync(() => lookup(api, 'list_workflow_types'), [api]);
}

/** key → label of the given lookups, for showing a config's choices. */
export function labelsOf(...lists: (LookupEntries | undefined)[]): Record<string, string> {
  return Object.fromEntries(lists.flatMap((list) => list ?? []).map((entry) => [entry.key, entry.label]));
}
