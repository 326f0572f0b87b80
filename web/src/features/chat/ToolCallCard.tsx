// A tool the assistant used, shown as a card: a drafted email becomes its artifact card,
// a proposed action offers its form (never runs by itself), other calls say what they did.
import { useEffect, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { humanize } from '../../lib/format.ts';
import type { Artifact } from '../../lib/types.ts';
import { ArtifactCard } from '../artifacts/ArtifactCard.tsx';
import { InlineError, Spinner } from '../../components/States.tsx';
import type { ChatToolCall } from './useChat.ts';

interface Props {
  call: ChatToolCall;
  /** The workflow's copy of artifacts, so an approval made elsewhere shows here too. */
  artifacts?: Artifact[];
  /** The workflow's status: a closed workflow's drafts are read-only. */
  workflowStatus?: string;
  onArtifactChanged?: (artifact: Artifact) => void;
  onProposeAction?: (actionKey: string, params: Record<string, unknown>) => void;
}

/** Whether the tool failed: said so, or answered an error. */
function failedCall(call: ChatToolCall): boolean {
  return call.success === false || Boolean(call.error) || Boolean(call.output && 'error' in call.output);
}

/** Whether the assistant added to the workflow's own work (a task it created), which the page lists. */
export function addsWork(call: ChatToolCall): boolean {
  return call.name === 'create_task' && !failedCall(call);
}

export function artifactIdOf(call: ChatToolCall): string | null {
  const output = call.output ?? {};
  const nested = output.artifact as { id?: unknown } | undefined;
  const id = output.artifact_id ?? nested?.id ?? (call.name === 'draft_email' ? output.id : undefined);
  return typeof id === 'string' ? id : null;
}

function DraftedArtifact({ artifactId, known, workflowStatus, onChanged }: { artifactId: string; known?: Artifact; workflowStatus?: string; onChanged?: (artifact: Artifact) => void }) {
  const { api } = useWorkspace();
  const [fetched, setFetched] = useState<Artifact | null>(null);
  const [error, setError] = useState<unknown>(null);
  const missing = !known;
  useEffect(() => {
    if (!missing) return undefined;
    let alive = true;
    api.getArtifact(artifactId).then((value) => { if (alive) setFetched(value); }, (caught: unknown) => { if (alive) setError(caught); });
    return () => { alive = false; };
  }, [api, artifactId, missing]);
  const artifact = known ?? fetched;
  if (error) return <InlineError error={error} />;
  if (!artifact) return <Spinner label="Loading the draft" />;
  return <ArtifactCard artifact={artifact} compact workflowStatus={workflowStatus} onChanged={(next) => { setFetched(next); onChanged?.(next); }} />;
}

export function ToolCallCard({ call, artifacts, workflowStatus, onArtifactChanged, onProposeAction }: Props) {
  const failed = failedCall(call);
  const artifactId = artifactIdOf(call);
  if (artifactId && !failed) return <div className="tool-card tool-artifact"><DraftedArtifact artifactId={artifactId} known={artifacts?.find((artifact) => artifact.id === artifactId)} workflowStatus={workflowStatus} onChanged={onArtifactChanged} /></div>;

  if (call.name === 'propose_action' && !failed) {
    const key = String(call.input.action_key ?? call.output?.action_key ?? '');
    const params = (call.input.params ?? {}) as Record<string, unknown>;
    const reason = call.input.reason ?? call.output?.reason;
    return (
      <div className="tool-card">
        <div className="tool-name">Suggested action</div>
        <p><strong>{humanize(key || 'action')}</strong>{typeof reason === 'string' ? ` — ${reason}` : null}</p>
        {onProposeAction && key ? <button type="button" className="btn btn-small" onClick={() => onProposeAction(key, params)}>Review and run…</button> : null}
      </div>
    );
  }

  const summary = call.name === 'create_task'
    ? `Created task “${String(call.input.title ?? call.output?.title ?? 'task')}”`
    : call.name === 'get_customer_context' ? 'Looked up the customer’s context' : `Used ${humanize(call.name)}`;
  return (
    <div className={`tool-card${failed ? ' tool-failed' : ''}`}>
      <div className="tool-name">{failed ? `${humanize(call.name)} failed` : summary}</div>
      {failed ? <p className="small">{String(call.error ?? call.output?.error ?? 'The tool did not complete.')}</p> : null}
    </div>
  );
}
