// A manager decides an escalation: return it with guidance, reassign it to another CSM, or
// close it (the workflow is cancelled). The note goes to the people concerned.
import { useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import type { TeamMember } from '../../lib/types.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import { escalationApi, type Decision } from './api.ts';
import { ReasonDialog } from './ReasonDialog.tsx';
import { useNewAssignee } from './useNewAssignee.tsx';
import { canTakeWork } from '../../lib/people.ts';

interface Props {
  executionId: string;
  customerName: string;
  assigneeId: string | null;
  assigneeName: string | null;
  reason: string | null;
  onClose: () => void;
  onResolved: (decision: Decision, text: string) => void;
}

const NOTE_LABEL: Record<Decision, string> = {
  return: 'Guidance for the assignee',
  reassign: 'Note for both of them',
  close: 'Reason for closing',
};
const NOTE_MISSING: Record<Decision, string> = {
  return: 'Write your guidance for the assignee.',
  reassign: 'Write a note for both of them.',
  close: 'Say why the workflow is closed.',
};

export function ResolveDialog({ executionId, customerName, assigneeId, assigneeName, reason, onClose, onResolved }: Props) {
  const { api, profile } = useWorkspace();
  const [decision, setDecision] = useState<Decision>('return');
  const team = useAsync(() => api.listTeamMembers(), [api]);
  const candidates = (team.data ?? []).filter((member: TeamMember) => canTakeWork(member) && member.id !== assigneeId);
  const { assignee: newAssignee, field: newAssigneeField, check: checkNewAssignee } = useNewAssignee(candidates);

  return (
    <ReasonDialog title={`Resolve the escalation · ${customerName}`} label={NOTE_LABEL[decision]} missingMessage={NOTE_MISSING[decision]}
      submitLabel={decision === 'return' ? 'Return with guidance' : decision === 'reassign' ? 'Reassign' : 'Close the workflow'}
      danger={decision === 'close'}
      intro={reason ? <p><strong>{assigneeName ?? 'The assignee'}</strong> escalated: “{reason}”</p> : null}
      check={() => decision !== 'reassign' || checkNewAssignee()}
      onClose={onClose}
      onSubmit={async (note) => {
        const assignee = decision === 'reassign' ? newAssignee : null;
        // Under the key of the same decision left unanswered: sent again after a lost answer, the
        // server answers the one it made, not 'no open escalation'.
        await sendOnce(`${profile.id}:resolve_escalation:${executionId}`, { decision, note, assignee }, newId(),
          (key) => escalationApi(api.client).resolve(executionId, decision, note, assignee, key));
        const who = candidates.find((member) => member.id === newAssignee)?.full_name;
        onResolved(decision, decision === 'return' ? `Returned to ${assigneeName ?? 'the assignee'} with your guidance.`
          : decision === 'reassign' ? `Reassigned to ${who ?? 'the new assignee'}.` : 'The workflow is closed (cancelled).');
      }}>
      <fieldset className="esc-decisions">
        <legend>Decision</legend>
        <label className="field-inline"><input type="radio" name="decision" value="return" checked={decision === 'return'} onChange={() => setDecision('return')} data-autofocus /> Return to {assigneeName ?? 'the assignee'} with guidance</label>
        <label className="field-inline"><input type="radio" name="decision" value="reassign" checked={decision === 'reassign'} onChange={() => setDecision('reassign')} /> Reassign to another CSM</label>
        <label className="field-inline"><input type="radio" name="decision" value="close" checked={decision === 'close'} onChange={() => setDecision('close')} /> Close the workflow</label>
      </fieldset>
      {decision === 'reassign' ? newAssigneeField : null}
      {decision === 'close' ? <p>The workflow is cancelled. Its email not sent yet, waiting for this decision, is cancelled too.</p> : null}
    </ReasonDialog>
  );
}
