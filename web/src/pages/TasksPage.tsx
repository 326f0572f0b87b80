// The caller's tasks: complete, skip, snooze or hand them over.
import { useState } from 'react';
import { canAct, useWorkspace } from '../lib/context.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { formatDate, humanize } from '../lib/format.ts';
import { paths } from '../lib/router.ts';
import type { Task } from '../lib/types.ts';
import { Link } from '../components/Link.tsx';
import { Badge, StatusBadge } from '../components/Badges.tsx';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { TaskActionDialog, type TaskAction } from '../features/tasks/TaskActionDialog.tsx';
import { useTeamMembers } from '../features/queue/useTeamMembers.ts';

const TABS = [
  { key: 'active', label: 'To do' },
  { key: 'completed', label: 'Completed' },
  { key: 'skipped', label: 'Skipped' },
] as const;

function deadline(task: Task): string {
  if (!task.due_date) return 'no due date';
  const days = task.days_until_deadline;
  if (days === null || days === undefined) return `due ${formatDate(task.due_date)}`;
  if (days < 0) return `${-days} day${days === -1 ? '' : 's'} overdue`;
  if (days === 0) return 'due today';
  return `due in ${days} day${days === 1 ? '' : 's'}`;
}

export function TasksPage() {
  const { api, profile } = useWorkspace();
  const [tab, setTab] = useState<(typeof TABS)[number]['key']>('active');
  const tasks = useAsync(async () => {
    const result = await api.listTasks({ status: tab, page_size: 100 });
    return Array.isArray(result) ? result : result.items ?? [];
  }, [api, tab]);
  const team = useTeamMembers('reassign');
  const [dialog, setDialog] = useState<{ task: Task; action: TaskAction } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const writer = canAct(profile);

  async function act(task: Task, action: string, params: Record<string, unknown> = {}) {
    setBusy(task.id);
    setError(null);
    try {
      await api.actOnTask(task.id, action, params);
      await tasks.reload();
    } catch (caught) {
      setError(caught);
      throw caught;
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="page page-narrow">
      <div className="page-head"><h1>Tasks</h1></div>
      <div className="tabs" role="tablist" aria-label="Task status">
        {TABS.map((entry) => (
          <button key={entry.key} type="button" role="tab" aria-selected={tab === entry.key} onClick={() => setTab(entry.key)}>{entry.label}</button>
        ))}
      </div>
      <InlineError error={error} />
      {tasks.loading ? <LoadingState label="Loading tasks…" rows={4} /> : null}
      {!tasks.loading && tasks.error ? <ErrorState error={tasks.error} title="Tasks could not be loaded" onRetry={() => void tasks.reload()} /> : null}
      {!tasks.loading && !tasks.error && (tasks.data ?? []).length === 0 ? (
        <EmptyState title={tab === 'active' ? 'Nothing to do. Nice.' : `No ${tab} tasks.`}>Tasks come from workflows, the assistant and your colleagues.</EmptyState>
      ) : null}
      {!tasks.loading && !tasks.error && (tasks.data ?? []).length > 0 ? (
        <ul className="task-list">
          {(tasks.data ?? []).map((task) => (
            <li key={task.id} className={`task${task.is_overdue ? ' task-overdue' : ''}`}>
              <div>
                <div className="task-title">{task.title}</div>
                <div className="sub">
                  <StatusBadge status={task.status} />
                  <Badge tone={task.priority === 'urgent' ? 'danger' : task.priority === 'high' ? 'warning' : 'neutral'}>{humanize(task.priority)}</Badge>
                  <span className={task.is_overdue ? 'text-urgent' : undefined}>{deadline(task)}</span>
                  {task.customer_name ?? task.customer?.name ? <span>· {task.customer_name ?? task.customer?.name}</span> : null}
                  {task.execution_id ? <Link href={paths.workflow(task.execution_id)}>open workflow</Link> : null}
                  {task.force_action ? <Badge tone="danger">Needs a decision</Badge> : null}
                </div>
              </div>
              {writer && tab === 'active' ? (
                <div className="task-actions">
                  <button type="button" className="btn btn-small btn-primary" disabled={busy === task.id} onClick={() => void act(task, 'complete').catch(() => undefined)}>Complete</button>
                  <button type="button" className="btn btn-small" disabled={busy === task.id} onClick={() => setDialog({ task, action: 'snooze' })}>Snooze</button>
                  <button type="button" className="btn btn-small" disabled={busy === task.id} onClick={() => setDialog({ task, action: 'skip' })}>Skip</button>
                  <button type="button" className="btn btn-small" disabled={busy === task.id} onClick={() => setDialog({ task, action: 'reassign' })}>Reassign</button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {dialog ? (
        <TaskActionDialog task={dialog.task} action={dialog.action} team={team.data ?? []} onClose={() => setDialog(null)}
          onSubmit={(params) => act(dialog.task, dialog.action, params)} />
      ) : null}
    </div>
  );
}
