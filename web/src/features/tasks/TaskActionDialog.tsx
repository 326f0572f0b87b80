// The forms behind a task's skip, snooze and reassign buttons.
import { useRef, useState, type FormEvent } from 'react';
import type { Task, TeamMember } from '../../lib/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { InlineError } from '../../components/States.tsx';
import { FormField } from '../../components/FieldError.tsx';
import { DateInput } from '../../components/DateInput.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import { choiceName, canTakeWork } from '../../lib/people.ts';

export type TaskAction = 'skip' | 'snooze' | 'reassign';

interface Props {
  task: Task;
  action: TaskAction;
  team: TeamMember[];
  onClose: () => void;
  onSubmit: (params: Record<string, unknown>) => Promise<void>;
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export function TaskActionDialog({ task, action, team, onClose, onSubmit }: Props) {
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(inDays(2));
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A field left empty is said beside it (useFieldProblem).
  const problem = useFieldProblem<'reason' | 'assignee'>();
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  const assigneeSelect = useRef<HTMLSelectElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (action === 'reassign' && !assignee) { problem.show('assignee', 'Choose who takes the task over.', assigneeSelect.current); return; }
    if (action !== 'snooze' && !reason.trim()) { problem.show('reason', action === 'skip' ? 'Say why the task is skipped.' : 'Say why the task changes hands.', reasonBox.current); return; }
    problem.clear();
    setBusy(true);
    setError(null);
    try {
      const params = action === 'skip' ? { reason: reason.trim() }
        : action === 'snooze' ? { until: new Date(`${until}T09:00:00`).toISOString() }
          : { assignee_id: assignee, reason: reason.trim() };
      await onSubmit(params);
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const title = action === 'skip' ? 'Skip task' : action === 'snooze' ? 'Snooze task' : 'Reassign task';
  return (
    <Dialog title={title} onClose={onClose} footer={(
      <>
        <button type="button" className="btn btn-ghost" onClick={onClose}>Cancel</button>
        <button type="submit" form="task-action-form" className="btn btn-primary" disabled={busy}>{busy ? 'Saving…' : title}</button>
      </>
    )}>
      <p className="muted">{task.title}</p>
      <form id="task-action-form" className="form" onSubmit={(event) => void submit(event)} noValidate>
        {action === 'snooze' ? (
          <FormField label={<>Snooze until <span className="field-hint">(at most 7 days after the first snooze)</span></>}>
            {(control) => <DateInput {...control} required value={until} min={inDays(1)} max={inDays(7)} onChange={(event) => setUntil(event.target.value)} data-autofocus />}
          </FormField>
        ) : null}
        {action === 'reassign' ? (
          <FormField label="New owner" error={problem.of('assignee')}>
            {(control) => (
              <select ref={assigneeSelect} {...control} required value={assignee} data-autofocus
                onChange={(event) => { setAssignee(event.target.value); problem.changed('assignee'); }}>
                <option value="">Choose a person…</option>
                {team.filter((member) => member.id !== task.assigned_to && canTakeWork(member)).map((member) => <option key={member.id} value={member.id}>{choiceName(member)}</option>)}
              </select>
            )}
          </FormField>
        ) : null}
        {action !== 'snooze' ? (
          <FormField label="Reason" error={problem.of('reason')}>
            {(control) => <textarea ref={reasonBox} {...control} rows={3} required value={reason}
              onChange={(event) => { setReason(event.target.value); problem.changed('reason'); }} />}
          </FormField>
        ) : null}
      </form>
      <InlineError error={error} />
    </Dialog>
  );
}
