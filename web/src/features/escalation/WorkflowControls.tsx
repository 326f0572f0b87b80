// The workflow-level buttons beside Start: Complete (asking first when steps are left, and
// saying how many will be skipped), Record outcome (a renewal's), Wake (snoozed), Reassign
// (managers), Cancel (with a reason). Completing a renewal asks first too: completed without
// its outcome, the renewal stays open and nothing on this page can close it any more.
import { useState } from 'react';
import { isManager, mayWorkOn, useWorkspace } from '../../lib/context.ts';
import type { TeamMember, WorkflowExecution } from '../../lib/types.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import { newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import { escalationApi } from './api.ts';
import { ReasonDialog } from './ReasonDialog.tsx';
import { useNewAssignee } from './useNewAssignee.tsx';
import './escalation.css';
import { canTakeWork } from '../../lib/people.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { closesARenewal, outcomeRecordedNotice, RecordRenewalOutcomeDialog } from '../forecast/RecordRenewalOutcome.tsx';

type Open = 'complete' | 'complete-renewal' | 'outcome' | 'reassign' | 'cancel' | null;

export function WorkflowControls({ execution, onChanged, onError, onRefused }: {
  execution: WorkflowExecution;
  onChanged: (notice: string) => void;
  onError: (error: unknown) => void;
  /** A dialog's refusal (said in the dialog): the page may load the workflow anew behind it. */
  onRefused?: (error: unknown) => void;
}) {
  const { api, profile } = useWorkspace();
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const manager = isManager(profile);
  const works = mayWorkOn(profile, execution.assignee_id);
  const team = useAsync(async () => (manager ? api.listTeamMembers() : [] as TeamMember[]), [api, manager]);
  const candidates = (team.data ?? []).filter((member) => canTakeWork(member) && member.id !== execution.assignee_id);
  const { assignee, field: assigneeField, check: checkAssignee, reset: resetAssignee } = useNewAssignee(candidates, { autoFocus: true });
  if (!works) return null;
  const calls = escalationApi(api.client);
  const left = execution.steps.filter((step) => step.status === 'pending' || step.status === 'in_progress');
  const status = execution.status;
  const renewal = closesARenewal(execution);

  // Each press goes under the key of the same press left unanswered (pendingKeys.sendOnce):
  // pressed again after a lost answer, the server answers what the first did instead of
  // refusing a workflow that is completed or awake already.
  const complete = (skipReason: string | null) => sendOnce(`${profile.id}:complete_workflow:${execution.id}`, { skipReason }, newId(),
    (key) => calls.complete(execution.id, skipReason, key));
  const wake = () => sendOnce(`${profile.id}:wake_workflow:${execution.id}`, {}, newId(), (key) => calls.wake(execution.id, key));

  async function now(work: () => Promise<unknown>, notice: string) {
    if (busy) return;
    setBusy(true);
    try {
      await work();
      onChanged(notice);
    } catch (caught) {
      onError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {status === 'in_progress' ? (
        <button type="button" className="btn" disabled={busy}
          onClick={() => {
            if (left.length > 0) setOpen('complete');
            else if (renewal) setOpen('complete-renewal');
            else void now(() => complete(null), 'Workflow completed.');
          }}>
          Complete workflow
        </button>
      ) : null}
      {renewal ? <button type="button" className="btn" disabled={busy} onClick={() => setOpen('outcome')}>Record outcome</button> : null}
      {status === 'snoozed' ? (
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void now(() => wake(), 'Woken: the workflow is back in the queue.')}>
          Wake now
        </button>
      ) : null}
      {manager && ['queued', 'in_progress', 'snoozed'].includes(status) ? (
        <button type="button" className="btn" disabled={busy} onClick={() => { resetAssignee(); setOpen('reassign'); }}>Reassign</button>
      ) : null}
      {['queued', 'in_progress', 'snoozed'].includes(status) ? (
        <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => setOpen('cancel')}>Cancel workflow</button>
      ) : null}

      {open === 'complete' ? (
        <ReasonDialog title="Complete with steps left?" label="Why the remaining steps are not needed" missingMessage="Say why the remaining steps are not needed." submitLabel={`Skip ${left.length} and complete`}
          intro={(
            <>
              <p><strong>{left.length} {left.length === 1 ? 'step is' : 'steps are'} not done</strong> and will be marked skipped:</p>
              <ul className="esc-steps">{left.map((step) => <li key={step.key}>{step.title}</li>)}</ul>
              {renewal ? <RenewalStaysOpen onRecord={() => setOpen('outcome')} /> : null}
            </>
          )}
          onClose={() => setOpen(null)} onRefused={onRefused}
          onSubmit={async (reason) => {
            const result = await complete(reason);
            setOpen(null);
            onChanged(result.status === 'skipped' ? `Nothing was done, so the workflow is marked skipped.`
              : `Workflow completed: ${result.steps_done ?? 0} done, ${result.steps_skipped ?? left.length} skipped.`);
          }} />
      ) : null}
      {open === 'complete-renewal' ? (
        <Dialog title="Complete without an outcome?" onClose={() => setOpen(null)}
          footer={(
            <>
              <button type="button" className="btn" onClick={() => setOpen(null)}>Cancel</button>
              <button type="button" className="btn" disabled={busy}
                onClick={() => { setOpen(null); void now(() => complete(null), 'Workflow completed. The renewal stays open: its outcome is not recorded.'); }}>
                Complete without an outcome
              </button>
            </>
          )}>
          <RenewalStaysOpen onRecord={() => setOpen('outcome')} />
        </Dialog>
      ) : null}
      {open === 'outcome' ? (
        <RecordRenewalOutcomeDialog execution={execution} onClose={() => setOpen(null)}
          onRecorded={(said) => { setOpen(null); onChanged(outcomeRecordedNotice(said)); }} />
      ) : null}
      {open === 'reassign' ? (
        <ReasonDialog title="Reassign the workflow" label="Reason" missingMessage="Give a reason; the new owner sees it." submitLabel="Reassign"
          intro={<p>The new assignee takes over the workflow and its open tasks; both of you are notified.</p>}
          check={checkAssignee}
          onClose={() => setOpen(null)} onRefused={onRefused}
          onSubmit={async (reason) => {
            // Under the key of the same reassignment left unanswered: sent again after a lost
            // answer, the server answers the one it made, with its words.
            await sendOnce(`${profile.id}:reassign_workflow:${execution.id}`, { assignee, reason }, newId(),
              (key) => calls.reassign(execution.id, assignee, reason, key));
            setOpen(null);
            onChanged(`Reassigned to ${(team.data ?? []).find((member) => member.id === assignee)?.full_name ?? 'the new assignee'}.`);
          }}>
          {assigneeField}
        </ReasonDialog>
      ) : null}
      {open === 'cancel' ? (
        <ReasonDialog title="Cancel the workflow" label="Reason" missingMessage="Say why the workflow is cancelled." submitLabel="Cancel workflow" danger
          intro={<p>A cancelled workflow leaves the queue for good; the reason stays in its history. Its email not sent
            yet (waiting for a retry, or failed) is cancelled too: Sent mail shows it cancelled.</p>}
          onClose={() => setOpen(null)} onRefused={onRefused}
          onSubmit={async (reason) => {
            await sendOnce(`${profile.id}:cancel_workflow:${execution.id}`, { reason }, newId(),
              (key) => calls.cancel(execution.id, reason, key));
            setOpen(null);
            onChanged('Workflow cancelled.');
          }} />
      ) : null}
    </>
  );
}

/** What completing a renewal's workflow leaves undone, with the way to do it instead. */
function RenewalStaysOpen({ onRecord }: { onRecord: () => void }) {
  return (
    <div className="renewal-stays-open">
      <p>Completing this workflow does not record how the renewal ended: it stays open, at today&rsquo;s ARR, and
        the Forecast page can close it only once its decision date has passed. <strong>Record outcome</strong> (renewed,
        downgraded or churned) closes the renewal and completes this workflow in one step.</p>
      <button type="button" className="btn btn-primary" onClick={onRecord}>Record outcome</button>
    </div>
  );
}
