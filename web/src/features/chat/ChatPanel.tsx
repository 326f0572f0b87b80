// The assistant chat of one thread: messages stream in, tool calls show as cards, a failed
// answer can be retried, and the thread can be completed (which completes its step). A
// completed or abandoned thread is read-only: no composer, no Send, no "Complete thread";
// so is every chat of a finished workflow, whose messages the server refuses (409).
import { useRef, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { humanize } from '../../lib/format.ts';
import { OPEN_STATUSES } from '../workflow/useExecution.ts';
import { usePreferences } from '../../app/PreferencesProvider.tsx';
import type { Artifact } from '../../lib/types.ts';
import { ErrorState, InlineError, LoadingState } from '../../components/States.tsx';
import { ChatComposer } from './ChatComposer.tsx';
import { MessageBubble } from './MessageBubble.tsx';
import { ToolCallCard, addsWork, artifactIdOf } from './ToolCallCard.tsx';
import { chatDraftKey, useChat } from './useChat.ts';
import { useFollowEnd } from './useFollowEnd.ts';

interface Props {
  threadId: string;
  canWrite: boolean;
  artifacts: Artifact[];
  /** The workflow's status: a closed workflow's drafts are read-only (features/artifacts/ArtifactCard.tsx). */
  workflowStatus?: string;
  onArtifactsChanged: (artifact?: Artifact) => void;
  onProposeAction: (actionKey: string, params: Record<string, unknown>) => void;
  onThreadCompleted: () => void;
  /** Passed to the composer: each new number above 0 puts the focus in the message box. */
  focusRequest?: number;
  /** The assistant added work to the workflow (a task): the page reads the workflow anew. */
  onWorkChanged?: () => void;
  /** A send was refused as a conflict (the thread or its workflow closed elsewhere): the page reads the workflow anew. */
  onRefused?: () => void;
}

export function ChatPanel({ threadId, canWrite, artifacts, workflowStatus, onArtifactsChanged, onProposeAction, onThreadCompleted, focusRequest, onWorkChanged, onRefused }: Props) {
  const { api, profile } = useWorkspace();
  const { preferences } = usePreferences();
  // What the assistant made is shown by the page at once: a draft in Artifacts, a task in Tasks and meetings.
  const chat = useChat(threadId, (call) => {
    if (artifactIdOf(call)) onArtifactsChanged();
    else if (addsWork(call)) onWorkChanged?.();
  }, { onConflict: onRefused });
  const list = useRef<HTMLDivElement>(null);
  const [completing, setCompleting] = useState(false);
  const [completeError, setCompleteError] = useState<unknown>(null);

  useFollowEnd(list, preferences.chat.autoScrollToBottom, !chat.loading, chat.messages.length, chat.messages.at(-1)?.content.length ?? 0);

  async function complete() {
    if (completing) return;
    setCompleting(true);
    setCompleteError(null);
    try {
      await api.completeThread(threadId);
      // Read-only at once: the server refuses any further message (409 "This chat is completed").
      chat.markClosed('completed');
      onArtifactsChanged();
      onThreadCompleted();
    } catch (caught) {
      setCompleteError(caught);
    } finally {
      setCompleting(false);
    }
  }

  if (chat.loading) return <LoadingState label="Loading the conversation…" />;
  if (chat.loadError) return <ErrorState error={chat.loadError} title="The conversation could not be loaded" onRetry={() => void chat.reload()} />;
  // A finished workflow's chats are kept to read: the server takes no message in them.
  const workflowFinished = workflowStatus !== undefined && !OPEN_STATUSES.has(workflowStatus);
  const active = chat.thread?.status !== 'completed' && chat.thread?.status !== 'abandoned' && !workflowFinished;

  return (
    <section className="chat" aria-label="Assistant chat">
      <div ref={list} className="chat-log" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation" tabIndex={0} data-testid="chat-log"
>
        <ol className="chat-list">
          {chat.messages.length === 0 ? <li className="chat-empty muted">Ask the assistant anything about this account — it knows the customer’s context. Try “Draft a renewal email”.</li> : null}
          {chat.messages.map((message) => (
            <MessageBubble key={message.localId} message={message}
              renderToolCall={(call, index) => (
                <ToolCallCard key={index} call={call} artifacts={artifacts} workflowStatus={workflowStatus} onArtifactChanged={(artifact) => onArtifactsChanged(artifact)} onProposeAction={canWrite ? onProposeAction : undefined} />
              )}
              onRetry={canWrite && active && message.role === 'assistant' ? () => chat.retry(message.localId) : undefined}
              retryDisabled={chat.sending} />
          ))}
        </ol>
      </div>
      {canWrite && active ? (
        <>
          <ChatComposer onSend={(text) => void chat.send(text)} disabled={chat.sending} shiftEnterToSubmit={preferences.chat.shiftEnterToSubmit} focusRequest={focusRequest} draftKey={chatDraftKey(profile.id, threadId)} />
          {/* An escalated workflow is on hold: its steps wait for the manager's decision (the
              server refuses with 409), while its chats stay open to read and ask. */}
          {workflowStatus === 'escalated' ? (
            <div className="chat-foot muted small">Completing this step waits for the decision on the escalation.</div>
          ) : (
            <div className="chat-foot">
              <button type="button" className="btn btn-small" onClick={() => void complete()} disabled={completing || chat.sending}>
                {completing ? 'Completing…' : 'Complete thread'}
              </button>
              <span className="muted small">Completes this step and saves a summary of the conversation.</span>
            </div>
          )}
          <InlineError error={completeError} />
        </>
      ) : null}
      {!active ? (
        <p className="muted small chat-closed">{workflowFinished
          ? `This conversation is closed: the workflow is ${humanize(workflowStatus).toLowerCase()}.`
          : `This conversation is ${chat.thread?.status}.`}</p>
      ) : null}
    </section>
  );
}
