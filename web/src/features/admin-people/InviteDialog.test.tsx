// @vitest-environment happy-dom
// A refused invitation (the address already belongs to someone) is said in the dialog and the
// focus goes back to Send invitation, which was disabled while sending, not to the page.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { InviteDialog } from './InviteDialog.tsx';
import type { AdminApi } from './api.ts';

afterEach(cleanup);

describe('the invite dialog', () => {
  it('says a refused invitation and gives the focus back to Send invitation', async () => {
    let refuse!: (error: Error) => void;
    const admin = { invitePerson: () => new Promise((_, reject) => { refuse = reject; }) } as unknown as AdminApi;
    render(<InviteDialog admin={admin} people={[]} onClose={() => {}} onInvited={() => {}} />);
    fireEvent.change(screen.getByLabelText('Full name'), { target: { value: 'Sam Again' } });
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'sam.csm@acme.test' } });
    const send = screen.getByRole('button', { name: 'Send invitation' });
    send.focus();
    fireEvent.submit(document.getElementById('invite-form')!);
    await waitFor(() => expect((screen.getByRole('button', { name: 'Sending…' }) as HTMLButtonElement).disabled).toBe(true));
    // What the browser does to a focused control once it is disabled: the focus falls to the page.
    const away = document.body.appendChild(document.createElement('input'));
    away.focus();
    away.remove();
    refuse(new Error('That person already belongs to an organisation'));
    expect((await screen.findByRole('alert')).textContent).toContain('That person already belongs to an organisation');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Send invitation' })));
  });
});
