// @vitest-environment happy-dom
// What was typed into New task and not yet created is kept for the tab (lib/unsentText.ts), as
// the chat's message and the activity log's note are: a CSM who opens the customer mid-task to
// check a name and comes back, or reloads, finds the title and details still there, and the
// page opens the form again to show them. Created, or cancelled, it is forgotten.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import { CreateTaskForm, hasTaskDraft } from './CreateTaskForm.tsx';

afterEach(() => { cleanup(); window.sessionStorage.clear(); });

function workspace(): Workspace {
  const client = { rpc: async (name: string, args: Record<string, unknown> = {}) => ({
    data: name === 'create_task' ? { id: 't1', title: args.title } : name === 'list_task_options' ? { task_types: [], priorities: [] } : [], error: null, status: 200 }) };
  return { api: { client, listTeamMembers: async () => [] }, profile: { id: 'me', role: 'csm', time_zone: 'UTC' }, config: {}, signOut: async () => {} } as unknown as Workspace;
}

function form(props: Partial<Parameters<typeof CreateTaskForm>[0]> = {}) {
  return <WorkspaceContext.Provider value={workspace()}>
    <CreateTaskForm customer={{ id: 'c1', name: 'Contoso' }} onCreated={() => {}} {...props} />
  </WorkspaceContext.Provider>;
}

function type(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('a new task typed and not yet created', () => {
  it('is still there when the form opens again after leaving the page', () => {
    const first = render(form());
    type('Title', 'Call the CFO');
    type('Details (optional)', 'Ask for the redlines by Friday');
    first.unmount();
    expect(hasTaskDraft('me', 'c1')).toBe(true);
    render(form());
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Call the CFO');
    expect((screen.getByLabelText('Details (optional)') as HTMLTextAreaElement).value).toBe('Ask for the redlines by Friday');
  });

  it('is kept apart for each customer, and for the Tasks page\'s form', () => {
    const first = render(form());
    type('Title', 'Call the CFO');
    first.unmount();
    expect(hasTaskDraft('me', 'c2')).toBe(false);
    expect(hasTaskDraft('me', undefined)).toBe(false);
    render(form({ customer: { id: 'c2', name: 'Fabrikam' } }));
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('');
  });

  it('is forgotten once the task is created', async () => {
    const first = render(form());
    type('Title', 'Call the CFO');
    await act(async () => { fireEvent.click(screen.getByRole('button', { name: 'Create task' })); });
    first.unmount();
    expect(hasTaskDraft('me', 'c1')).toBe(false);
  });

  it('is forgotten when the form is cancelled', () => {
    const first = render(form({ onCancel: () => {} }));
    type('Title', 'Call the CFO');
    type('Details (optional)', 'Ask for the redlines');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    first.unmount();
    expect(hasTaskDraft('me', 'c1')).toBe(false);
  });
});
