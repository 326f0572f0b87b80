// The task types and priorities the forms and filters offer, as the server defines them
// (list_task_options reads the lookup tables app.task_types and app.task_priorities, the
// one place they are listed). Nothing in the web app lists them again.
import { useWorkspace } from '../../lib/context.ts';
import { fromPostgrestError } from '../../lib/errors.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import type { Api } from '../../lib/api.ts';
import { TaskOptions } from '../../../../functions-shared/admin/saved-action-config.ts';

export type { TaskOptions };

/** Task types and priorities (least urgent first), each {key, label}. */
export async function listTaskOptions(api: Api): Promise<TaskOptions> {
  const { data, error, status } = await api.client.rpc('list_task_options' as never);
  if (error) throw fromPostgrestError(error, status);
  return TaskOptions.parse(data);
}

// Asked once per signed-in session (they change only with a release); a failure is not kept.
const asked = new WeakMap<Api, Promise<TaskOptions>>();
function cached(api: Api): Promise<TaskOptions> {
  let answer = asked.get(api);
  if (!answer) {
    answer = listTaskOptions(api);
    asked.set(api, answer);
    answer.catch(() => asked.delete(api));
  }
  return answer;
}

export function useTaskOptions() {
  const { api } = useWorkspace();
  return useAsync(() => cached(api), [api]);
}
