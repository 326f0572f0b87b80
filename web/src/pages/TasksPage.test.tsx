// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { navigate } from '../lib/router.ts';
import { TasksPage } from './TasksPage.tsx';
import { ApiError } from '../lib/errors.ts';
import type { Api } from '../lib/api.ts';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import { CUSTOMER_ID, task } from '../features/customers/fixtures.ts';

afterEach(cleanup);

describe('the tasks page', () => {

  it('opens New task again with what was typed in it and not created, after leaving the page or a reload', () => {
    const { wrap } = cannedWorkspace('csm', { list_tasks: () => ({ items: [], next_cursor: null }) });
    const first = render(<TasksPage />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'New task' }));
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Send the 2-year option' } });
    first.unmount();
    render(<TasksPage />, { wrapper: wrap });
    expect((within(screen.getByRole('form', { name: 'New task' })).getByLabelText('Title') as HTMLInputElement).value).toBe('Send the 2-year option');
    window.sessionStorage.clear();
  });
  it('moves between its views with the arrow keys, Home and End, as tabs do, one Tab stop for the strip', async () => {
    const { wrap, calls } = cannedWorkspace('csm', { list_tasks: () => ({ items: [], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    const tab = (name: string) => screen.getByRole('tab', { name });
    expect(screen.getAllByRole('tab').map((each) => each.tabIndex)).toEqual([0, -1, -1, -1, -1, -1, -1, -1]);
    tab('To do').focus();
    fireEvent.keyDown(tab('To do'), { key: 'ArrowRight' });
    expect(document.activeElement).toBe(tab('Today'));
    expect(tab('Today').getAttribute('aria-selected')).toBe('true');
    expect(tab('Today').tabIndex).toBe(0);
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ filters: { due: 'today' } }));
    fireEvent.keyDown(tab('Today'), { key: 'End' });
    expect(document.activeElement).toBe(tab('All'));
    fireEvent.keyDown(tab('All'), { key: 'ArrowRight' });
    expect(document.activeElement, 'past the last: the first').toBe(tab('To do'));
    fireEvent.keyDown(tab('To do'), { key: 'ArrowLeft' });
    expect(document.activeElement, 'before the first: the last').toBe(tab('All'));
    fireEvent.keyDown(tab('All'), { key: 'Home' });
    expect(document.activeElement).toBe(tab('To do'));
    expect(tab('To do').getAttribute('aria-selected')).toBe('true');
  });

  it('lists the tasks anew when its address is opened while it is shown (a "task assigned to you" notification clicked)', async () => {
    window.history.replaceState(null, '', '/tasks');
    let assigned = false;
    const { wrap } = cannedWorkspace('csm', { list_tasks: () => ({ items: assigned ? [task({ title: 'Handed to you' })] : [], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    await screen.findByText('Nothing to do. Nice.');
    assigned = true;
    act(() => navigate('/tasks'));
    await screen.findByText('Handed to you');
  });

  it('shows what was written about a task under its title: a follow-up\'s description typed in its form is not lost', async () => {
    const { wrap } = cannedWorkspace('csm', { list_tasks: () => ({ items: [task({ description: 'Ask for redlines by Friday.\nThen call Mia.' })], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    const item = (await screen.findByText('Send the 2-year option')).closest('li')!;
    expect(item.querySelector('.task-description')?.textContent).toBe('Ask for redlines by Friday.\nThen call Mia.');
  });

  it('says which AI agent created a task, as a draft says which drafted it, and nothing of a person\'s own', async () => {
    const { wrap } = cannedWorkspace('csm', { list_tasks: () => ({ items: [
      task({ id: 'task-agent', title: 'Send the renewal deck', created_by_agent: 'Renewal Bot' }),
      task({ id: 'task-own', title: 'Call the CFO', created_by_agent: null }),
    ], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    const agents = (await screen.findByText('Send the renewal deck')).closest('li')!;
    expect(agents.querySelector('.task-agent')?.textContent).toBe('created by the agent Renewal Bot');
    expect(screen.getByText('Call the CFO').closest('li')!.querySelector('.task-agent')).toBeNull();
  });

  it('names and links each task\'s customer, shows a snoozed task\'s until, and asks the server for each view', async () => {
    const { wrap, calls } = cannedWorkspace('csm', {
      list_tasks: () => ({ items: [task(), task({ id: 'task-2', title: 'Wait for legal', status: 'snoozed', snoozed_until: '2027-01-22T09:00:00Z' })], next_cursor: null }),
      list_task_options: () => ({ task_types: [], priorities: [{ key: 'low', label: 'Low' }, { key: 'urgent', label: 'Urgent' }] }),
    });
    render(<TasksPage />, { wrapper: wrap });
    const item = (await screen.findByText('Send the 2-year option')).closest('li')!;
    expect(within(item).getByRole('link', { name: 'Globex' }).getAttribute('href')).toBe(`/customers/${CUSTOMER_ID}`);
    const snoozed = screen.getByText('Wait for legal').closest('li')!;
    expect(snoozed.textContent).toContain('until 22 Jan 2027');

    for (const [tab, filters] of [['Today', { due: 'today' }], ['Overdue', { due: 'overdue' }], ['This week', { due: 'this_week' }]] as const) {
      fireEvent.click(screen.getByRole('tab', { name: tab }));
      await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ status: 'active', filters }));
    }
    fireEvent.click(screen.getByRole('tab', { name: 'Snoozed' }));
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ status: 'snoozed' }));
    fireEvent.click(screen.getByRole('tab', { name: 'All' }));
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ status: 'all' }));
    fireEvent.change(screen.getByLabelText('Sort'), { target: { value: 'priority' } });
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ sort: 'priority' }));
    fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'urgent' } });
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ filters: { priorities: ['urgent'] } }));
    expect(screen.queryByLabelText('Whose')).toBeNull();
  });

  it('lets a manager read the team\'s tasks', async () => {
    const { wrap, calls } = cannedWorkspace('manager', { list_tasks: () => ({ items: [task({ assigned_to: 'casey', assignee: { id: 'casey', full_name: 'Casey Junior' } })], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    await screen.findByText('Send the 2-year option');
    fireEvent.change(screen.getByLabelText('Whose'), { target: { value: 'team' } });
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ filters: { team: true } }));
    expect(screen.getByText('Send the 2-year option').closest('li')!.textContent).toContain('Casey Junior');
  });

  /** A CSM's Tasks page whose server makes any task asked for, for the one customer Globex. */
  function pageThatCreatesTasks() {
    const workspace = cannedWorkspace('csm', {
      list_tasks: () => ({ items: [], next_cursor: null }),
      list_customers: () => ({ items: [{ id: CUSTOMER_ID, name: 'Globex', domain: 'globex.example' }], next_cursor: null }),
      create_task: (args) => task({ id: 'task-9', title: args.title }),
    });
    render(<TasksPage />, { wrapper: workspace.wrap });
    return workspace.calls;
  }

  /** Opens New task and returns its form. */
  async function openNewTask(): Promise<HTMLElement> {
    fireEvent.click(await screen.findByRole('button', { name: 'New task' }));
    return screen.getByRole('form', { name: 'New task' });
  }

  /** Fills the form with a title (and details, when given), picks Globex, creates the task and waits for its notice. */
  async function createForGlobex(form: HTMLElement, title: string, details?: string): Promise<void> {
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: title } });
    if (details !== undefined) fireEvent.change(within(form).getByLabelText(/Details/), { target: { value: details } });
    fireEvent.change(within(form).getByLabelText('Customer'), { target: { value: 'glo' } });
    fireEvent.click(await within(form).findByRole('button', { name: 'Globex' }));
    fireEvent.click(within(form).getByRole('button', { name: 'Create task' }));
    await screen.findByText(new RegExp(`Task “${title}” created for Globex`));
  }

  it('creates a task for a customer found by name and says its title', async () => {
    const calls = pageThatCreatesTasks();
    await createForGlobex(await openNewTask(), 'Book the QBR');
    expect(calls.find((call) => call.name === 'create_task')?.args).toMatchObject({ title: 'Book the QBR', customer_id: CUSTOMER_ID });
  });

  it('sends the details typed under the title as the task\'s description, and none when left blank', async () => {
    // Before, New task had no place for them: the description a task carries everywhere it is
    // shown (the Tasks page, the customer page) could be written only through an action's form.
    const calls = pageThatCreatesTasks();
    await createForGlobex(await openNewTask(), 'Book the QBR', '  Ask for the CFO and the new VP of Ops.  ');
    expect(calls.filter((call) => call.name === 'create_task').at(-1)?.args).toMatchObject({ description: 'Ask for the CFO and the new VP of Ops.' });
    const form = await openNewTask();
    expect((within(form).getByLabelText(/Details/) as HTMLTextAreaElement).value).toBe('');
    await createForGlobex(form, 'Send the deck', '   ');
    const blank = calls.filter((call) => call.name === 'create_task').at(-1)?.args as { title?: string; description?: string | null };
    expect({ title: blank.title, description: blank.description ?? null }).toEqual({ title: 'Send the deck', description: null });
  });

  it('puts Cancel before Create task, as a dialog puts Cancel before its action', async () => {
    const { wrap } = cannedWorkspace('csm', { list_tasks: () => ({ items: [], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'New task' }));
    const form = screen.getByRole('form', { name: 'New task' });
    const buttons = within(form).getAllByRole('button').map((button) => button.textContent);
    expect(buttons.slice(-2)).toEqual(['Cancel', 'Create task']);
  });

  it('says a new task\'s due date under its field as the app says dates, the field still named Due', async () => {
    const { wrap } = cannedWorkspace('csm', { list_tasks: () => ({ items: [], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'New task' }));
    const due = within(screen.getByRole('form', { name: 'New task' })).getByLabelText('Due') as HTMLInputElement;
    fireEvent.change(due, { target: { value: '2027-01-08' } });
    const words = screen.getByText('Fri, 8 Jan 2027');
    expect(due.getAttribute('aria-describedby')).toBe(words.id);
  });

  it('keeps a notice only until the next action, and lets it be dismissed', async () => {
    const { wrap } = cannedWorkspace('csm', {
      list_tasks: () => ({ items: [task()], next_cursor: null }),
      list_customers: () => ({ items: [{ id: CUSTOMER_ID, name: 'Globex', domain: 'globex.example' }], next_cursor: null }),
      create_task: (args) => task({ id: 'task-9', title: args.title }),
      act_on_task: () => task({ status: 'completed' }),
    });
    render(<TasksPage />, { wrapper: wrap });
    async function create(title: string) {
      fireEvent.click(await screen.findByRole('button', { name: 'New task' }));
      const form = screen.getByRole('form', { name: 'New task' });
      fireEvent.change(within(form).getByLabelText('Title'), { target: { value: title } });
      fireEvent.change(within(form).getByLabelText('Customer'), { target: { value: 'glo' } });
      fireEvent.click(await within(form).findByRole('button', { name: 'Globex' }));
      fireEvent.click(within(form).getByRole('button', { name: 'Create task' }));
      await screen.findByText(new RegExp(`Task “${title}” created`));
    }
    await create('Book the QBR');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss this notice' }));
    expect(screen.queryByText(/created for Globex/)).toBeNull();

    await create('Send the deck');
    const item = (await screen.findByText('Send the 2-year option')).closest('li')!;
    fireEvent.click(within(item).getByRole('button', { name: 'Complete' }));
    await waitFor(() => expect(screen.queryByText(/Task “Send the deck” created/)).toBeNull());
  });

  it('refuses to create a task without a customer, said beside the customer field, which takes the focus', async () => {
    const { wrap, calls } = cannedWorkspace('csm', { list_tasks: () => ({ items: [], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'New task' }));
    const form = screen.getByRole('form', { name: 'New task' });
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: 'Orphan' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create task' }));
    const message = await within(form).findByText('Choose the customer the task is for.');
    const customer = within(form).getByLabelText('Customer');
    expect(message.getAttribute('role')).toBe('alert');
    expect(customer.getAttribute('aria-describedby')).toContain(message.id);
    expect(document.activeElement).toBe(customer);
    expect(calls.some((call) => call.name === 'create_task')).toBe(false);
  });

  it('says what a task action did in a notice that takes the focus, as the task leaves the view', async () => {
    let lists = 0;
    // The first list has the task; once it is completed (the canned api's actOnTask), the reload has none.
    const { wrap } = cannedWorkspace('csm', { list_tasks: () => ({ items: lists++ === 0 ? [task()] : [], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    const item = (await screen.findByText('Send the 2-year option')).closest('li')!;
    fireEvent.click(within(item).getByRole('button', { name: 'Complete' }));
    const notice = await screen.findByText('“Send the 2-year option” completed.');
    await waitFor(() => expect(document.activeElement).toBe(notice.closest('.notice')));
    expect(screen.queryByText('Send the 2-year option')).toBeNull();
  });

  it('completes a task again under its first key after the answer was lost, so the server answers what the first did', async () => {
    localStorage.clear();
    const keys: unknown[] = [];
    const actOnTask = async (_taskId: string, _action: string, _params: Record<string, unknown>, key: string) => {
      keys.push(key);
      if (keys.length === 1) throw new ApiError('TypeError: Failed to fetch', { code: '', status: 0 });
      return task({ status: 'completed' });
    };
    const { wrap } = cannedWorkspace('csm', { list_tasks: () => ({ items: [task()], next_cursor: null }) }, { actOnTask } as unknown as Partial<Api>);
    render(<TasksPage />, { wrapper: wrap });
    const item = (await screen.findByText('Send the 2-year option')).closest('li')!;
    fireEvent.click(within(item).getByRole('button', { name: 'Complete' }));
    await screen.findByText(/could not reach the server/i);
    fireEvent.click(within(item).getByRole('button', { name: 'Complete' }));
    await screen.findByText('“Send the 2-year option” completed.');
    expect(typeof keys[0]).toBe('string');
    expect(keys[1], 'pressed again after the lost answer: the first key').toBe(keys[0]);
  });

  it('says a missing reason beside the Skip dialog\'s Reason, which takes the focus, until it is typed', async () => {
    const { wrap, calls } = cannedWorkspace('csm', { list_tasks: () => ({ items: [task()], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    const item = (await screen.findByText('Send the 2-year option')).closest('li')!;
    fireEvent.click(within(item).getByRole('button', { name: 'Skip' }));
    const dialog = screen.getByRole('dialog', { name: 'Skip task' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Skip task' }));
    const reason = within(dialog).getByLabelText('Reason');
    const message = within(dialog).getByRole('alert');
    expect(message.textContent).toBe('Say why the task is skipped.');
    expect(reason.getAttribute('aria-describedby')).toBe(message.id);
    expect(document.activeElement).toBe(reason);
    fireEvent.change(reason, { target: { value: 'Done by phone' } });
    expect(within(dialog).queryByRole('alert')).toBeNull();
    expect(calls.some((call) => call.name === 'act_on_task')).toBe(false);
  });

  it('points a viewer, who holds no task and makes none, to nothing they are not offered', async () => {
    // Before, a viewer's empty list said "or create one with “New task”", a button they never see.
    const { wrap } = cannedWorkspace('viewer', { list_tasks: () => ({ items: [], next_cursor: null }) });
    render(<TasksPage />, { wrapper: wrap });
    await screen.findByText('Nothing to do. Nice.');
    expect(screen.queryByRole('button', { name: 'New task' })).toBeNull();
    expect(screen.queryByText(/New task/)).toBeNull();
    expect(screen.getByText('Tasks are held by the people who work the customers; a viewer holds none.')).toBeTruthy();
  });
});
