// The Manager field of the invite and person dialogs: the organisation's active managers
// and admins (never the person themselves), or nobody.
import type { Person } from './api.ts';

export function ManagerSelect({ people, exceptId, value, disabled, onChange }: {
  people: Person[];
  /** The person being edited: nobody manages themselves. */
  exceptId?: string;
  value: string;
  disabled?: boolean;
  onChange: (managerId: string) => void;
}) {
  const managers = people.filter((p) => p.active && p.id !== exceptId && (p.role === 'manager' || p.role === 'admin'));
  return (
    <label className="field"><span>Manager</span>
      <select name="manager_id" aria-label="Manager" value={value} disabled={disabled} onChange={(event) => onChange(event.target.value)}>
        <option value="">Nobody</option>
        {managers.map((m) => <option key={m.id} value={m.id}>{m.full_name}</option>)}
      </select>
    </label>
  );
}
