// One workflow execution and the organisation's saved actions, reloaded after each change.
// The execution's artifacts carry their send record (sent_at, send_state), so the page needs
// no second read to say "Sent" or "Queued to send".
import { useWorkspace } from '../../lib/context.ts';
import { useAsync } from '../../hooks/useAsync.ts';

export function useExecution(executionId: string) {
  const { api } = useWorkspace();
  const execution = useAsync(() => api.getExecution(executionId), [api, executionId]);
  const actions = useAsync(() => api.listSavedActions(), [api]);
  return { execution, actions };
}

export const OPEN_STATUSES = new Set(['queued', 'in_progress', 'snoozed', 'escalated']);
