// One workflow execution and the organisation's saved actions, reloaded after each change.
import { useWorkspace } from '../../lib/context.ts';
import { useAsync } from '../../hooks/useAsync.ts';

export function useExecution(executionId: string) {
  const { api } = useWorkspace();
  const execution = useAsync(async () => {
    const data = await api.getExecution(executionId);
    // The execution lists its artifacts without their send record; an email draft that went
    // out must say "Sent" (and a second send must ask first), so drafts take it from list_artifacts.
    if (!data.artifacts.some((artifact) => artifact.artifact_type === 'email_draft')) return data;
    const sent = new Map((await api.listArtifacts(executionId)).map((artifact) => [artifact.id, artifact]));
    return { ...data, artifacts: data.artifacts.map((artifact) => {
      const known = sent.get(artifact.id);
      return known ? { ...artifact, sent_at: known.sent_at ?? null, sent_outbox_id: known.sent_outbox_id ?? null } : artifact;
    }) };
  }, [api, executionId]);
  const actions = useAsync(() => api.listSavedActions(), [api]);
  return { execution, actions };
}

export const OPEN_STATUSES = new Set(['queued', 'in_progress', 'snoozed', 'escalated']);
