// One artifact: what it is, how it was made, its approval, and (for people who may act)
// edit and approve / withdraw approval. The author of a draft that needs a second person's
// approval sees that state, not an Approve button that must fail; a sent draft keeps its approval.
// A draft handed to the outbox (queued or sent) is kept as it goes out: the database refuses
// an edit (PT409), so there is no Edit; a failed send is editable again.
// Once its workflow is closed (completed, cancelled, skipped…) a draft is kept as it is: the
// database refuses an edit or an approval (PT409), so the card is read-only and says why.
import { useContext, useEffect, useRef, useState } from 'react';
import { canAct, DraftsWritable, useWorkspace } from '../../lib/context.ts';
import { keptEditsKey, readKeptEdits } from './keptEdits.ts';
import { humanize } from '../../lib/format.ts';
import type { Artifact } from '../../lib/types.ts';
import { InlineError } from '../../components/States.tsx';
import { ApiError } from '../../lib/errors.ts';
import { ArtifactContent } from './ArtifactContent.tsx';
import { readEmail } from './emailContent.ts';
import { useKnownContacts } from './knownContacts.ts';
import { useUnknownRecipients } from './Recipients.tsx';
import { ArtifactEditor } from './ArtifactEditor.tsx';
import { useWaitsForSecondPerson } from './ownDraftRule.ts';
import { isHandedOver, sendStateOf } from './sendState.ts';
import { ArtifactStatusBadge } from './ArtifactStatusBadge.tsx';
import { modelName } from '../chat/citations.ts';
import { OPEN_STATUSES } from '../workflow/useExecution.ts';

interface Props {
  artifact: Artifact;
  onChanged: (artifact: Artifact) => void;
  compact?: boolean;
  /** The status of the draft's workflow, where the screen knows it: a closed workflow's drafts are read-only. */
  workflowStatus?: string;
}

/**
 * An email draft's recipients the customer's records do not know, said once more just above
 * Approve (or Withdraw approval), since the assistant may have written them: each is marked
 * in the To and Cc lines above.
 */
function UnknownRecipientsWarning({ artifact, approved }: { artifact: Artifact; approved: boolean }) {
  const email = readEmail(artifact.content ?? {}, artifact.title);
  const unknown = useUnknownRecipients(email.to, email.cc);
  const known = useKnownContacts();
  if (artifact.artifact_type !== 'email_draft' || unknown.length === 0 || !known) return null;
  const count = unknown.length === 1 ? 'One recipient is not a known contact' : `${unknown.length} recipients are not known contacts`;
  return (
    <p className="notice notice-warning small" data-testid="unknown-recipients-warning">
      {count} of {known.customerName}. Check {unknown.length === 1 ? 'it' : 'them'} {approved ? 'before this is sent' : 'before you approve'}.
    </p>
  );
}

/** "completed", "cancelled", … as a line on the card says it. */
function closedWords(status: string): string {
  return status === 'completed_with_pending_tasks' ? 'completed' : humanize(status).toLowerCase();
}

