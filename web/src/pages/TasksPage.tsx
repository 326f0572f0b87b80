// Tasks: views Today / Overdue / This week / Snoozed (with until) / To do / Completed /
// Skipped / All, filtered by priority and sorted by due date, priority or age, each with its
// customer (linked to the customer page). Managers can switch to their team's tasks.
// Create a task here (with its customer and due date); complete, skip, snooze or hand over.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useReturnFocus } from '../hooks/useReturnFocus.ts';
import { bringIntoStrip, useSideOverflow } from '../hooks/useSideOverflow.ts';
import { canAct, isManager, useWorkspace } from '../lib/context.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { formatDate, humanize, newId } from '../lib/format.ts';
import { sendOnce } from '../lib/pendingKeys.ts';
import { ApiError } from '../lib/errors.ts';
import { paths, useRevisit } from '../lib/router.ts';
import { Link } from '../components/Link.tsx';
import { PartsLine } from '../components/PartsLine.tsx';
import { TaskDescription } from '../features/tasks/TaskDescription.tsx';
import { TaskAgent } from '../features/tasks/TaskAgent.tsx';
import { Badge, StatusBadge } from '../components/Badges.tsx';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { ActionNotice, useActionNotice } from '../components/ActionNotice.tsx';
import { TaskActionDialog, type TaskAction } from '../features/tasks/TaskActionDialog.tsx';
import { CreateTaskForm, hasTaskDraft } from '../features/tasks/CreateTaskForm.tsx';
import { customerApi, type TaskRow } from '../features/customers/api.ts';
import { useTeamMembers } from '../features/queue/useTeamMembers.ts';
import { useTaskOptions } from '../features/actions/lookups.ts';
import '../features/customers/customers.css';

/** What a task action did, in words: "“Call the CFO” snoozed until 9 Dec 2026." */
export function taskDone(task: Pick<TaskRow, 'title'>, action: string, params: Record<string, unknown>, team: { id: string; full_name: string }[]): string {
  const name = `“${task.title}”`;
  switch (action) {
    case 'complete': return `${name} completed.`;
    case 'skip': return `${name} skipped.`;
    case 'snooze': return typeof params.until === 'string' ? `${name} snoozed until ${formatDate(params.until)}.` : `${name} snoozed.`;
    case 'reassign': {
      const to = team.find((member) => member.id === params.assignee_id)?.full_name;
      return to ? `${name} handed to ${to}.` : `${name} reassigned.`;
    }
    default: return `${name}: done.`;
  }
}

export const TASK_VIEWS = [
  { key: 'active', label: 'To do', status: 'active', due: null },
  { key: 'today', label: 'Today', status: 'active', due: 'today' },
  { key: 'overdue', label: 'Overdue', status: 'active', due: 'overdue' },
  { key: 'this_week', label: 'This week', status: 'active', due: 'this_week' },
  { key: 'snoozed', label: 'Snoozed', status: 'snoozed', due: null },
  { key: 'completed', label: 'Completed', status: 'completed', due: null },
  { key: 'skipped', label: 'Skipped', status: 'skipped', due: null },
  { key: 'all', label: 'All', status: 'all', due: null },
] as const;
type ViewKey = (typeof TASK_VIEWS)[number]['key'];

export function deadline(task: Pick<TaskRow, 'due_date' | 'days_until_deadline'>): string {
  if (!task.due_date) return 'no due date';
  const days = task.days_until_deadline;
  if (days === null || days === undefined) return `due ${formatDate(task.due_date)}`;
  if (days < 0) return `${-days} day${days === -1 ? '' : 's'} overdue`;
  if (days === 0) return 'due today';
  return `due in ${days} day${days === 1 ? '' : 's'}`;
}

const EMPTY: Record<ViewKey, string> = {
  active: 'Nothing to do. Nice.', today: 'Nothing due today.', overdue: 'Nothing overdue.', this_week: 'Nothing due this week.',
  snoozed: 'No snoozed tasks.', completed: 'No completed tasks.', skipped: 'No skipped tasks.', all: 'No tasks yet.',
};

