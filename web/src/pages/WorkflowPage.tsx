// One workflow: steps on the left, the selected step with its chat in the middle, the
// customer's context on the right; artifacts, tasks and activity below.
import { useEffect, useMemo, useRef, useState } from 'react';
import { canAct, DraftsWritable, mayWorkOn, useWorkspace } from '../lib/context.ts';
import { sendOnce } from '../lib/pendingKeys.ts';
import { newId } from '../lib/format.ts';
import { paths, useRevisit } from '../lib/router.ts';
import { ApiError } from '../lib/errors.ts';
import type { ActionResult, Artifact, SavedAction, WorkflowExecution } from '../lib/types.ts';
import { usePreferences } from '../app/PreferencesProvider.tsx';
import { ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { ActionNotice, useActionNotice } from '../components/ActionNotice.tsx';
import { WorkflowHeader } from '../features/workflow/WorkflowHeader.tsx';
import { StepList } from '../features/workflow/StepList.tsx';
import { StepPanel } from '../features/workflow/StepPanel.tsx';
import { ActivitySection, ArtifactsSection, WorkSection } from '../features/workflow/WorkflowExtras.tsx';
import { OPEN_STATUSES, useExecution } from '../features/workflow/useExecution.ts';
import { ContextPanel, useCustomerContext } from '../features/context/ContextPanel.tsx';
import { KnownContactsOf, knownContactsOf } from '../features/artifacts/knownContacts.ts';
import { ActionsBar } from '../features/actions/ActionsBar.tsx';
import { EscalationBanner } from '../features/escalation/EscalationBanner.tsx';
import { EscalationDecision } from '../features/escalation/EscalationDecision.tsx';
import { WorkflowControls } from '../features/escalation/WorkflowControls.tsx';
import { NextItem } from '../features/queue/NextItem.tsx';
import { ActionDialog, describeResult } from '../features/actions/ActionDialog.tsx';

function defaultStepKey(execution: WorkflowExecution): string | null {
  return execution.current_step?.key
    ?? execution.steps.find((step) => step.status === 'in_progress')?.key
    ?? execution.steps.find((step) => step.status === 'pending')?.key
    ?? execution.steps.at(-1)?.key ?? null;
}

export function WorkflowPage({ executionId }: { executionId: string }) {
  const { api, profile } = useWorkspace();
  const { preferences, update: updatePreferences } = usePreferences();
  const autoAdvance = preferences.workflow.autoAdvanceSteps;
  const contextCollapsed = preferences.ui.sidebarCollapsed;
  const { execution, actions } = useExecution(executionId);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [running, setRunning] = useState<{ action: SavedAction; params?: Record<string, unknown> } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // What the last action did; the next action replaces or clears it (components/ActionNotice.tsx).
  const notice = useActionNotice();
  const [contextKey, setContextKey] = useState(0);
  const customerContext = useCustomerContext(executionId, contextKey);
  const knownContacts = useMemo(() => (customerContext.data ? knownContactsOf(customerContext.data) : null), [customerContext.data]);
  const data = execution.data;

  /** The workflow as it is now, with its customer's context: after a change here or elsewhere. */
  function reloadAll() {
    void execution.reload();
    setContextKey((key) => key + 1);
  }
  // Its notification clicked while the workflow is shown (returned with guidance, reassigned):
  // the page shows what changed instead of staying as it was, and the last action's notice and
  // error ("Escalated. The manager has been notified.") go, as they no longer say how things are.
  useRevisit(() => {
    notice.clear();
    setError(null);
    reloadAll();
  });
  const currentKey = data ? defaultStepKey(data) : null;

  // Follow the workflow to its current step when it moves on: at once with the auto-advance
  // preference, otherwise only on opening (the finished step stays open with a link onward).
  useEffect(() => {
    setSelectedKey((selected) => (autoAdvance || selected === null ? currentKey : selected));
  }, [currentKey]); // eslint-disable-line react-hooks/exhaustive-deps -- the preference applies to the next move

  const step = data ? data.steps.find((candidate) => candidate.key === selectedKey) ?? data.steps[0] : undefined;
  // A step finished — completed, or skipped (Skip Step says "the workflow moved on") — offers the way to the one being worked.
  const finished = step?.status === 'completed' || step?.status === 'skipped';
  const nextStep = data && step && currentKey && currentKey !== step.key && finished && data.status === 'in_progress'
    ? data.steps.find((candidate) => candidate.key === currentKey) : undefined;

  // When the step shown moves on (Complete step, Go to the next step, a fixed answer), the
  // control that was used is gone or was disabled: the focus goes to what comes next — the
  // "Go to the next step" button, else the step now shown — never to the top of the page.
  // Opening the page is not such a move.
  const nextButton = useRef<HTMLButtonElement>(null);
  const lastPlace = useRef<string | null>(null);
  const place = data && step ? `${step.key}:${step.status}:${nextStep?.key ?? ''}` : null;
  useEffect(() => {
    if (place === null) return;
    const before = lastPlace.current;
    lastPlace.current = place;
    if (before === null || before === place) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    (nextButton.current ?? document.getElementById('step-title'))?.focus();
  }, [place]);

  // The context panel loads beside the workflow, not after it.
  if (execution.error && !data) {
    return <ErrorState error={execution.error} title="This workflow could not be opened" onRetry={() => void execution.reload()}
      notFound={{ text: 'There is no workflow at this address: it may have been mistyped, or it belongs to another organisation.', href: paths.queue, label: 'Back to the queue' }} />;
  }

  // A colleague's workflow is read here, not changed: none of what the server would refuse is offered.
  const writer = data ? mayWorkOn(profile, data.assignee_id) : canAct(profile);
  const colleagues = Boolean(data) && canAct(profile) && !writer;
  const open = data ? OPEN_STATUSES.has(data.status) : false;

  /** An action starts: the last one's notice and error no longer apply. */
  function begin() {
    notice.clear();
    setError(null);
  }

  /**
   * A refusal because the workflow is not as shown (409: decided, woken, completed or changed
   * elsewhere) loads it anew, so the page stops offering what was refused; the reason stays.
   */
  function reloadIfStale(caught: unknown) {
    if (caught instanceof ApiError && caught.isConflict) reloadAll();
  }

  function fail(caught: unknown) {
    notice.clear();
    setError(caught);
    reloadIfStale(caught);
  }

  async function act(label: string, work: () => Promise<unknown>) {
    if (busy || !data) return;
    setBusy(label);
    begin();
    try {
      await work();
      await execution.reload();
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(null);
    }
  }

  async function start(executionId: string) {
    // Under the key of the same Start left unanswered: pressed again after a lost answer, the
    // server answers the start it made instead of 'it is already in progress'.
    await act('start', () => sendOnce(`${profile.id}:start_workflow:${executionId}`, {}, newId(), (key) => api.startWorkflow(executionId, key)));
    // The Start button is gone once started (or disabled if it failed): a focus left on
    // nothing goes to the step now being worked, not back to the top of the page.
    if (document.activeElement === document.body) document.getElementById('step-title')?.focus();
  }

  function openAction(action: SavedAction, params?: Record<string, unknown>) {
    begin();
    setRunning({ action, params });
    // Its form offers what the workflow holds now: a draft a manager approved since the page
    // opened, not "… is not approved yet".
    void execution.reload();
  }

  function runAction(key: string, params?: Record<string, unknown>) {
    const action = (actions.data ?? []).find((candidate) => candidate.key === key);
    if (action) openAction(action, params);
    else fail(new Error(`The action “${key}” is not available.`));
  }

  // An edit, an approval or a new draft is a later action: the last notice no longer applies.
  function artifactChanged(artifact?: Artifact) {
    notice.clear();
    // Shown at once; a new draft is listed as the execution lists one (never sent, written
    // by its creator). The reload then brings what only the list works out — who wrote the
    // text after an edit (written_by), where its email is (send_state).
    if (artifact) execution.setData((current) => current && ({ ...current, artifacts: current.artifacts.some((a) => a.id === artifact.id) ? current.artifacts.map((a) => (a.id === artifact.id ? { ...a, ...artifact } : a)) : [{ send_state: null, written_by: artifact.created_by ?? null, ...artifact }, ...current.artifacts] }));
    void execution.reload();
  }

  function actionDone(result: ActionResult, actionType?: string) {
    notice.show(describeResult(result, actionType));
    reloadAll();
  }

  return (
    <DraftsWritable.Provider value={writer}>
      <KnownContactsOf.Provider value={knownContacts}>
      <div className="workflow">
        {data ? (
          <WorkflowHeader execution={data}>
            <button type="button" className="btn btn-ghost" aria-pressed={!contextCollapsed}
              onClick={() => void updatePreferences('ui', { sidebarCollapsed: !contextCollapsed }).catch(setError)}>
              {contextCollapsed ? 'Show customer context' : 'Hide customer context'}
            </button>
            {writer && data.status === 'queued' ? (
              <button type="button" className="btn btn-primary" onClick={() => void start(data.id)} disabled={busy !== null}>
                {busy === 'start' ? 'Starting…' : 'Start workflow'}
              </button>
            ) : null}
            <WorkflowControls execution={data} onError={fail} onRefused={reloadIfStale}
              onChanged={(text) => { setError(null); notice.show(text, { takeFocus: true }); reloadAll(); }} />
          </WorkflowHeader>
        ) : null}
        {data && data.status === 'escalated' ? (
          <EscalationBanner execution={data} onChanged={(text) => { notice.show(text, { takeFocus: true }); void execution.reload(); }} onStale={fail} />
        ) : null}
        {/* Once decided, the manager's guidance (or note) stays on the workflow it is for. */}
        {data && data.status !== 'escalated' ? <EscalationDecision execution={data} /> : null}
        {colleagues ? <p className="notice" role="note">You are reading a colleague’s workflow: only its CSM, a manager or an admin can change it.</p> : null}
        {/* Escalated is a hold: no actions (and so no second escalation) until it is decided. */}
        {data && writer && open && data.status !== 'escalated' ? <ActionsBar actions={actions.data ?? []} status={data.status} onRun={(action) => openAction(action)} disabled={busy !== null} /> : null}
        <ActionNotice notice={notice} />
        {data && canAct(profile) && (data.status === 'completed' || data.status === 'completed_with_pending_tasks' || data.status === 'skipped') ? <NextItem finishedId={data.id} /> : null}
        <InlineError error={error} />

        <div className={contextCollapsed ? 'wf-grid wf-grid-context-collapsed' : 'wf-grid'}>
          {data ? <StepList steps={data.steps} selectedKey={step?.key ?? null} onSelect={setSelectedKey} /> : <div />}
          <div className="wf-main">
            {!data ? <LoadingState label="Opening the workflow…" rows={4} /> : null}
            {data && data.status === 'queued' ? (
              <div className="panel start-card">
                <h2>Ready when you are</h2>
                <p className="muted">Start the workflow to begin its first step{data.steps[0] ? `: “${data.steps[0].title}”` : ''}. The assistant already knows this customer.</p>
              </div>
            ) : null}
            {nextStep ? (
              <p className="notice" role="status">
                {step?.status === 'skipped' ? 'Step skipped.' : 'Step done.'}{' '}
                <button ref={nextButton} type="button" className="btn btn-small btn-primary btn-wrap" onClick={() => setSelectedKey(nextStep.key)}>Go to the next step: {nextStep.title}</button>
              </p>
            ) : null}
            {data && step ? (
              <StepPanel key={step.key} execution={data} step={step} canWrite={writer && (data.status === 'in_progress' || data.status === 'escalated')}
                onChanged={() => execution.reload()} onArtifactsChanged={artifactChanged} onRunAction={runAction} onBegin={begin} onNotice={notice.show} onNoticeFocusIfLost={notice.focusIfLost} actions={actions.data ?? []} />
            ) : null}
            {data && !step ? <p className="muted">This workflow has no steps.</p> : null}
            {data ? <ArtifactsSection artifacts={data.artifacts} onChanged={artifactChanged} workflowStatus={data.status} /> : null}
            {data ? <WorkSection execution={data} showCompletedTasks={preferences.workflow.showCompletedTasks} /> : null}
            {data ? <ActivitySection execution={data} /> : null}
          </div>
          {contextCollapsed ? null : <ContextPanel context={customerContext} />}
        </div>

        {running && data ? (
          <ActionDialog action={running.action} executionId={data.id} artifacts={data.artifacts} proposed={running.params} renewalDate={data.customer.renewal_date} decisionDate={data.customer.decision_date} onRefused={reloadIfStale}
            onClose={() => { setRunning(null); notice.focusIfLost(); }} onDone={(result) => actionDone(result, running.action.type)} />
        ) : null}
      </div>
      </KnownContactsOf.Provider>
    </DraftsWritable.Provider>
  );
}
