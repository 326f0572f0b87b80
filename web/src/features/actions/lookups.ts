// The server's lookups the forms and filters offer: task types and priorities
// (list_task_options) and escalation levels (list_escalation_levels), each {key, label} in
// order. They are read from the lookup tables app.task_types, app.task_priorities and
// app.escalation_levels, the one place they are listed; nothing in the web app lists them
// again. An action's config chooses among them; the labels come from here.
import type { z } from 'zod';
import { useWorkspace } from '../../lib/context.ts';
import { fromPostgrestError } from '../../lib/errors.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import type { Api } from '../../lib/api.ts';
import { LookupEntries, TaskOptions } from '../../../../functions-shared/admin/saved-action-config.ts';

export { LookupEntries, TaskOptions };

// Asked once per signed-in session (they change only with a release); a failure is not kept.
const asked = new WeakMap<Api, Map<string, Promise<unknown>>>();

function lookup<T>(api: Api, name: 'list_task_options' | 'list_escalation_levels', schema: z.ZodType<T>): Promise<T> {
  const mine = asked.get(api) ?? new Map<string, Promise<unknown>>();
  asked.set(api, mine);
  let answer = mine.get(name) as Promise<T> | undefined;
  if (!answer) {
    answer = (async () => {
      const { data, error, status } = await api.client.rpc(name as never);
      if (error) throw fromPostgrestError(error, status);
      return schema.parse(data);
    })();
    mine.set(name, answer);
    answer.catch(() => mine.delete(name));
  }
  return answer;
}

/** Task types and priorities (least urgent first). */
export function useTaskOptions() {
  const { api } = useWorkspace();
  return useAsync(() => lookup(api, 'list_task_options', TaskOptions), [api]);
}

/** Whom a workflow can be escalated to, lowest first. */
export function useEscalationLevels() {
  const { api } = useWorkspace();
  return useAsync(() => lookup(api, 'list_escalation_levels', LookupEntries), [api]);
}

/** key → label of the given lookups, for showing a config's choices. */
export function labelsOf(...lists: (LookupEntries | undefined)[]): Record<string, string> {
  return Object.fromEntries(lists.flatMap((list) => list ?? []).map((entry) => [entry.key, entry.label]));
}