export function TasksPage() {
  const { api, profile } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  const manager = isManager(profile);
  const [view, setView] = useState<ViewKey>('active');
  const viewStrip = useRef<HTMLDivElement>(null);
  // The views are tabs: one Tab stop (the view shown); ← → (round the ends), Home and End choose another and focus it.
  function chooseByKey(event: React.KeyboardEvent, key: ViewKey) {
    const at = TASK_VIEWS.findIndex((entry) => entry.key === key);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TASK_VIEWS.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = TASK_VIEWS[(to + TASK_VIEWS.length) % TASK_VIEWS.length]!;
    setView(next.key);
    viewStrip.current?.querySelectorAll<HTMLElement>('[role="tab"]')[TASK_VIEWS.indexOf(next)]?.focus();
  }
  const moreViews = useSideOverflow(viewStrip);
  useEffect(() => {
    const chosen = viewStrip.current?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (viewStrip.current && chosen) bringIntoStrip(viewStrip.current, chosen);
  }, [view]);
  const [sort, setSort] = useState('due');
  const [priority, setPriority] = useState('');
  const taskOptions = useTaskOptions();
  const [whose, setWhose] = useState('me');
  // Open again when a new task was typed here and not created (left mid-task, or a reload).
  const [creating, setCreating] = useState(() => canAct(profile) && hasTaskDraft(profile.id, undefined));
  const newTask = useReturnFocus<HTMLButtonElement>();
  const notice = useActionNotice();
  const current = TASK_VIEWS.find((entry) => entry.key === view) ?? TASK_VIEWS[0];
  const filters = useMemo(() => ({
    ...(current.due ? { due: current.due } : {}),
    ...(priority ? { priorities: [priority] } : {}),
    ...(whose === 'team' ? { team: true } : whose !== 'me' ? { assignee_id: whose } : {}),
  }), [current.due, priority, whose]);
  const tasks = useAsync(() => calls.listTasks({ status: current.status, page_size: 100, filters, sort }), [calls, current.status, filters, sort]);
  // A task's notification clicked while the list is shown (one assigned to you): listed anew.
  useRevisit(() => void tasks.reload());
  const team = useTeamMembers('reassign');
  const [dialog, setDialog] = useState<{ task: TaskRow; action: TaskAction } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const writer = canAct(profile);
  const items = tasks.data?.items ?? [];
  const openView = current.status === 'active' || current.status === 'snoozed' || current.status === 'all';

  async function act(task: TaskRow, action: string, params: Record<string, unknown> = {}) {
    setBusy(task.id);
    setError(null);
    notice.clear();
    try {
      // Under the key of the same press left unanswered: pressed again after a lost answer, the
      // server answers what the first did, not 'already completed'.
      await sendOnce(`${profile.id}:act_on_task:${task.id}`, { action, params }, newId(),
        (key) => api.actOnTask(task.id, action, params, key));
      await tasks.reload();
      // Said once done, and focused: the task (and the button that was used) may have left the view.
      notice.show(taskDone(task, action, params, team.data ?? []), { takeFocus: true });
    } catch (caught) {
      setError(caught);
      // Refused because the task is not as listed (done elsewhere, or by an earlier press whose
      // answer was lost and whose key was forgotten): the list shows it as it is now, beside the
      // server's reason.
      if (caught instanceof ApiError && (caught.isConflict || caught.isForbidden || caught.isNotFound)) void tasks.reload();
      throw caught;
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="page page-narrow tasks-page">
      <div className="page-head">
        <h1>Tasks</h1>
        {writer && !creating ? <button ref={newTask.ref} type="button" className="btn btn-primary" onClick={() => { setCreating(true); notice.clear(); }}>New task</button> : null}
      </div>
      <ActionNotice notice={notice} />
      {creating ? (
        <section className="panel" aria-label="New task">
          <CreateTaskForm onCancel={() => { setCreating(false); newTask.returnFocus(); }}
            onCreated={(_task, message) => { notice.show(message, { takeFocus: true }); setCreating(false); void tasks.reload(); }} />
        </section>
      ) : null}
      {/* On a phone the views scroll sideways: a fade says where more are, the chosen one comes into view. */}
      <div className="scroll-fade" data-more-left={moreViews.left || undefined} data-more-right={moreViews.right || undefined}>
        <div ref={viewStrip} className="tabs" role="tablist" aria-label="Which tasks">
          {TASK_VIEWS.map((entry) => (
            <button key={entry.key} type="button" role="tab" aria-selected={view === entry.key} tabIndex={view === entry.key ? 0 : -1}
              onClick={() => setView(entry.key)} onKeyDown={(event) => chooseByKey(event, entry.key)}>{entry.label}</button>
          ))}
        </div>
      </div>
      <div className="toolbar">
        <label className="field field-inline"><span>Sort</span>
          <select value={sort} onChange={(event) => setSort(event.target.value)}>
            <option value="due">Due date</option>
            <option value="priority">Priority</option>
            <option value="created">Newest</option>
          </select></label>
        <label className="field field-inline"><span>Priority</span>
          <select value={priority} onChange={(event) => setPriority(event.target.value)}>
            <option value="">Any</option>
            {[...(taskOptions.data?.priorities ?? [])].reverse().map((option) => <option key={option.key} value={option.key}>{option.label}</option>)}
          </select></label>
        {manager ? (
          <label className="field field-inline"><span>Whose</span>
            <select value={whose} onChange={(event) => setWhose(event.target.value)}>
              <option value="me">Mine</option>
              <option value="team">{profile.role === 'admin' ? 'Everyone’s' : 'My team’s'}</option>
              {(team.data ?? []).filter((member) => member.id !== profile.id).map((member) => <option key={member.id} value={member.id}>{member.full_name}</option>)}
            </select></label>
        ) : null}
      </div>
      <InlineError error={error} />
      {tasks.loading ? <LoadingState label="Loading tasks…" rows={4} /> : null}
      {!tasks.loading && tasks.error ? <ErrorState error={tasks.error} title="Tasks could not be loaded" onRetry={() => void tasks.reload()} /> : null}
      {!tasks.loading && !tasks.error && items.length === 0 ? (
        <EmptyState title={EMPTY[view]}>{writer
          ? 'Tasks come from workflows, the assistant and your colleagues, or create one with “New task”.'
          : 'Tasks are held by the people who work the customers; a viewer holds none.'}</EmptyState>
      ) : null}
      {!tasks.loading && !tasks.error && items.length > 0 ? (
        <ul className="task-list">
          {items.map((task) => {
            const { customer } = task;
            const open = ['pending', 'in_progress', 'snoozed'].includes(task.status);
            return (
              <li key={task.id} className={`task${task.is_overdue ? ' task-overdue' : ''}`}>
                <div>
                  <div className="task-title">{task.title}</div>
                  <TaskDescription text={task.description} />
                  <TaskAgent agent={task.created_by_agent} />
                  <div className="sub">
                    <StatusBadge status={task.status} />
                    {task.status === 'snoozed' && task.snoozed_until ? <span className="task-until">until {formatDate(task.snoozed_until)}</span> : null}
                    <Badge tone={task.priority === 'urgent' ? 'danger' : task.priority === 'high' ? 'warning' : 'neutral'}>{humanize(task.priority)}</Badge>
                    <span className={task.is_overdue ? 'text-urgent' : undefined}>{deadline(task)}</span>
                    {task.force_action ? <Badge tone="danger">Needs a decision</Badge> : null}
                  </div>
                  {/* Whose and where, on a line of its own: the badges above wrap as they please. */}
                  <div className="small muted"><PartsLine parts={[
                    customer ? <Link href={paths.customer(customer.id)} className="customer-link">{customer.name}</Link> : null,
                    task.assignee && task.assigned_to !== profile.id ? task.assignee.full_name : null,
                    task.execution_id ? <Link href={paths.workflow(task.execution_id)}>Open the workflow</Link> : null,
                  ]} /></div>
                </div>
                {writer && open && openView ? (
                  <div className="task-actions">
                    <button type="button" className="btn btn-small btn-primary" disabled={busy === task.id} onClick={() => void act(task, 'complete').catch(() => undefined)}>Complete</button>
                    <button type="button" className="btn btn-small" disabled={busy === task.id} onClick={() => setDialog({ task, action: 'snooze' })}>Snooze</button>
                    <button type="button" className="btn btn-small" disabled={busy === task.id} onClick={() => setDialog({ task, action: 'skip' })}>Skip</button>
                    <button type="button" className="btn btn-small" disabled={busy === task.id} onClick={() => setDialog({ task, action: 'reassign' })}>Reassign</button>
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {tasks.data?.next_cursor ? <p className="muted small">Showing the first 100; narrow the view to see the rest.</p> : null}
      {dialog ? (
        <TaskActionDialog task={dialog.task} action={dialog.action} team={team.data ?? []} onClose={() => setDialog(null)}
          onSubmit={(params) => act(dialog.task, dialog.action, params)} />
      ) : null}
    </div>
  );
}
