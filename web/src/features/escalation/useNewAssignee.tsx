// Who takes a workflow over, as Reassign and an escalation's "Reassign to another CSM" ask for
// it: a person not chosen is said beside the list, which takes the focus (as every form of the
// app, hooks/useFieldProblem.ts), rather than at the dialog's foot with the focus left on the
// button; choosing someone clears it.
import { useRef, useState } from 'react';
import { FormField } from '../../components/FieldError.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import type { TeamMember } from '../../lib/types.ts';
import { choiceName } from '../../lib/people.ts';

export function useNewAssignee(candidates: TeamMember[], {
  autoFocus = false, label = 'New assignee', missing = 'Choose who takes the workflow over.',
}: { autoFocus?: boolean; label?: string; missing?: string } = {}) {
  const [assignee, setAssignee] = useState('');
  const problem = useFieldProblem<'assignee'>();
  const list = useRef<HTMLSelectElement>(null);

  /** Says the problem beside the list and returns false; true when someone is chosen. */
  function check(): boolean {
    if (assignee) return true;
    problem.show('assignee', missing, list.current);
    return false;
  }

  const field = (
    <FormField label={label} error={problem.of('assignee')}>
      {(control) => (
        <select ref={list} {...control} value={assignee} data-autofocus={autoFocus || undefined}
          onChange={(event) => { setAssignee(event.target.value); problem.changed('assignee'); }}>
          <option value="">Choose a person…</option>
          {candidates.map((member) => <option key={member.id} value={member.id}>{choiceName(member)}{member.title ? ` — ${member.title}` : ''}</option>)}
        </select>
      )}
    </FormField>
  );
  /** A dialog opened anew starts with no one chosen and nothing said. */
  function reset() {
    setAssignee('');
    problem.clear();
  }
  return { assignee, field, check, reset };
}
