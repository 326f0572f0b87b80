// @vitest-environment happy-dom
// New task's Customer box: a search that finds nobody says so (and what to do) instead of
// showing nothing, and a slow answer to an earlier text never replaces the list for the text
// in the box now.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { Api } from '../../lib/api.ts';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import { CreateTaskForm } from './CreateTaskForm.tsx';

afterEach(cleanup);

const row = (name: string) => ({ id: name, name, domain: `${name.toLowerCase()}.example` });

/** A workspace whose customer searches are answered when the test says so. */
function workspaceAnsweringLater() {
  const waiting = new Map<string, (items: unknown[]) => void>();
  const client = {
    rpc: (name: string, args: { search?: string } = {}) => {
      if (name !== 'list_customers') return Promise.resolve({ data: name === 'list_task_options' ? { task_types: [], priorities: [] } : [], error: null, status: 200 });
      return new Promise((resolve) => waiting.set(args.search ?? '', (items) => resolve({ data: { items, next_cursor: null }, error: null, status: 200 })));
    },
  };
  const api = { client, listTeamMembers: async () => [] } as unknown as Api;
  const workspace = { api, profile: { id: 'me', role: 'csm' }, config: {}, signOut: async () => {} } as unknown as Workspace;
  const answer = async (search: string, items: unknown[]) => { await act(async () => { waiting.get(search)!(items); }); };
  return { workspace, answer };
}

describe('the new task\'s customer search', () => {
  it('says when nobody matches, and what to do', async () => {
    const { workspace, answer } = workspaceAnsweringLater();
    render(<WorkspaceContext.Provider value={workspace}><CreateTaskForm onCreated={() => {}} /></WorkspaceContext.Provider>);
    fireEvent.change(screen.getByLabelText('Customer'), { target: { value: 'Zzyzx' } });
    await answer('Zzyzx', []);
    expect(screen.getByRole('status').textContent).toBe('No customer matches “Zzyzx”. Check the spelling, or look it up on Customers.');
  });

  it('shows the answer to the text in the box, never a slower one to an earlier text', async () => {
    const { workspace, answer } = workspaceAnsweringLater();
    render(<WorkspaceContext.Provider value={workspace}><CreateTaskForm onCreated={() => {}} /></WorkspaceContext.Provider>);
    const box = screen.getByLabelText('Customer');
    fireEvent.change(box, { target: { value: 'Co' } });
    fireEvent.change(box, { target: { value: 'Contoso' } });
    await answer('Contoso', [row('Contoso')]);
    await answer('Co', [row('Coho Winery'), row('Contoso'), row('Consolidated Messenger')]);
    const list = screen.getByRole('list', { name: 'Matching customers' });
    expect([...list.querySelectorAll('button')].map((button) => button.textContent)).toEqual(['Contoso']);
  });

  it('says the new task\'s due day with its year, as every date of the app', async () => {
    let said = '';
    const client = { rpc: async (name: string, args: Record<string, unknown> = {}) => ({
      data: name === 'create_task' ? { id: 't1', title: args.title } : name === 'list_task_options' ? { task_types: [], priorities: [] } : [], error: null, status: 200 }) };
    const workspace = { api: { client, listTeamMembers: async () => [] }, profile: { id: 'me', role: 'csm' }, config: {}, signOut: async () => {} } as unknown as Workspace;
    render(<WorkspaceContext.Provider value={workspace}><CreateTaskForm customer={{ id: 'c1', name: 'Contoso' }} onCreated={(_task, message) => { said = message; }} /></WorkspaceContext.Provider>);
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Call the CFO' } });
    fireEvent.change(screen.getByLabelText('Due'), { target: { value: '2026-12-08' } });
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Create task' })); });
    expect(said).toBe('Task “Call the CFO” created for Contoso, due 8 Dec 2026.');
  });
});
