// @vitest-environment happy-dom
// A deactivated person's open work is handed over to someone the admin chooses: all of it at
// once ("Hand everything to", one hand_over_work request that moves their customers too: before,
// one request per item, and the new owner got a notification for each), or item by item. Nobody is chosen for them: before, each item's
// list started on the first name in the organisation (Ada Admin), so one Reassign pressed
// without looking gave the work to whoever sorted first, and fourteen items took fourteen choices.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { AdminApi, OpenWork as OpenWorkData, Person } from './api.ts';
import { OpenWork } from './OpenWork.tsx';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

function person(id: string, full_name: string, overrides: Partial<Person> = {}): Person {
  return {
    id, full_name, email: `${id}@acme.test`, role: 'csm', title: null, experience_level: null, manager_id: null, manager_name: null,
    active: true, deactivated_at: null, status: 'active', invited_at: null, invited_by: null, last_sign_in_at: null, open_workflows: 0, open_tasks: 0, customers: 0,
    created_at: '2026-11-01T09:00:00Z', ...overrides,
  };
}
const casey = person('casey', 'Casey Junior', { active: false, status: 'deactivated' });
const people = [person('ada', 'Ada Admin', { role: 'admin' }), person('maria', 'Maria Manager', { role: 'manager' }), casey];
const work = {
  executions: [
    { id: 'w1', status: 'queued', workflow_name: 'Critical Stage', customer: { id: 'c1', name: 'Litware Security' } },
    { id: 'w2', status: 'in_progress', workflow_name: 'Risk Assessment', customer: { id: 'c2', name: 'Adventure Works' } },
  ],
  tasks: [{ id: 't1', title: 'Call the CFO', status: 'pending', due_date: '2026-12-20', customer: { id: 'c2', name: 'Adventure Works' } }],
  customers: 2,
} as unknown as OpenWorkData;

function recording(handedOver = { customers: 2, workflows: 2, tasks: 1 }) {
  const sent: [string, string][] = [];
  const admin = {
    reassignWorkflow: async (id: string, to: string) => { sent.push([id, to]); return {}; },
    reassignTask: async (id: string, to: string) => { sent.push([id, to]); return {}; },
    handOverWork: async (id: string, to: string) => {
      sent.push([id, to]);
      return { profile_id: id, assignee_id: to, assignee_name: 'Maria Manager', handed_over: handedOver };
    },
  } as unknown as AdminApi;
  return { admin, sent };
}

describe('handing over a deactivated person\'s open work', () => {
  it('hands everything, their customers too, to the person chosen in one request (one notification for them), and says so', async () => {
    const { admin, sent } = recording();
    render(<OpenWork admin={admin} work={work} leaver={casey} people={people} />);
    fireEvent.change(screen.getByLabelText('Hand everything to'), { target: { value: 'maria' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hand over all 3 and 2 customers' }));
    const said = await screen.findByText('Handed 3 to Maria Manager, with their 2 customers.');
    expect(sent).toEqual([['casey', 'maria']]);
    expect(screen.getAllByText('Handed to Maria Manager')).toHaveLength(3);
    await waitFor(() => expect(document.activeElement).toBe(said));
  });

  it('chooses nobody for the admin: each list starts on "Choose a person…", and a Reassign with nobody chosen says so and sends nothing', async () => {
    const { admin, sent } = recording();
    render(<OpenWork admin={admin} work={work} leaver={casey} people={people} />);
    const list = screen.getByLabelText('New owner of Critical Stage · Litware Security') as HTMLSelectElement;
    expect(list.value).toBe('');
    const row = list.closest('li')!;
    fireEvent.click(within(row).getByRole('button', { name: 'Reassign' }));
    expect(within(row).getByRole('alert').textContent).toBe('Choose who takes it over.');
    expect(document.activeElement).toBe(list);
    fireEvent.click(screen.getByRole('button', { name: 'Hand over all 3 and 2 customers' }));
    expect(screen.getByText('Choose who takes their work over.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Hand everything to'));
    await Promise.resolve();
    expect(sent).toEqual([]);
  });
});

describe('a leaver who is CSM of customers and holds no open work', () => {
  it('offers their customers to hand over, and moves them in one request', async () => {
    // Before, the dialog said they had nothing to hand over, and their customers stayed theirs.
    const { admin, sent } = recording({ customers: 2, workflows: 0, tasks: 0 });
    const onlyCustomers = { executions: [], tasks: [], customers: 2 } as unknown as OpenWorkData;
    render(<OpenWork admin={admin} work={onlyCustomers} leaver={casey} people={people} />);
    expect(screen.getByText(/Casey Junior is CSM of 2 customers\./)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Hand everything to'), { target: { value: 'maria' } });
    fireEvent.click(screen.getByRole('button', { name: 'Hand over 2 customers' }));
    expect(await screen.findByText('Handed their 2 customers to Maria Manager.')).toBeTruthy();
    expect(sent).toEqual([['casey', 'maria']]);
    expect(screen.queryByText(/is CSM of/)).toBeNull();
  });

  it('says nothing is left when they hold neither work nor customers', () => {
    const { admin } = recording();
    render(<OpenWork admin={admin} work={{ executions: [], tasks: [], customers: 0 } as unknown as OpenWorkData} leaver={casey} people={people} />);
    expect(screen.getByText('Casey Junior had no open workflows, tasks or customers.')).toBeTruthy();
  });
});

describe('what each item is', () => {
  it('says a workflow\'s and an undated task\'s status in words, never its key', () => {
    // Before, a task with no due date read "task, in_progress".
    const undated = {
      executions: [{ id: 'w2', status: 'in_progress', workflow_name: 'Risk Assessment', customer: { id: 'c2', name: 'Adventure Works' } }],
      tasks: [{ id: 't2', title: 'Send the deck', status: 'in_progress', due_date: null, customer: { id: 'c2', name: 'Adventure Works' } }],
      customers: 0,
    } as unknown as OpenWorkData;
    const { admin } = recording();
    render(<OpenWork admin={admin} work={undated} leaver={casey} people={people} />);
    expect(screen.getByText('— workflow, in progress')).toBeTruthy();
    expect(screen.getByText('— task, in progress')).toBeTruthy();
  });
});