export function ArtifactCard({ artifact, onChanged, compact = false, workflowStatus }: Props) {
  const { api, profile } = useWorkspace();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const approved = Boolean(artifact.approved_at);
  const writable = useContext(DraftsWritable);
  const actor = canAct(profile) && writable;
  const waitsForSecond = useWaitsForSecondPerson(artifact);
  const sendState = sendStateOf(artifact);
  const kept = sendState === 'queued' || isHandedOver(sendState);
  const closed = workflowStatus !== undefined && !OPEN_STATUSES.has(workflowStatus);
  const card = useRef<HTMLElement>(null);
  const focusTheToggle = useRef(false);

  // Approving takes Approve away (Withdraw approval takes its place) and withdrawing takes
  // Withdraw approval away: once the card shows the change, the focus goes to the button that
  // took its place (else the card), never to the top of the page; not if it was put elsewhere.
  useEffect(() => {
    if (!focusTheToggle.current) return;
    focusTheToggle.current = false;
    if (document.activeElement && document.activeElement !== document.body) return;
    (card.current?.querySelector<HTMLElement>('[data-approval-toggle]:not(:disabled)') ?? card.current)?.focus();
  }, [approved]);

  /** After "This draft changed since you read it": the card shows the draft as it is now, to be read before approving. */
  async function showTheLatest() {
    try {
      onChanged(await api.getArtifact(artifact.id));
    } catch {
      // The refusal already says what happened; the workflow's next reload brings the draft.
    }
  }

  async function setApproval(next: boolean) {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      // Approving approves the version shown (its recipients with it): one changed since is refused.
      const changed = await api.approveArtifact(artifact.id, next, artifact.version);
      focusTheToggle.current = true;
      onChanged(changed);
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError && caught.isConflict) await showTheLatest();
    } finally {
      setBusy(false);
    }
  }

  return (
    <article ref={card} tabIndex={-1} className={`artifact-card${compact ? ' artifact-compact' : ''}`} aria-label={`${humanize(artifact.artifact_type)}: ${artifact.title}`} data-testid="artifact-card">
      <header className="artifact-head">
        <div>
          <div className="artifact-kind">{humanize(artifact.artifact_type)} · v{artifact.version}{artifact.generated_by === 'ai' ? ` · drafted by the assistant${artifact.ai_model ? ` (${modelName(artifact.ai_model)})` : ''}` : ''}{artifact.generated_by === 'agent' ? ` · drafted by the agent ${modelName(artifact.ai_model) ?? 'of an AI client'}` : ''}</div>
          <h3 className="artifact-title">{artifact.title}</h3>
        </div>
        <ArtifactStatusBadge sendState={sendState} approvedAt={artifact.approved_at} sentAt={artifact.sent_at} />
      </header>
      <ArtifactContent artifact={artifact} />
      {actor && !closed && !kept ? <UnknownRecipientsWarning artifact={artifact} approved={approved} /> : null}
      {actor && closed ? (
        <footer className="btn-row artifact-actions">
          <span className="muted small" data-testid="workflow-closed">
            This workflow is {closedWords(workflowStatus ?? '')}: its drafts are kept as they are.
          </span>
        </footer>
      ) : null}
      {actor && !closed ? (
        <footer className="btn-row artifact-actions">
          {/* An email in the outbox or sent is kept as it goes out (the database refuses edits): no Edit. */}
          {kept ? (
            <span className="muted small" data-testid="sent-is-kept">
              {sendState === 'queued' ? 'Queued to send: kept as it will go out.' : sendState === 'no_mail_server' ? 'Kept as it was handed over.' : 'Kept as it was sent.'} Ask the assistant for a new draft to write again.
            </span>
          ) : (
            <>
              <button type="button" className="btn btn-small" onClick={() => setEditing(true)} disabled={busy}>Edit</button>
              {/* Left by a reload mid-rewrite (keptEdits.ts): said here, or the rewrite seems lost. */}
              {!editing && readKeptEdits(keptEditsKey(profile.id, artifact.id)) ? (
                <span className="muted small">Your edits are not saved yet: Edit to go on with them.</span>
              ) : null}
            </>
          )}
          {/* A sent (or queued) draft's approval is history: nothing to withdraw any more. */}
          {approved && !kept ? (
            <button type="button" className="btn btn-small" data-approval-toggle onClick={() => void setApproval(false)} disabled={busy}>Withdraw approval</button>
          ) : null}
          {/* Nothing tells anyone a draft waits: the way to ask is a mention, which notifies (docs/escalation-loop.md). */}
          {!approved && waitsForSecond ? (
            <span className="muted small" data-testid="approval-waiting">Waiting for a second person to approve: your organisation asks someone other than the author to approve a draft. To ask a colleague, mention them in the chat or in a note on the customer (@Full Name): they are notified.</span>
          ) : null}
          {!approved && !waitsForSecond ? (
            <button type="button" className="btn btn-small btn-primary" data-approval-toggle onClick={() => void setApproval(true)} disabled={busy}>Approve</button>
          ) : null}
        </footer>
      ) : null}
      <InlineError error={error} />
      {editing && !closed ? <ArtifactEditor artifact={artifact} onClose={() => setEditing(false)} onSaved={onChanged} /> : null}
    </article>
  );
}
