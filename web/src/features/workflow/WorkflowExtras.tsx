// Below the step: the workflow's artifacts, its tasks, meetings and the action log.
import type { Artifact, WorkflowExecution } from '../../lib/types.ts';
import { formatDate, formatDateTime, humanize } from '../../lib/format.ts';
import { Badge, StatusBadge } from '../../components/Badges.tsx';
import { ArtifactCard } from '../artifacts/ArtifactCard.tsx';
import { describeEffect } from '../actions/ActionDialog.tsx';
import { MeetingLine } from './MeetingLine.tsx';
import { TaskDescription } from '../tasks/TaskDescription.tsx';
import { TaskAgent } from '../tasks/TaskAgent.tsx';
import { paths } from '../../lib/router.ts';
import { PartsLine } from '../../components/PartsLine.tsx';
import { Link } from '../../components/Link.tsx';

export function ArtifactsSection({ artifacts, onChanged, workflowStatus }: { artifacts: Artifact[]; onChanged: (artifact: Artifact) => void; workflowStatus?: string }) {
  return (
    <section className="panel" aria-labelledby="artifacts-title">
      <div className="panel-head"><h2 id="artifacts-title">Artifacts <span className="muted">({artifacts.length})</span></h2></div>
      {artifacts.length === 0 ? <p className="muted">Drafts, notes and summaries made in this workflow appear here.</p> : (
        <div className="artifact-grid">{artifacts.map((artifact) => <ArtifactCard key={artifact.id} artifact={artifact} onChanged={onChanged} workflowStatus={workflowStatus} />)}</div>
      )}
    </section>
  );
}

export function WorkSection({ execution, showCompletedTasks }: { execution: WorkflowExecution; showCompletedTasks: boolean }) {
  const tasks = execution.tasks.filter((task) => showCompletedTasks || !['completed', 'skipped'].includes(task.status));
  const meetings = execution.meetings ?? [];
  return (
    <section className="panel" aria-labelledby="work-title">
      <h2 id="work-title">Tasks and meetings</h2>
      {tasks.length === 0 && meetings.length === 0 ? <p className="muted">No tasks or meetings yet.</p> : null}
      {tasks.length > 0 ? (
        <ul className="plain-list">
          {tasks.map((task) => (
            <li key={task.id}><strong>{task.title}</strong> <StatusBadge status={task.status} /> <Badge tone={task.priority === 'urgent' || task.priority === 'high' ? 'warning' : 'neutral'}>{humanize(task.priority)}</Badge> <span className="muted small">due {formatDate(task.due_date)}</span><TaskDescription text={task.description} /><TaskAgent agent={task.created_by_agent} /></li>
          ))}
        </ul>
      ) : null}
      {meetings.length > 0 ? (
        <ul className="plain-list">
          {meetings.map((meeting) => (
            <MeetingLine key={meeting.id} meeting={meeting} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function ActivitySection({ execution }: { execution: WorkflowExecution }) {
  if (execution.actions.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="activity-title" role="region">
      <h2 id="activity-title">Activity {execution.actions_total > execution.actions.length ? <span className="muted">(newest {execution.actions.length} of {execution.actions_total})</span> : null}</h2>
      <ul className="plain-list activity">
        {execution.actions.map((entry, index) => (
          <li key={entry.id ?? index}>
            <span>{humanize(entry.action_key)}</span>{' '}
            {entry.success ? <Badge tone="success">done</Badge> : <Badge tone="danger">failed</Badge>}{' '}
            {/* A refused action says why it was not done: its reason alone ("Already completed") read as the cause. */}
            <span className="muted small"><PartsLine parts={[
              formatDateTime(entry.created_at),
              typeof entry.params?.reason === 'string' ? `reason: ${entry.params.reason}` : null,
              !entry.success && entry.error_message ? `not done: ${entry.error_message}` : null,
              ...(entry.side_effects ?? []).map((effect) => describeEffect(effect)),
            ]} /></span>
          </li>
        ))}
      </ul>
      {execution.actions_total > execution.actions.length ? (
        <p className="muted small">Older actions are on the <Link href={paths.customer(execution.customer.id)}>customer's timeline</Link>.</p>
      ) : null}
    </section>
  );
}
