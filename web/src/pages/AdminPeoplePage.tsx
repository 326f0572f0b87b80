// Admin → People: everyone of the organisation with role, manager, status and open work;
// edit, deactivate (with the open work to hand over), invite, and resend or revoke a pending
// invitation.
import { useMemo, useState } from 'react';
import { Badge } from '../components/Badges.tsx';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { ActionNotice, useActionNotice, type ActionNoticeState } from '../components/ActionNotice.tsx';
import { AdminNav } from '../features/admin-people/AdminNav.tsx';
import { adminApi, type AdminApi, type Person } from '../features/admin-people/api.ts';
import { InviteDialog } from '../features/admin-people/InviteDialog.tsx';
import { PersonDialog } from '../features/admin-people/PersonDialog.tsx';
import { isPendingInvitation, PendingInvitationActions, RevokeInvitationConfirm } from '../features/admin-people/PendingInvitation.tsx';
import { mayEditPerson, roleName } from '../features/admin-people/roleChange.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { formatDate, humanize } from '../lib/format.ts';
import { isManager, useWorkspace } from '../lib/context.ts';
import { TableScroller } from '../components/TableScroller.tsx';
import { EmailAddresses } from '../components/EmailAddresses.tsx';

const STATUS_TONE: Record<Person['status'], string> = { active: 'success', invited: 'info', deactivated: 'muted' };

// Who may not manage people is told so before anything is asked of the server (which would refuse).
export function AdminPeoplePage() {
  const { profile } = useWorkspace();
  if (!isManager(profile)) return <EmptyState title="Only admins and managers manage people." />;
  return <People />;
}

function People() {
  const { api, profile } = useWorkspace();
  const admin = useMemo(() => adminApi(api), [api]);
  const people = useAsync(() => admin.listPeople(), [admin]);
  const [editing, setEditing] = useState<Person | null>(null);
  const [inviting, setInviting] = useState(false);
  const notice = useActionNotice();
  const invitations = usePendingInvitations(admin, notice, () => void people.reload());

  const list = people.data ?? [];
  // A row the signed-in person cannot change (a manager looking at an admin) opens to be read.
  const rowVerb = (person: Person) => (mayEditPerson(profile, person) ? 'Edit' : 'View');

  return (
    <div className="page">
      <AdminNav />
      <div className="page-head">
        <div>
          <h1>People</h1>
          <p className="muted">Who works in {profile.org_name}, their role and manager. Deactivating someone stops their sign-in and lists their open work.</p>
        </div>
        {profile.role === 'admin' ? (
          <div className="page-head-actions">
            <button type="button" className="btn btn-primary" onClick={() => { notice.clear(); setInviting(true); }}>Invite a person</button>
          </div>
        ) : null}
      </div>
      <ActionNotice notice={notice} />
      {invitations.revoking ? (
        <RevokeInvitationConfirm person={invitations.revoking} busy={invitations.busy}
          onRevoke={() => invitations.revoke(invitations.revoking!)} onKeep={() => invitations.setRevoking(null)} />
      ) : null}
      <InlineError error={invitations.error} />
      {people.loading && !people.data ? <LoadingState label="Loading people…" rows={5} /> : null}
      {people.error ? <ErrorState error={people.error} title="People could not be loaded" onRetry={() => void people.reload()} /> : null}
      {people.data ? (
        <TableScroller label="People">
          <table className="admin-table" aria-label="People">
            <thead>
              <tr><th>Name</th><th>Role</th><th>Manager</th><th>Title</th><th>Status</th><th className="num">Open workflows</th><th className="num">Open tasks</th><th aria-label="Actions"></th></tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.id} className={p.active ? undefined : 'person-inactive'}>
                  <td><strong>{p.full_name}</strong><div className="sub"><EmailAddresses text={p.email} /></div></td>
                  <td>{roleName(p.role)}</td>
                  <td>{p.manager_name ?? '—'}</td>
                  <td>{p.title ?? '—'}{p.experience_level ? <div className="sub">{humanize(p.experience_level)}</div> : null}</td>
                  <td>
                    <Badge tone={STATUS_TONE[p.status]}>{humanize(p.status)}</Badge>
                    {p.last_sign_in_at ? <div className="sub">last signed in {formatDate(p.last_sign_in_at)}</div> : null}
                    {p.status === 'invited' ? <InvitedBy person={p} /> : null}
                  </td>
                  <td className="num">{p.open_workflows}</td>
                  <td className="num">{p.open_tasks}</td>
                  <td>
                    {!isPendingInvitation(p) ? (
                      <button type="button" className="btn btn-small" onClick={() => { notice.clear(); setEditing(p); }} aria-label={`${rowVerb(p)} ${p.full_name}`}>{rowVerb(p)}</button>
                    ) : profile.role === 'admin' ? (
                      <PendingInvitationActions person={p} busy={invitations.busy}
                        onResend={() => invitations.resend(p)} onRevoke={() => invitations.ask(p)} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      ) : null}
      {editing ? (
        <PersonDialog admin={admin} person={editing} people={list} me={profile}
          // The list again: work handed over (or handed back by a role change) moved between
          // people, whose counts the row's own change does not carry.
          onClose={() => { setEditing(null); void people.reload(); }}
          onChanged={(changed) => people.setData((prev) => prev?.map((p) => (p.id === changed.id ? { ...p, ...changed, status: changed.active ? (p.status === 'deactivated' ? 'active' : p.status) : 'deactivated' } : p)))} />
      ) : null}
      {inviting ? (
        <InviteDialog admin={admin} people={list} onClose={() => setInviting(false)}
          onInvited={(person) => {
            setInviting(false);
            notice.show(`Invitation sent to ${person.email}.`);
            void people.reload();
          }} />
      ) : null}
    </div>
  );
}

/**
 * Resending and revoking pending invitations: one at a time, each said in the page's notice;
 * a refusal (sent again too often, accepted or revoked meanwhile) in the server's words.
 */
function usePendingInvitations(admin: AdminApi, notice: ActionNoticeState, reload: () => void) {
  const [revoking, setRevoking] = useState<Person | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setError(null);
    notice.clear();
    try {
      notice.show(await action(), { takeFocus: true });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return {
    revoking, setRevoking, busy, error,
    ask: (person: Person) => { notice.clear(); setError(null); setRevoking(person); },
    resend: (person: Person) => void run(async () => {
      const { invitation } = await admin.resendInvitation(person.id);
      return `Invitation sent again to ${invitation.email}.`;
    }),
    revoke: (person: Person) => void run(async () => {
      const { revoked } = await admin.revokeInvitation(person.id);
      setRevoking(null);
      reload();
      return `The invitation of ${revoked.email} is revoked: its link no longer works.`;
    }),
  };
}

/**
 * Who sent an invitation not yet taken up, and when, under its Invited badge: "by Ada Admin on
 * 5 Dec 2026" (either part as far as it is known).
 */
function InvitedBy({ person }: { person: Person }) {
  const parts = [person.invited_by ? `by ${person.invited_by.full_name}` : null,
                 person.invited_at ? `on ${formatDate(person.invited_at)}` : null].filter(Boolean);
  return parts.length ? <div className="sub">{parts.join(' ')}</div> : null;
}
