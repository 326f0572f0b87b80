// The selected step: its chat branches (fixed answers, AI chat, saved actions), its chat
// thread, the assistant's proposals waiting for a decision, and "complete step". A fixed
// answer or a confirmed saved action routes the workflow on the server (choose_chat_branch).
import { useRef, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { ApiError } from '../../lib/errors.ts';
import { formatDateTime, humanize, newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import type { ActionResult, Artifact, ChatBranch, SavedAction, WorkflowExecution, WorkflowStep } from '../../lib/types.ts';
import { StatusBadge } from '../../components/Badges.tsx';
import { InlineError } from '../../components/States.tsx';
import { ChatPanel } from '../chat/ChatPanel.tsx';
import { ActionDialog, describeResult } from '../actions/ActionDialog.tsx';
import { ProposalList, type ProposalListHandle } from '../proposals/ProposalList.tsx';
import { chooseChatBranch, describeRoute, type BranchChoice } from './branchApi.ts';
import { chatOfBranch, conversationLabels } from './branchChats.ts';

interface Props {
  execution: WorkflowExecution;
  step: WorkflowStep;
  canWrite: boolean;
  onChanged: () => Promise<void> | void;
  onArtifactsChanged: (artifact?: Artifact) => void;
  onRunAction: (actionKey: string, params?: Record<string, unknown>) => void;
  /** An action starts here: the page's notice of the last action no longer applies. */
  onBegin: () => void;
  /**
   * A message for the page, which outlives this step's panel (a fixed answer moves the step on);
   * `takeFocus` when the control that did it went away (a proposal's Approve or Reject).
   */
  onNotice: (text: string, options?: { takeFocus?: boolean }) => void;
  /** A dialog of this panel closed: if the focus fell to the page (its opener went with the action), the notice takes it. */
  onNoticeFocusIfLost?: () => void;
  /** The organisation's saved actions: a saved-action branch or a proposal opens its form. */
  actions?: SavedAction[];
}

type BranchWithDefaults = ChatBranch & { config?: { defaults?: Record<string, unknown> } | null };

export function StepPanel({ execution, step, canWrite, onChanged, onArtifactsChanged, onRunAction, onBegin, onNotice, onNoticeFocusIfLost, actions = [] }: Props) {
  const { api, profile } = useWorkspace();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const threads = execution.threads.filter((thread) => thread.step_key === step.key);
  const activeThread = threads.find((thread) => thread.status === 'active');
  const tabLabels = conversationLabels(threads);
  const [shownThreadId, setShownThreadId] = useState<string | null>(null);
  const threadId = shownThreadId && threads.some((thread) => thread.id === shownThreadId) ? shownThreadId : activeThread?.id ?? threads.at(-1)?.id ?? null;
  const inProgress = step.status === 'in_progress' && execution.status === 'in_progress';
  const branches = step.branches ?? [];
  const [confirming, setConfirming] = useState<{ branch: BranchWithDefaults; action: SavedAction } | null>(null);
  const proposals = useRef<ProposalListHandle>(null);
  // A chat opened from a branch takes the focus in its message box: the branch button it came
  // from is disabled while the thread is made, which would otherwise drop the focus to the page.
  const [chatFocus, setChatFocus] = useState<{ threadId: string; request: number } | null>(null);
  const focusChat = (id: string) => setChatFocus((last) => ({ threadId: id, request: (last?.request ?? 0) + 1 }));
  const titleOf = (key: string) => execution.steps.find((candidate) => candidate.key === key)?.title ?? key;

  async function run(label: string, work: () => Promise<unknown>) {
    if (busy) return;
    setBusy(label);
    setError(null);
    onBegin();
    try {
      await work();
      await onChanged();
    } catch (caught) {
      setError(caught);
      // A conflict means the workflow is not as shown (e.g. this step was completed by an
      // earlier press whose answer was lost, or in another tab): show it as it is now.
      if (caught instanceof ApiError && caught.isConflict) await Promise.resolve(onChanged()).catch(() => undefined);
    } finally {
      setBusy(null);
    }
  }

  function openChat(type: 'llm' | 'rag', branchKey?: string) {
    void run('chat', async () => {
      // A branch's chat follows that branch: its prompt and its off-script rule.
      // Under the key of the same request left unanswered (lib/pendingKeys.ts): opening again
      // after a lost answer shows the chat opened then instead of a second one at the step.
      const thread = await sendOnce(`${profile.id}:create_chat_thread:${execution.id}:${step.key}`, { type, branchKey: branchKey ?? null }, newId(),
        (key) => api.createChatThread(execution.id, step.key, type, branchKey, key));
      setShownThreadId(thread.id);
      focusChat(thread.id);
    });
  }

  function choose(branch: ChatBranch) {
    switch (branch.type) {
      case 'llm': case 'rag': {
        // Each chat branch has a chat of its own (branchChats.ts): the one it opened, or a new one.
        const opened = chatOfBranch(threads, branch);
        if (opened) { setShownThreadId(opened.id); focusChat(opened.id); }
        else openChat(branch.type, branch.key);
        break;
      }
      case 'saved_action': {
        // The CSM confirms the action's form, prefilled with the branch's defaults; the
        // server then runs it and returns to the branch's step.
        const action = actions.find((candidate) => candidate.key === branch.saved_action_key);
        if (action) { onBegin(); setConfirming({ branch, action }); }
        else if (branch.saved_action_key) onRunAction(branch.saved_action_key);
        break;
      }
      case 'fixed':
        void run(branch.key, async () => {
          // Under the key of the same answer left unanswered (lib/pendingKeys.ts): pressed again
          // after a lost answer, the server answers what the first press did.
          const choice = await sendOnce(`${profile.id}:choose_chat_branch:${execution.id}:${step.key}`, { branch: branch.key }, newId(),
            (key) => chooseChatBranch(api, { execution_id: execution.id, step_key: step.key, branch_key: branch.key, idempotency_key: key }));
          onNotice(describeRoute(choice, titleOf) || `${step.title}: done.`);
        });
        break;
      default: break;
    }
  }

  return (
    <section className="panel step-panel" aria-labelledby="step-title">
      <div className="panel-head">
        <div>
          <h2 id="step-title" tabIndex={-1}>{step.title}</h2>
          <div className="sub">
            <StatusBadge status={step.status} />
            {step.type ? <span>{humanize(step.type)}</span> : null}
            {step.started_at ? <span>started {formatDateTime(step.started_at)}</span> : null}
            {step.completed_at ? <span>finished {formatDateTime(step.completed_at)}</span> : null}
            {step.skip_reason ? <span>skipped: {step.skip_reason}</span> : null}
          </div>
        </div>
        {canWrite && inProgress ? (
          <button type="button" className="btn btn-small" onClick={() => void run('complete', () => sendOnce(`${profile.id}:complete_step:${execution.id}:${step.key}`, {}, newId(),
            (key) => api.completeStep(execution.id, step.key, key)))} disabled={busy !== null}>
            {busy === 'complete' ? 'Completing…' : 'Complete step'}
          </button>
        ) : null}
      </div>

      {canWrite && inProgress ? (
        <div className="branches" role="group" aria-label="What would you like to do?">
          {branches.map((branch) => (
            <button key={branch.key} type="button" className={`branch branch-${branch.type}`} onClick={() => choose(branch)} disabled={busy !== null}>
              <span className="branch-label">{branch.label}</span>
              <span className="branch-kind">{branch.type === 'fixed' ? 'Answer and continue' : branch.type === 'saved_action' ? 'Run an action' : branch.type === 'rag' ? 'Ask about history' : 'Chat with the assistant'}</span>
            </button>
          ))}
          {!branches.some((branch) => branch.type === 'llm' || branch.type === 'rag') && !activeThread ? (
            <button type="button" className="branch branch-llm" onClick={() => openChat('llm')} disabled={busy !== null}>
              <span className="branch-label">Open AI chat</span><span className="branch-kind">Chat with the assistant</span>
            </button>
          ) : null}
        </div>
      ) : null}
      <InlineError error={error} />
      <ProposalList handle={proposals} executionId={execution.id} canDecide={canWrite} actions={actions} artifacts={execution.artifacts} renewal={execution.customer}
        onDecided={(result, { proposal, inDialog }) => {
          // A decided proposal leaves the list with its buttons: the notice says what happened and,
          // unless a dialog is still open over the page, takes the focus.
          if (!result) onBegin();
          onNotice(result ? describeResult(result, actions.find((action) => action.key === result.action_key)?.type) : `Rejected: ${proposal.action_name}. Nothing was run.`,
            inDialog ? undefined : { takeFocus: true });
          void onChanged();
        }}
        onDialogClosed={onNoticeFocusIfLost} />

      {threads.length > 1 ? (
        <div className="thread-tabs" role="group" aria-label="Conversations at this step">
          {threads.map((thread, index) => (
            <button key={thread.id} type="button" className={`btn btn-small${thread.id === threadId ? ' btn-primary' : ''}`} aria-pressed={thread.id === threadId} onClick={() => { setShownThreadId(thread.id); setChatFocus(null); }}>
              {tabLabels[index]} <span className="muted">· {thread.status}</span>
            </button>
          ))}
        </div>
      ) : null}
      {threadId ? (
        <ChatPanel key={threadId} threadId={threadId} canWrite={canWrite} focusRequest={chatFocus?.threadId === threadId ? chatFocus.request : 0} artifacts={execution.artifacts} workflowStatus={execution.status} onArtifactsChanged={onArtifactsChanged}
          onProposeAction={(key, params) => {
            // The assistant's proposal is a stored card: open its form; an older chat's suggestion runs as before.
            void (proposals.current?.edit(key) ?? Promise.resolve(false)).then((found) => { if (!found) onRunAction(key, params); });
          }} onThreadCompleted={() => { onBegin(); void onChanged(); }} onWorkChanged={() => void onChanged()} onRefused={() => void onChanged()} />
      ) : inProgress ? null : (
        <p className="muted">{step.status !== 'pending' ? 'No conversation at this step.'
          // The first step has no previous one: it waits for the workflow to be started, and an
          // escalated workflow cannot be started until a manager decides the escalation.
          : execution.steps[0]?.key === step.key ? (execution.status === 'escalated'
            ? 'This step waits for the escalation to be decided; the workflow can be started after that.'
            : 'This step starts when the workflow is started.')
          : 'This step starts when the previous one is done.'}</p>
      )}
      {confirming ? (
        <ActionDialog action={confirming.action} executionId={execution.id} artifacts={execution.artifacts} renewalDate={execution.customer.renewal_date} decisionDate={execution.customer.decision_date}
          proposed={confirming.branch.config?.defaults ?? undefined}
          requestName={`choose_chat_branch:${step.key}:${confirming.branch.key}`}
          submit={async (params, idempotencyKey) => {
            const choice: BranchChoice = await chooseChatBranch(api, {
              execution_id: execution.id, step_key: step.key, branch_key: confirming.branch.key, params, idempotency_key: idempotencyKey,
            });
            const notice = describeRoute(choice, titleOf);
            if (notice) onNotice(notice);
            return { ...choice.action!, replayed: choice.replayed || Boolean(choice.action?.replayed) };
          }}
          onClose={() => setConfirming(null)} onDone={() => void onChanged()} />
      ) : null}
    </section>
  );
}
