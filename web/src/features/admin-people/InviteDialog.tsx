// Invite a person: name, email, role, manager. The body is validated with the schema the
// invite-person function uses; the person gets an email with a link to set a password.
import { useRef, useState, type FormEvent } from 'react';
import { FormField } from '../../components/FieldError.tsx';
import { useFieldProblem } from '../../hooks/useFieldProblem.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { useSubmit } from '../../hooks/useSubmit.ts';
import { InlineError } from '../../components/States.tsx';
import { EXPERIENCE_LEVELS, InvitePersonBody, PERSON_ROLES } from '../../../../functions-shared/api/index.ts';
import { humanize, newId } from '../../lib/format.ts';
import { sendOnce } from '../../lib/pendingKeys.ts';
import type { AdminApi, InvitedPerson, Person } from './api.ts';
import { ManagerSelect } from './ManagerSelect.tsx';
import { roleName } from './roleChange.ts';

type Checked = 'full_name' | 'email' | 'title';

/**
 * The schema's refusals (written for the API: "email must be an email address") in words for
 * the person filling the form, by the field they are about.
 */
const FIELD_WORDS: Record<Checked, (message: string) => string> = {
  full_name: (message) => (message.includes('longer') ? 'Use at most 200 characters for the name.' : 'Give their full name.'),
  email: (message) => (message.includes('longer') ? 'Use at most 255 characters for the email.' : 'Enter an email address, such as nina@example.com.'),
  title: () => 'Use at most 120 characters for the title.',
};

/** The person of the organisation whose address this is (addresses compare without case or surrounding spaces). */
function personWithAddress(people: Person[], email: string): Person | undefined {
  const address = email.trim().toLowerCase();
  return people.find((person) => person.email?.trim().toLowerCase() === address);
}

export function InviteDialog({ admin, people, onClose, onInvited }: {
  admin: AdminApi; people: Person[]; onClose: () => void; onInvited: (person: InvitedPerson) => void;
}) {
  const [form, setForm] = useState({ full_name: '', email: '', role: 'csm', manager_id: '', title: '', experience_level: '' });
  // Sent through useSubmit: a refused invitation gives the focus back to Send invitation (disabled
  // while sending) instead of leaving it on the page behind the dialog.
  const { busy, error, setError, run } = useSubmit();
  // A field the schema refuses is said beside it, which takes the focus (as every form of the app).
  const problem = useFieldProblem<Checked>();
  const boxes = { full_name: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null), title: useRef<HTMLInputElement>(null) };
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: event.target.value }));
    if (key in boxes) problem.changed(key as Checked);
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = InvitePersonBody.safeParse({
      ...form, manager_id: form.manager_id || null, title: form.title || null, experience_level: form.experience_level || null,
    });
    if (!parsed.success) {
      // the first field of the form that is wrong, in the form's order (the schema's differs)
      const FORM_ORDER: Checked[] = ['full_name', 'email', 'title'];
      const issue = FORM_ORDER.map((key) => parsed.error.issues.find((each) => each.path[0] === key)).find(Boolean) ?? parsed.error.issues[0]!;
      const field = String(issue.path[0]) as Checked;
      if (field in FIELD_WORDS) problem.show(field, FIELD_WORDS[field](issue.message), boxes[field].current);
      else setError(new Error(issue.message));
      return;
    }
    // An address of someone already in the organisation: said beside it, with where they are,
    // rather than the server's 'That person already belongs to an organisation'.
    const holder = personWithAddress(people, parsed.data.email);
    if (holder) {
      problem.show('email', `${holder.full_name} already has this address: they are in the list of people, where their role and manager can be changed.`, boxes.email.current);
      return;
    }
    problem.clear();
    await run(async () => {
      // Under the key of the same invitation left unanswered: sent again after a lost answer, the
      // server answers the person it invited and mails nothing more, instead of 'already has an account'.
      // (A sign-out forgets the kept invitation: lib/pendingKeys.ts.)
      const { person } = await sendOnce('invite_person', parsed.data, newId(),
        (key) => admin.invitePerson({ ...parsed.data, idempotency_key: key }));
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
      <form id="invite-form" className="form" onSubmit={submit} noValidate>
        <FormField label="Full name" error={problem.of('full_name')}>
          {(control) => <input ref={boxes.full_name} {...control} name="full_name" required value={form.full_name} onChange={set('full_name')} data-autofocus />}
        </FormField>
        <FormField label="Email" error={problem.of('email')}>
          {(control) => <input ref={boxes.email} {...control} name="email" type="email" required value={form.email} onChange={set('email')} />}
        </FormField>
        <div className="field-row">
          <label className="field"><span>Role</span>
            <select name="role" aria-label="Role" value={form.role} onChange={set('role')}>
              {PERSON_ROLES.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
            </select>
          </label>
          <ManagerSelect people={people} value={form.manager_id} onChange={(managerId) => setForm((f) => ({ ...f, manager_id: managerId }))} />
        </div>
        <div className="field-row">
          <FormField label={<>Title <span className="field-hint">(optional)</span></>} error={problem.of('title')}>
            {(control) => <input ref={boxes.title} {...control} name="title" value={form.title} onChange={set('title')} />}
          </FormField>
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
