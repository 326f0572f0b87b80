// Invite a person: name, email, role, manager. The body is validated with the schema the
// invite-person function uses; the person gets an email with a link to set a password.
import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { InlineError } from '../../components/States.tsx';
import { EXPERIENCE_LEVELS, InvitePersonBody, PERSON_ROLES } from '../../../../functions-shared/api/index.ts';
import { humanize } from '../../lib/format.ts';
import type { AdminApi, InvitedPerson, Person } from './api.ts';
import { ManagerSelect } from './ManagerSelect.tsx';
import { roleName } from './roleChange.ts';

export function InviteDialog({ admin, people, onClose, onInvited }: {
  admin: AdminApi; people: Person[]; onClose: () => void; onInvited: (person: InvitedPerson) => void;
}) {
  const [form, setForm] = useState({ full_name: '', email: '', role: 'csm', manager_id: '', title: '', experience_level: '' });
  // Sent through useSubmit: a refused invitation gives the focus back to Send invitation (disabled
  // while sending) instead of leaving it on the page behind the dialog.
  const { busy, error, setError, run } = useSubmit();
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = InvitePersonBody.safeParse({
      ...form, manager_id: form.manager_id || null, title: form.title || null, experience_level: form.experience_level || null,
    });
    if (!parsed.success) {
      setError(new Error(parsed.error.issues.map((i) => i.message).join('; ')));
      return;
    }
    await run(async () => {
      const { person } = await admin.invitePerson(parsed.data);
      onInvited(person);
    });
  }

  return (
    <Dialog title="Invite a person" onClose={onClose} footer={
      <>
        <button type="button" className="btn btn-ghost" onClick={onClose}>Cancel</button>
        <button type="submit" form="invite-form" className="btn btn-primary" disabled={busy}>{busy ? 'Sending…' : 'Send invitation'}</button>
      </>
    }>
      <form id="invite-form" className="form" onSubmit={submit}>
        <label className="field"><span>Full name</span><input name="full_name" required value={form.full_name} onChange={set('full_name')} data-autofocus /></label>
        <label className="field"><span>Email</span><input name="email" type="email" required value={form.email} onChange={set('email')} /></label>
        <div className="field-row">
          <label className="field"><span>Role</span>
            <select name="role" aria-label="Role" value={form.role} onChange={set('role')}>
              {PERSON_ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
            </select>
          </label>
          <ManagerSelect people={people} value={form.manager_id} onChange={(managerId) => setForm((f) => ({ ...f, manager_id: managerId }))} />
        </div>
        <div className="field-row">
          <label className="field"><span>Title <span className="field-hint">(optional)</span></span><input name="title" value={form.title} onChange={set('title')} /></label>
          <label className="field"><span>Experience</span>
            <select name="experience_level" aria-label="Experience" value={form.experience_level} onChange={set('experience_level')}>
              <option value="">Not set</option>
              {EXPERIENCE_LEVELS.map((l) => <option key={l} value={l}>{humanize(l)}</option>)}
            </select>
          </label>
        </div>
        <p className="muted small">They get an email with a link to choose a password. On the local stack the mail is in the local mail catcher.</p>
        <InlineError error={error} />
      </form>
    </Dialog>
  );
}
