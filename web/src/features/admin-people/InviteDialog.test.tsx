// @vitest-environment happy-dom
// A refused invitation (the address already belongs to someone) is said in the dialog, which
// stays open with Send invitation enabled again (the focus goes back to it: lib/keepFocus.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { InviteDialog } from './InviteDialog.tsx';
import type { AdminApi, Person } from './api.ts';
import { ApiError } from '../../lib/errors.ts';

afterEach(cleanup);

describe('the invite dialog', () => {
  it('puts Cancel before Send invitation, as every dialog of the app does', () => {
    render(<InviteDialog admin={{} as AdminApi} people={[]} onClose={() => {}} onInvited={() => {}} />);
    expect([...document.querySelectorAll('.dialog-foot button')].map((button) => button.textContent)).toEqual(['Cancel', 'Send invitation']);
  });

  it('says a refused invitation and offers Send invitation again', async () => {
    let refuse!: (error: Error) => void;
    const admin = { invitePerson: () => new Promise((_, reject) => { refuse = reject; }) } as unknown as AdminApi;
    render(<InviteDialog admin={admin} people={[]} onClose={() => {}} onInvited={() => {}} />);
    fireEvent.change(screen.getByLabelText('Full name'), { target: { value: 'Sam Again' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam.csm@acme.test' } });
    fireEvent.submit(document.getElementById('invite-form')!);
    await waitFor(() => expect((screen.getByRole('button', { name: 'Sending…' }) as HTMLButtonElement).disabled).toBe(true));
    refuse(new Error('That person already belongs to an organisation'));
    expect((await screen.findByRole('alert')).textContent).toContain('That person already belongs to an organisation');
    expect((screen.getByRole('button', { name: 'Send invitation' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('says beside Email that someone of the organisation already has the address, and who, without asking the server', () => {
    let sent = 0;
    const admin = { invitePerson: async () => { sent += 1; return { person: {} }; } } as unknown as AdminApi;
    const sam = { id: 'sam', full_name: 'Sam Senior', email: 'sam.csm@acme.test', role: 'csm' } as unknown as Person;
    render(<InviteDialog admin={admin} people={[sam]} onClose={() => {}} onInvited={() => {}} />);
    fireEvent.change(screen.getByLabelText('Full name'), { target: { value: 'Sam Again' } });
    const email = screen.getByLabelText('Email');
    fireEvent.change(email, { target: { value: ' Sam.CSM@acme.test ' } });
    fireEvent.submit(document.getElementById('invite-form')!);
    const said = screen.getByRole('alert');
    expect(said.textContent).toBe('Sam Senior already has this address: they are in the list of people, where their role and manager can be changed.');
    expect(email.getAttribute('aria-describedby')).toBe(said.id);
    expect(document.activeElement).toBe(email);
    expect(sent).toBe(0);
  });

  it('says an address that is not one, or a missing name, beside its field in words, the field taking the focus', () => {
    let sent = 0;
    const admin = { invitePerson: async () => { sent += 1; return { person: {} }; } } as unknown as AdminApi;
    render(<InviteDialog admin={admin} people={[]} onClose={() => {}} onInvited={() => {}} />);
    const name = screen.getByLabelText('Full name');
    const email = screen.getByLabelText('Email');
    fireEvent.submit(document.getElementById('invite-form')!);
    expect(screen.getByRole('alert').textContent).toBe('Give their full name.');
    expect(document.activeElement).toBe(name);
    fireEvent.change(name, { target: { value: 'Nina New' } });
    fireEvent.change(email, { target: { value: 'nina@acme' } });
    fireEvent.submit(document.getElementById('invite-form')!);
    const said = screen.getByRole('alert');
    expect(said.textContent, 'never the schema\'s "email must be an email address"').toBe('Enter an email address, such as nina@example.com.');
    expect(email.getAttribute('aria-describedby')).toBe(said.id);
    expect(document.activeElement).toBe(email);
    expect(sent).toBe(0);
  });

  it('sends an invitation whose answer was lost again under its first key, so it is made and mailed once', async () => {
    const keys: unknown[] = [];
    const admin = {
      invitePerson: async (body: { idempotency_key?: string }) => {
        keys.push(body.idempotency_key);
        if (keys.length === 1) throw new ApiError('TypeError: Failed to fetch', { code: '', status: 0 });
        return { person: { id: 'p1', full_name: 'Nina New' }, replayed: true };
      },
    } as unknown as AdminApi;
    localStorage.clear();
    const invited: unknown[] = [];
    render(<InviteDialog admin={admin} people={[]} onClose={() => {}} onInvited={(person) => invited.push(person)} />);
    fireEvent.change(screen.getByLabelText('Full name'), { target: { value: 'Nina New' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'nina@acme.test' } });
    fireEvent.submit(document.getElementById('invite-form')!);
    await screen.findByRole('alert');
    fireEvent.submit(document.getElementById('invite-form')!);
    await waitFor(() => expect(invited).toHaveLength(1));
    expect(typeof keys[0]).toBe('string');
    expect(keys[1], 'the same invitation, sent again').toBe(keys[0]);
  });
});

