// The saved actions of the organisation as buttons on a workflow; each opens its form.
import type { SavedAction } from '../../lib/types.ts';

const ORDER = ['send_email', 'schedule_meeting', 'create_task', 'snooze', 'skip', 'escalate'];

export function sortActions(actions: SavedAction[]): SavedAction[] {
  return [...actions].sort((a, b) => (ORDER.indexOf(a.key) + 1 || 99) - (ORDER.indexOf(b.key) + 1 || 99));
}

export function ActionsBar({ actions, onRun, disabled }: { actions: SavedAction[]; onRun: (action: SavedAction) => void; disabled?: boolean }) {
  if (actions.length === 0) return null;
  return (
    <div className="btn-row actions-bar" role="group" aria-label="Actions">
      {sortActions(actions).map((action) => (
        <button key={action.key} type="button" className={`btn btn-small${action.key === 'escalate' ? ' btn-danger' : ''}`} onClick={() => onRun(action)} disabled={disabled}>
          {action.name}
        </button>
      ))}
    </div>
  );
}
