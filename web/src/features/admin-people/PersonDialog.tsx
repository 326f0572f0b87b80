// Edit one person: role (admins only, never one's own), manager, title, experience level;
// deactivate (never oneself) and see their open work to hand over, or reactivate. A role
// change that takes something away or makes or unmakes an admin is confirmed first
// (roleChange.ts), saying what will happen; keeping the role sends nothing.
import { useRef, useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog.tsx';
import { InlineError } from '../../components/States.tsx';
import { EXPERIENCE_LEVELS, PERSON_ROLES } from '../../../../functions-shared/api/index.ts';
import { countOf, humanize } from '../../lib/format.ts';
import type { AdminApi, ChangedPerson, OpenWork as OpenWorkData, Person, PersonChanges } from './api.ts';
import { OpenWork } from './OpenWork.tsx';
import { ManagerSelect } from './ManagerSelect.tsx';
import { mayEditPerson, roleChangeNeedsConfirming, roleChangeWords, roleName } from './roleChange.ts';

export function PersonDialog({ admin, person, people, me, onClose, onChanged }: {
  admin: AdminApi; person: Person; people: Person[]; me: { id: string; role: string };
  onClose: () => void; onChanged: (person: ChangedPerson) => void;
}) {
  const isSelf = person.id === me.id;
  const canChangeRole = me.role === 'admin' && !isSelf;
  const canEdit = mayEditPerson(me, person);
  const [form, setForm] = useState({
    role: person.role, manager_id: person.manager_id ?? '', title: person.title ?? '', experience_level: person.experience_level ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [current, setCurrent] = useState(person);
  const [openWork, setOpenWork] = useState<OpenWorkData | null>(null);
  const [confirming, setConfirming] = useState(false);
  // The changes waiting for the role change to be confirmed; nothing is sent until then.
  const [roleChanges, setRoleChanges] = useState<PersonChanges | null>(null);
  // While the role change is asked about, the form holds still: what is confirmed is what was shown.
  const asking = roleChanges !== null;
  const roleSelect = useRef<HTMLSelectElement>(null);
  const deactivateButton = useRef<HTMLButtonElement>(null);

  async function apply(changes: PersonChanges) {
    setBusy(true);
    setError(null);
    try {
      const result = await admin.updatePerson(person.id, changes);
      setCurrent((shown) => ({ ...shown, ...result.person }));
      onChanged(result.person);
      return result;
    } catch (caught) {
      setError(caught);
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const changes: PersonChanges = {};
    if (canChangeRole && form.role !== current.role) changes.role = form.role;
    if ((form.manager_id || null) !== current.manager_id) changes.manager_id = form.manager_id || null;
    if ((form.title.trim() || null) !== current.title) changes.title = form.title.trim() || null;
    if ((form.experience_level || null) !== current.experience_level) changes.experience_level = (form.experience_level || null) as Person['experience_level'];
    if (Object.keys(changes).length === 0) return onClose();
    if (changes.role && roleChangeNeedsConfirming(current.role, changes.role)) return setRoleChanges(changes);
    if (await apply(changes)) onClose();
  }

  async function confirmRoleChange() {
    if (roleChanges && await apply(roleChanges)) onClose();
    setRoleChanges(null);
  }

  function keepRole() {
    setRoleChanges(null);
    setForm((f) => ({ ...f, role: current.role }));
    // The Keep button goes away with the question: the focus returns to the role it kept.
    setTimeout(() => roleSelect.current?.focus(), 0);
  }

  function keepActive() {
    setConfirming(false);
    // The question goes, and with it Keep active: the focus returns to Deactivate…, shown again.
    setTimeout(() => deactivateButton.current?.focus(), 0);
  }

  // A deactivated person whose work was not all handed over (the dialog that deactivated them
  // was closed first): the same list again, asked for, and the focus on it (OpenWork).
  async function showOpenWork() {
    setBusy(true);
    setError(null);
    try {
      setOpenWork(await admin.personOpenWork(person.id));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  async function deactivate() {
    const result = await apply({ active: false });
    setConfirming(false);
    // Done, the open work to hand over takes the focus (OpenWork); refused, Deactivate… is back beside the reason.
    if (result) setOpenWork(result.open_work);
    else setTimeout(() => deactivateButton.current?.focus(), 0);
  }

  return (
    <Dialog title={`${current.full_name}`} wide onClose={onClose} footer={
      <>
        {/* Cancel, then the action that goes on, as in every dialog; a deactivation stands apart on the left. */}
        {canEdit && !isSelf && current.active && !confirming && !openWork ? (
          <button ref={deactivateButton} type="button" className="btn btn-danger dialog-foot-aside" onClick={() => setConfirming(true)} disabled={busy}>Deactivate…</button>
        ) : null}
        {canEdit && !isSelf && !current.active ? (
          <button type="button" className="btn dialog-foot-aside" onClick={() => void apply({ active: true })} disabled={busy}>Reactivate</button>
        ) : null}
        <button type="button" className="btn btn-ghost" onClick={onClose}>{openWork ? 'Done' : 'Cancel'}</button>
        {canEdit && !openWork ? <button type="submit" form="person-form" className="btn btn-primary" disabled={busy || asking}>Save</button> : null}
      </>
    }>
      <p className="muted">{current.email}</p>
      {confirming ? (
        <div className="notice notice-warning" role="alert">
          <p>{current.full_name} will no longer be able to sign in, and is signed out everywhere. Their open work is listed next so you can hand it over.</p>
          <div className="btn-row">
            <button type="button" className="btn btn-danger" onClick={() => void deactivate()} disabled={busy}>Deactivate {current.full_name}</button>
            {/* Deactivate… is gone with the question: the focus goes to the choice that changes nothing. */}
            <button type="button" className="btn btn-ghost" onClick={keepActive} autoFocus>Keep active</button>
          </div>
        </div>
      ) : null}
      {roleChanges?.role ? (
        <div className="notice notice-warning" role="alert">
          <p>{roleChangeWords(current, current.role, roleChanges.role)}</p>
          <div className="btn-row">
            <button type="button" className="btn btn-danger" onClick={() => void confirmRoleChange()} disabled={busy}>Change role to {roleName(roleChanges.role)}</button>
            {/* The focus leaves the disabled Save for the choice that changes nothing. */}
            <button type="button" className="btn btn-ghost" onClick={keepRole} autoFocus>Keep {roleName(current.role)}</button>
          </div>
        </div>
      ) : null}
      {openWork ? <OpenWork admin={admin} work={openWork} leaver={current} people={people} /> : (
        <form id="person-form" className="form" onSubmit={save}>
          {/* Every field is disabled and Save is gone: say why once, not only under the role. */}
          {!canEdit ? <p className="field-hint">Only admins change an admin: {current.full_name} is shown as they are.</p> : null}
          <div className="field-row">
            <label className="field"><span>Role</span>
              <select ref={roleSelect} name="role" aria-label="Role" value={form.role} disabled={!canChangeRole || !canEdit || asking}
                onChange={(event) => setForm((f) => ({ ...f, role: event.target.value as Person['role'] }))}>
                {PERSON_ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
              </select>
              {isSelf ? <span className="field-hint">Nobody changes their own role.</span> : null}
              {!isSelf && me.role !== 'admin' && canEdit ? <span className="field-hint">Only admins change roles.</span> : null}
            </label>
            <ManagerSelect people={people} exceptId={person.id} value={form.manager_id} disabled={!canEdit || asking}
              onChange={(managerId) => setForm((f) => ({ ...f, manager_id: managerId }))} />
          </div>
          <div className="field-row">
            <label className="field"><span>Title</span>
              <input name="title" value={form.title} disabled={!canEdit || asking} onChange={(event) => setForm((f) => ({ ...f, title: event.target.value }))} />
            </label>
            <label className="field"><span>Experience</span>
              <select name="experience_level" aria-label="Experience" value={form.experience_level} disabled={!canEdit || asking} onChange={(event) => setForm((f) => ({ ...f, experience_level: event.target.value }))}>
                <option value="">Not set</option>
                {EXPERIENCE_LEVELS.map((l) => <option key={l} value={l}>{humanize(l)}</option>)}
              </select>
            </label>
          </div>
          {!current.active ? (
            <div className="notice notice-warning">
              <p>Deactivated: cannot sign in.{heldWork(current) ? ` ${current.full_name} still holds ${heldWork(current)}.` : ''}</p>
              {heldWork(current) && canEdit ? (
                <button type="button" className="btn btn-small" onClick={() => void showOpenWork()} disabled={busy}>Hand over their open work…</button>
              ) : null}
            </div>
          ) : null}
        </form>
      )}
      <InlineError error={error} />
    </Dialog>
  );
}

/** What a person still holds, in words ("13 open workflows, 1 open task and 2 customers"), or '' when nothing (list_people's counts). */
function heldWork(person: Pick<Person, 'open_workflows' | 'open_tasks' | 'customers'>): string {
  const parts = [
    person.open_workflows > 0 ? countOf(person.open_workflows, 'open workflow') : '',
    person.open_tasks > 0 ? countOf(person.open_tasks, 'open task') : '',
    person.customers > 0 ? countOf(person.customers, 'customer') : '',
  ].filter(Boolean);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts.join('');
}
