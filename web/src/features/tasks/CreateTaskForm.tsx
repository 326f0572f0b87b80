// A new task: title, details (its description, optional), customer (unless given), due date,
// priority, and — for managers and admins — who does it. Says the task's title once created. A task whose answer was lost and
// that is sent again (here, after a reload, or from another tab) goes under the same
// idempotency key (lib/pendingKeys.ts), so it is made once. Its title and details, typed and
// not yet created, are kept for the tab (useKeptText) under the person and the customer, as the
// chat's message is: opening the customer mid-task and coming back, or a reload, finds them
// there (the pages open the form again when hasTaskDraft says so); created or cancelled, they go.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { isManager, useWorkspace } from '../../lib/context.ts';
import { InlineError } from '../../components/States.tsx';
import { FormButtons } from '../../components/FormButtons.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import { FieldError, FormField, describedBy } from '../../components/FieldError.tsx';
import { DateInput } from '../../components/DateInput.tsx';
import { customerApi } from '../customers/api.ts';
import { useCustomerSearch } from './useCustomerSearch.ts';
import { useTeamMembers } from '../queue/useTeamMembers.ts';
import { useTaskOptions } from '../actions/lookups.ts';
import type { Task } from '../../lib/types.ts';
import { dayIn, formatCalendarDay, newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import { dueDateProblem, dueDateRefusal } from './dueDate.ts';
import { choiceName, canTakeWork } from '../../lib/people.ts';
import { useKeptText } from '../../hooks/useKeptText.ts';
import { keptText } from '../../lib/unsentText.ts';

/** The day `days` from now in the organisation's time zone (the quick dates). */
function inDays(days: number, timeZone: string): string {
  return dayIn(new Date(Date.now() + days * 86_400_000), timeZone);
}

/** Where a new task's unsent text is kept: per person, and per customer (none: the Tasks page's form). */
function taskDraftKeys(profileId: string, customerId: string | undefined) {
  const base = `${profileId}:task:${customerId ?? 'any'}`;
  return { title: `${base}:title`, details: `${base}:details` };
}

/** Whether a new task was typed and not yet created here: the page opens its form again to show it. */
export function hasTaskDraft(profileId: string, customerId: string | undefined): boolean {
  const keys = taskDraftKeys(profileId, customerId);
  return keptText(keys.title) !== '' || keptText(keys.details) !== '';
}

interface Props {
  /** Fixed customer (the customer page); otherwise the form asks for one. */
  customer?: { id: string; name: string };
  onCreated: (task: Task, message: string) => void;
  onCancel?: () => void;
}

export function CreateTaskForm({ customer, onCreated, onCancel }: Props) {
  const { api, profile } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  const team = useTeamMembers('reassign');
  const options = useTaskOptions();
  const draftKeys = taskDraftKeys(profile.id, customer?.id);
  const [title, setTitle] = useKeptText(draftKeys.title);
  const [details, setDetails] = useKeptText(draftKeys.details);
  const [due, setDue] = useState(inDays(2, profile.time_zone));
  const [priority, setPriority] = useState('medium');
  const [assignee, setAssignee] = useState('');
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(customer ?? null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // A title or customer left out, or a due day gone, is said beside its field
  // (useFieldProblem), as is the server's refusal of the due date. The form opens with the
  // focus in its first field (its button went away).
  const problem = useFieldProblem<'title' | 'customer' | 'due'>();
  const titleInput = useRef<HTMLInputElement>(null);
  const customerInput = useRef<HTMLInputElement>(null);
  const dueInput = useRef<HTMLInputElement>(null);
  useEffect(() => { titleInput.current?.focus(); }, []);

  const search = useCustomerSearch(
    async (text) => (await calls.listCustomers({ search: text, page_size: 8, sort: 'name' })).items, setError);

  function find(text: string) {
    setQuery(text);
    setChosen(null);
    problem.changed('customer');
    void search.find(text);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!title.trim()) { problem.show('title', 'Give the task a title.', titleInput.current); return; }
    if (!chosen) { problem.show('customer', 'Choose the customer the task is for.', customerInput.current); return; }
    const dueProblem = dueDateProblem(due, profile.time_zone);
    if (dueProblem) { problem.show('due', dueProblem, dueInput.current); return; }
    problem.clear();
    setBusy(true);
    setError(null);
    try {
      const request = {
        title: title.trim(), customer_id: chosen.id, priority,
        description: details.trim() || null,
        // The day alone: the server reads it as that day (17:00) in the organisation's time zone.
        due_date: due || null,
        assigned_to: assignee || null,
      };
      const task = await sendOnce(`${profile.id}:create_task`, request, newId(),
        (key) => calls.createTask({ ...request, idempotency_key: key }));
      onCreated(task, `Task “${task.title ?? title.trim()}” created for ${chosen.name}${due ? `, due ${formatCalendarDay(due)}` : ''}.`);
      setTitle('');
      setDetails('');
    } catch (caught) {
      const refusal = dueDateRefusal(caught);
      if (refusal) problem.show('due', refusal, dueInput.current);
      else setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form create-task" onSubmit={(event) => void submit(event)} aria-label="New task" noValidate>
      <div className="field">
        <label htmlFor="task-title">Title</label>
        <input ref={titleInput} id="task-title" value={title} onChange={(event) => { setTitle(event.target.value); problem.changed('title'); }}
          maxLength={200} placeholder="e.g. Send the 2-year renewal option" {...describedBy(['task-title-error', problem.of('title')])} />
        <FieldError id="task-title-error" message={problem.of('title')} />
      </div>
      <label className="field"><span>Details <span className="field-hint">(optional)</span></span>
        <textarea rows={3} value={details} onChange={(event) => setDetails(event.target.value)}
          placeholder="What to do, for whom, anything to bring" /></label>
      {customer ? null : (
        <div className="field">
          <label htmlFor="task-customer">Customer</label>
          <input ref={customerInput} id="task-customer" type="search" value={chosen ? chosen.name : query} onChange={(event) => find(event.target.value)}
            placeholder="Type a customer's name" autoComplete="off" aria-describedby={problem.of('customer') ? 'task-customer-hint task-customer-error' : 'task-customer-hint'}
            aria-invalid={problem.of('customer') ? true : undefined} />
          <span id="task-customer-hint" className="field-hint">{chosen ? `For ${chosen.name}` : 'Type two letters, then pick one.'}</span>
          <FieldError id="task-customer-error" message={problem.of('customer')} />
          {!chosen && search.matches.length > 0 ? (
            <ul className="item-list" aria-label="Matching customers">
              {search.matches.map((match) => (
                <li key={match.id}><button type="button" className="btn btn-ghost btn-small" onClick={() => { setChosen({ id: match.id, name: match.name }); search.clear(); problem.clear(); }}>{match.name}</button>
                  <span className="sub">{match.domain}</span></li>
              ))}
            </ul>
          ) : null}
          {!chosen && search.answeredFor !== null && search.answeredFor === query.trim() && search.matches.length === 0 ? (
            <p className="small muted" role="status">No customer matches “{search.answeredFor}”. Check the spelling, or look it up on Customers.</p>
          ) : null}
        </div>
      )}
      <div className="field-row">
        <FormField label="Due" error={problem.of('due')}>
          {(control) => <DateInput {...control} ref={dueInput} value={due} min={inDays(0, profile.time_zone)}
            onChange={(event) => { setDue(event.target.value); problem.changed('due'); }} />}
        </FormField>
        <label className="field"><span>Priority</span>
          <select value={priority} onChange={(event) => setPriority(event.target.value)}>
            {(options.data?.priorities ?? [{ key: priority, label: priority }]).map((option) => <option key={option.key} value={option.key}>{option.label}</option>)}
          </select></label>
        {isManager(profile) ? (
          <label className="field"><span>For</span>
            <select value={assignee} onChange={(event) => setAssignee(event.target.value)}>
              <option value="">Me</option>
              {(team.data ?? []).filter((member) => member.id !== profile.id && canTakeWork(member)).map((member) => <option key={member.id} value={member.id}>{choiceName(member)}</option>)}
            </select></label>
        ) : null}
      </div>
      <FormButtons cancel={onCancel ? <button type="button" className="btn btn-ghost" onClick={() => { setTitle(''); setDetails(''); onCancel(); }}>Cancel</button> : null}>
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Creating…' : 'Create task'}</button>
      </FormButtons>
      <InlineError error={error} />
    </form>
  );
}
