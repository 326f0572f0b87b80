// @vitest-environment happy-dom
// A manager hands a customer to another CSM from its page ("Change CSM", reassign_customer):
// the new CSM is chosen from those who can take work, a reason is given, and the page says who
// has it now. Before, nothing in the app (or the API) changed a customer's CSM, so a deactivated
// person stayed the owner of their customers. CSMs and viewers are not offered it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ChangeCsm } from './ChangeCsm.tsx';
import { cannedWorkspace } from './testWorkspace.tsx';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

const TEAM = [
  { id: 'me', full_name: 'Maria Manager', role: 'manager' },
  { id: 'sam', full_name: 'Sam Senior', role: 'csm' },
  { id: 'casey', full_name: 'Casey Junior', role: 'csm' },
  { id: 'vic', full_name: 'Victor Viewer', role: 'viewer' },
];

function page(role: 'manager' | 'csm' | 'viewer') {
  const said: string[] = [];
  const workspace = cannedWorkspace(role, {
    reassign_customer: (args) => ({ customer_id: args.customer_id, assignee_id: args.assignee_id, assignee_name: 'Casey Junior',
      previous_assignee_id: 'sam', handed_over: { customers: 1, workflows: 2, tasks: 1 } }),
  }, { listTeamMembers: async () => TEAM } as never);
  render(<ChangeCsm customerId="c1" customerName="Fabrikam" csmId="sam" onChanged={(notice) => said.push(notice)} />, { wrapper: workspace.wrap });
  return { calls: workspace.calls, said };
}

describe('changing a customer\'s CSM', () => {
  it('hands the customer to the CSM chosen, with the reason, and says who has it', async () => {
    const { calls, said } = page('manager');
    fireEvent.click(screen.getByRole('button', { name: 'Change CSM' }));
    const list = await screen.findByLabelText('New CSM') as HTMLSelectElement;
    await waitFor(() => expect(list.options.length).toBe(3));
    expect(Array.from(list.options).map((option) => option.textContent)).toEqual(['Choose a person…', 'Maria Manager', 'Casey Junior']);
    fireEvent.change(list, { target: { value: 'casey' } });
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Sam is on leave' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hand over' }));
    await waitFor(() => expect(said).toEqual(['Handed Fabrikam to Casey Junior.']));
    expect(calls.filter((call) => call.name === 'reassign_customer').map((call) => ({ ...call.args, idempotency_key: typeof call.args.idempotency_key })))
      .toEqual([{ customer_id: 'c1', assignee_id: 'casey', reason: 'Sam is on leave', idempotency_key: 'string' }]);
  });

  it('asks for the new CSM beside the list before sending anything', async () => {
    const { calls } = page('manager');
    fireEvent.click(screen.getByRole('button', { name: 'Change CSM' }));
    fireEvent.change(await screen.findByLabelText('Reason'), { target: { value: 'Sam is on leave' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hand over' }));
    expect(await screen.findByText('Choose who becomes the CSM.')).toBeTruthy();
    expect(calls.some((call) => call.name === 'reassign_customer')).toBe(false);
  });

  it('is not offered to a CSM or a viewer', () => {
    page('csm');
    expect(screen.queryByRole('button', { name: 'Change CSM' })).toBeNull();
    cleanup();
    page('viewer');
    expect(screen.queryByRole('button', { name: 'Change CSM' })).toBeNull();
  });
});
