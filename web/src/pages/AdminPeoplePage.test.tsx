// @vitest-environment happy-dom
// Admin → People says when each person last signed in, in words ("last signed in 7 Dec 2026"),
// not the clipped "last in 7 Dec 2026".
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminPeoplePage } from './AdminPeoplePage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import { ApiError } from '../lib/errors.ts';

afterEach(cleanup);

const PERSON = {
  id: 'p1', full_name: 'Casey Junior', email: 'casey.csm@acme.test', role: 'csm', manager_id: null, title: null, experience_level: null,
  status: 'active', invited_at: null, last_sign_in_at: '2026-12-07T09:15:00Z', open_workflows: 0, open_tasks: 0,
};

describe('the people of the organisation', () => {
  it('says when each person last signed in', async () => {
    const { wrap } = cannedWorkspace('admin', { list_people: () => [PERSON] });
    render(<AdminPeoplePage />, { wrapper: wrap });
    expect((await screen.findByText(/last signed in/)).textContent).toBe('last signed in 7 Dec 2026');
  });
});

describe('someone invited who has not joined yet', () => {
  it('says who invited them and when', async () => {
    const dana = { ...PERSON, id: 'p4', full_name: 'Dana Diaz', email: 'dana@acme.test', status: 'invited', last_sign_in_at: null,
                   invited_at: '2026-12-05T10:00:00Z', invited_by: { id: 'p3', full_name: 'Ada Admin' } };
    const { wrap } = cannedWorkspace('admin', { list_people: () => [PERSON, dana] });
    render(<AdminPeoplePage />, { wrapper: wrap });
    const row = (await screen.findByText('Dana Diaz')).closest('tr')!;
    expect(within(row).getByText(/^by /).textContent).toBe('by Ada Admin on 5 Dec 2026');
  });
});

