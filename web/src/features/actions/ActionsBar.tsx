// The saved actions of the organisation as buttons on a workflow; each opens its form.
import type { SavedAction } from '../../lib/types.ts';

const ORDER = ['send_email', 'schedule_meeting', 'create_task', 'snooze', 'skip', 'escalate'];

export function sortActions(actions: SavedAction[]): SavedAction[] {
  return [...actions].sort((a, b) => (ORDER.indexOf(a.key) + 1 || 99) - (ORDER.indexOf(b.key) + 1 || 99));
}

/**
 * The actions a workflow in this state can take, as the server allows them: a snoozed one is
 * not snoozed again (Wake now is offered), and a step is skipped only while the workflow is in
 * progress (action_skip refuses a queued or snoozed one: no step is under way).
 */
export function actionsFor(actions: SavedAction[], status: string): SavedAction[] {
  return actions.filter((action) => !(action.type === 'snooze' && status === 'snoozed')
    && !(action.type === 'skip' && status !== 'in_progress'));
}

export function ActionsBar({ actions, status, onRun, disabled }: {
  actions: SavedAction[]; status: string; onRun: (action: SavedAction) => void; disabled?: boolean;
}) {
  const offered = actionsFor(actions, status);
  if (offered.length === 0) return null;
  return (
    <div className="btn-row actions-bar" role="group" aria-label="Actions">
      {sortActions(offered).map((action) => (
        <button key={action.key} type="button" className={`btn btn-small${action.key === 'escalate' ? ' btn-danger' : ''}`} onClick={() => onRun(action)} disabled={disabled}>
          {action.name}
        </button>
      ))}
    </div>
  );
}
