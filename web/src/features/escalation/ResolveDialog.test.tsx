// @vitest-environment happy-dom
// Reassigning an escalation (or a workflow) without choosing who takes it over is said beside
// the New assignee list, which takes the focus, and nothing is sent; before, the words sat at
// the dialog's foot with the focus left on Reassign.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import { ResolveDialog } from './ResolveDialog.tsx';

afterEach(cleanup);

describe('resolving an escalation by reassigning it', () => {
  it('says a person not chosen beside the list, which takes the focus, and sends nothing until one is', async () => {
    const { wrap, calls } = cannedWorkspace('manager', { resolve_escalation: () => ({ status: 'resolved' }) });
    let resolved: string | null = null;
    render(<ResolveDialog executionId="e1" customerName="Contoso" assigneeId="me" assigneeName="Sam CSM" reason="Discount"
      onClose={() => {}} onResolved={(_decision, text) => { resolved = text; }} />, { wrapper: wrap });
    fireEvent.click(screen.getByLabelText(/Reassign to another CSM/));
    fireEvent.change(screen.getByLabelText('Note for both of them'), { target: { value: 'Casey has the contacts' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign' }));
    const list = screen.getByLabelText('New assignee');
    const message = screen.getByRole('alert');
    expect(message.textContent).toBe('Choose who takes the workflow over.');
    expect(list.getAttribute('aria-describedby')).toBe(message.id);
    expect(document.activeElement).toBe(list);
    expect(calls.filter((call) => call.name === 'resolve_escalation')).toEqual([]);

    await screen.findByRole('option', { name: 'Casey Junior' });
    fireEvent.change(list, { target: { value: 'casey' } });
    expect(screen.queryByRole('alert'), 'choosing someone clears it').toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reassign' }));
    await waitFor(() => expect(resolved).toBe('Reassigned to Casey Junior.'));
  });

  it('marks a person invited who has not joined yet "(invited)", whom the server lets take the work', async () => {
    const team = [{ id: 'me', full_name: 'Sam CSM', role: 'csm', invited: false },
      { id: 'casey', full_name: 'Casey Junior', role: 'csm', invited: false },
      { id: 'dana', full_name: 'Dana New', role: 'csm', invited: true, title: 'CSM' }];
    const { wrap } = cannedWorkspace('manager', {}, { listTeamMembers: async () => team } as never);
    render(<ResolveDialog executionId="e1" customerName="Contoso" assigneeId="me" assigneeName="Sam CSM" reason="Discount"
      onClose={() => {}} onResolved={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByLabelText(/Reassign to another CSM/));
    expect(await screen.findByRole('option', { name: 'Dana New (invited) — CSM' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Casey Junior' })).toBeTruthy();
  });
});

describe('resolving an escalation by closing it', () => {
  it('says that the mail waiting for the decision is cancelled with the workflow, and only for that decision', () => {
    const { wrap } = cannedWorkspace('manager', {});
    render(<ResolveDialog executionId="e1" customerName="Contoso" assigneeId="me" assigneeName="Sam CSM" reason="Discount"
      onClose={() => {}} onResolved={() => {}} />, { wrapper: wrap });
    const words = /Its email not sent yet, waiting for this decision, is cancelled too\./;
    expect(screen.getByRole('dialog').textContent).not.toMatch(words);
    fireEvent.click(screen.getByLabelText(/Close the workflow/));
    expect(screen.getByRole('dialog').textContent).toMatch(words);
  });
});
