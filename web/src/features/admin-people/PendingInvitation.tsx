// A pending invitation on People (a row whose status is invited): an admin resends or revokes
// it; nothing else applies until the person joins, so no Edit is offered (an invitation that
// made nobody has no person to edit, and what People offers must not tell the two apart:
// docs/admin.md "Revoking or resending an invitation").
import type { Person } from './api.ts';
import { countOf } from '../../lib/format.ts';

/** Whether a row of People is an invitation not taken up yet. */
export function isPendingInvitation(person: Person): boolean {
  return person.status === 'invited';
}

export function PendingInvitationActions({ person, busy, onResend, onRevoke }: {
  person: Person; busy: boolean; onResend: () => void; onRevoke: () => void;
}) {
  return (
    <div className="btn-row">
      <button type="button" className="btn btn-small" disabled={busy} onClick={onResend}
        aria-label={`Resend the invitation to ${person.full_name}`}>Resend</button>
      <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={onRevoke}
        aria-label={`Revoke the invitation of ${person.full_name}`}>Revoke</button>
    </div>
  );
}

/** What revoking takes away, in the words of the row: its link, and what it was given meanwhile. */
function revokeWords(person: Person): string {
  const held: [number, string][] = [[person.open_workflows, 'open workflow'], [person.open_tasks, 'open task'], [person.customers, 'customer']];
  const given = held.filter(([count]) => count > 0).map(([count, noun]) => countOf(count, noun));
  const handBack = given.length ? ` What was given to them (${given.join(', ')}) goes back to the team unassigned.` : '';
  return `Revoke the invitation of ${person.full_name} (${person.email})? Its link stops working and it leaves this list; you can invite the address again.${handBack}`;
}

/** Revoke asks first, with the focus on Keep it. */
export function RevokeInvitationConfirm({ person, busy, onRevoke, onKeep }: {
  person: Person; busy: boolean; onRevoke: () => void; onKeep: () => void;
}) {
  return (
    <div className="notice notice-warning" role="alert">
      <p>{revokeWords(person)}</p>
      <div className="btn-row">
        <button type="button" className="btn btn-danger" disabled={busy} onClick={onRevoke}>Revoke the invitation</button>
        <button type="button" className="btn btn-ghost" onClick={onKeep} autoFocus>Keep it</button>
      </div>
    </div>
  );
}