describe('a pending invitation', () => {
  const dana = { ...PERSON, id: 'p4', full_name: 'Dana Diaz', email: 'dana@acme.test', status: 'invited', last_sign_in_at: null,
                 invited_at: '2026-12-05T10:00:00Z', invited_by: { id: 'p3', full_name: 'Ada Admin' } };

  it('offers an admin to resend or revoke it, and no Edit, which cannot apply before they join', async () => {
    const { wrap } = cannedWorkspace('admin', { list_people: () => [PERSON, dana] });
    render(<AdminPeoplePage />, { wrapper: wrap });
    const row = (await screen.findByText('Dana Diaz')).closest('tr')!;
    expect(within(row).getByRole('button', { name: 'Resend the invitation to Dana Diaz' }).textContent).toBe('Resend');
    expect(within(row).getByRole('button', { name: 'Revoke the invitation of Dana Diaz' }).textContent).toBe('Revoke');
    expect(within(row).queryByRole('button', { name: /^Edit|^View/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Edit Casey Junior' })).toBeTruthy();
  });

  it('is revoked once the admin confirms, and leaves the list', async () => {
    let revoked = false;
    const { wrap, calls } = cannedWorkspace('admin', {
      list_people: () => (revoked ? [PERSON] : [PERSON, dana]),
      revoke_invitation: () => { revoked = true; return { revoked: { id: 'p4', email: 'dana@acme.test', full_name: 'Dana Diaz', role: 'csm' } }; },
    });
    render(<AdminPeoplePage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Revoke the invitation of Dana Diaz' }));
    const asking = screen.getByRole('alert');
    expect(asking.textContent).toContain('Revoke the invitation of Dana Diaz (dana@acme.test)?');
    expect(document.activeElement?.textContent).toBe('Keep it');
    expect(calls.some((c) => c.name === 'revoke_invitation')).toBe(false);
    fireEvent.click(within(asking).getByRole('button', { name: 'Revoke the invitation' }));
    expect(await screen.findByText('The invitation of dana@acme.test is revoked: its link no longer works.')).toBeTruthy();
    expect(calls.find((c) => c.name === 'revoke_invitation')?.args).toEqual({ invitation_id: 'p4' });
    await waitFor(() => expect(screen.queryByText('Dana Diaz')).toBeNull());
  });

  it('is sent again through resend-invitation, and a refusal is said in the server\'s words', async () => {
    const sent: unknown[] = [];
    let refuse = false;
    const { wrap } = cannedWorkspace('admin', { list_people: () => [PERSON, dana] }, {
      invoke: (async (name: string, body: unknown) => {
        sent.push({ name, body });
        if (refuse) throw new ApiError('This invitation was sent again 3 times in the last 24 hours', { code: 'PT409', status: 409 });
        return { invitation: { id: 'p4', email: 'dana@acme.test', full_name: 'Dana Diaz', role: 'csm' } };
      }) as never,
    });
    render(<AdminPeoplePage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Resend the invitation to Dana Diaz' }));
    expect(await screen.findByText('Invitation sent again to dana@acme.test.')).toBeTruthy();
    expect(sent).toEqual([{ name: 'resend-invitation', body: { invitation_id: 'p4' } }]);
    refuse = true;
    fireEvent.click(screen.getByRole('button', { name: 'Resend the invitation to Dana Diaz' }));
    expect((await screen.findByText(/sent again 3 times/)).textContent).toContain('This invitation was sent again 3 times in the last 24 hours');
  });

  it('offers a manager nothing to change on it', async () => {
    const { wrap } = cannedWorkspace('manager', { list_people: () => [PERSON, dana] });
    render(<AdminPeoplePage />, { wrapper: wrap });
    const row = (await screen.findByText('Dana Diaz')).closest('tr')!;
    expect(within(row).queryAllByRole('button')).toEqual([]);
  });
});

describe('a manager on People', () => {
  it('offers to view an admin, whom only admins change, and to edit everyone else', async () => {
    const ada = { ...PERSON, id: 'p3', full_name: 'Ada Admin', email: 'ada@acme.test', role: 'admin' };
    const { wrap } = cannedWorkspace('manager', { list_people: () => [PERSON, ada] });
    render(<AdminPeoplePage />, { wrapper: wrap });
    expect((await screen.findByRole('button', { name: 'View Ada Admin' })).textContent).toBe('View');
    expect(screen.getByRole('button', { name: 'Edit Casey Junior' }).textContent).toBe('Edit');
  });
});

describe('after a person\'s work is handed over', () => {
  it('shows the open work counts as they now are once the dialog closes', async () => {
    // Before, the table kept the counts it loaded with: "Casey Junior … 13" and "Sam Senior … 47"
    // after all 13 went to Sam, until the page was loaded again.
    const casey = { ...PERSON, active: false, status: 'deactivated', deactivated_at: '2026-12-07T09:00:00Z', open_workflows: 1 };
    const sam = { ...PERSON, id: 'p2', full_name: 'Sam Senior', email: 'sam.csm@acme.test', active: true, open_workflows: 4 };
    let handed = false;
    const { wrap } = cannedWorkspace('admin', {
      list_people: () => (handed ? [{ ...casey, open_workflows: 0 }, { ...sam, open_workflows: 5 }] : [casey, sam]),
      get_person_open_work: () => ({ tasks: [], executions: [{ id: 'e-1', status: 'queued', customer: { id: 'c-1', name: 'Adventure Works' }, workflow_key: 'critical', workflow_name: 'Critical Stage' }], customers: 0 }),
      reassign_workflow: () => { handed = true; return {}; },
    });
    render(<AdminPeoplePage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Casey Junior' }));
    fireEvent.click(screen.getByRole('button', { name: 'Hand over their open work…' }));
    fireEvent.change(await screen.findByLabelText('New owner of Critical Stage · Adventure Works'), { target: { value: 'p2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign' }));
    await screen.findByText('Handed to Sam Senior');
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    const row = (name: string) => within(screen.getByText(name).closest('tr')!).getAllByRole('cell').map((cell) => cell.textContent);
    await waitFor(() => expect(row('Sam Senior')[5]).toBe('5'));
    expect(row('Casey Junior')[5]).toBe('0');
  });
});

describe('AdminPeoplePage for a csm', () => {
  it('says who may use it and asks the server nothing (which would refuse, a 403 in the console)', async () => {
    const { wrap, calls } = cannedWorkspace('csm', {});
    render(<AdminPeoplePage />, { wrapper: wrap });
    expect(await screen.findByText('Only admins and managers manage people.')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual([]);
  });
});
