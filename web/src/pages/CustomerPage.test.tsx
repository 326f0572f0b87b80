// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { navigate } from '../lib/router.ts';
import { CustomerPage } from './CustomerPage.tsx';
import { useScrollToAnchor } from '../hooks/useScrollToAnchor.ts';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import { CUSTOMER_ID, context, overview, task, timeline } from '../features/customers/fixtures.ts';

// What was typed and not logged is kept for the tab (lib/unsentText.ts): each test starts with none.
afterEach(() => { cleanup(); window.sessionStorage.clear(); });

function answers(extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  return {
    get_customer_context: () => context,
    get_customer_overview: () => overview,
    get_customer_timeline: () => timeline,
    ...extra,
  };
}

describe('the customer page', () => {
  it('says a customer that is not there in words, with the way back to Customers, not the server\'s words and Try again', async () => {
    const missing = () => { throw { code: 'PT404', message: 'Customer not found', hint: 'Check the id; you can only see customers of your own organisation.' }; };
    const { wrap } = cannedWorkspace('csm', answers({ get_customer_overview: missing, get_customer_context: missing, get_customer_timeline: missing }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const alert = (await screen.findByText('This customer could not be opened')).closest<HTMLElement>('[role="alert"]')!;
    expect(alert.textContent).toContain('There is no customer at this address: it may have been mistyped, or it belongs to another organisation.');
    expect(alert.textContent).not.toMatch(/Check the id/);
    expect(within(alert).getByRole('link', { name: 'Back to Customers' }).getAttribute('href')).toBe('/customers');
    expect(within(alert).queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('shows the customer, the notice deadline, open and past workflows, tasks, timeline, contracts, artifacts and stakeholders', async () => {
    const { wrap } = cannedWorkspace('csm', answers());
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    await screen.findByRole('heading', { level: 1, name: 'Globex' });
    expect(document.body.textContent).toContain('renews 30 Mar 2027 unless notice by 29 Jan 2027, in 10 days');
    expect(within(screen.getByRole('region', { name: 'Open workflows' })).getByRole('link', { name: 'Critical Stage' }).getAttribute('href')).toBe('/workflows/e-open');
    expect(within(screen.getByRole('region', { name: 'Past workflows' })).getByRole('link', { name: 'Monthly Health Check' })).toBeTruthy();
    await screen.findByText('Send the 2-year option');
    const activity = screen.getByRole('region', { name: 'Activity' });
    await within(activity).findByText('Budget call with the CFO');
    expect(within(activity).getByText(/Renewal stage: Signature → Critical/)).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Contracts' })).getByText(/Notice deadline 29 Jan 2027/)).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Artifacts' })).getByText('Check-in note')).toBeTruthy();
    expect(screen.getByTestId('health-chart')).toBeTruthy();
    await screen.findByText('Dana CFO');
    expect(screen.getByRole('form', { name: 'Log activity' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'New task' })).toBeTruthy();
    await screen.findByRole('option', { name: 'Risk Intervention' });
    expect(screen.getByRole('search', { name: 'Search Globex’s history' })).toBeTruthy();
  });

  it('says which agent logged a note an AI client logged for the person, as an agent\'s draft says it', async () => {
    const byAgent = { ...timeline.items[0]!, id: 't-agent', title: 'Pricing pushback', summary: 'Pricing pushback',
      details: { source: 'manual', details: { logged_by_agent: 'Renewal Bot' } } };
    const { wrap } = cannedWorkspace('csm', answers({ get_customer_timeline: () => ({ ...timeline, items: [byAgent, ...timeline.items] }) }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const activity = await screen.findByRole('region', { name: 'Activity' });
    const agents = (await within(activity).findByText(/Pricing pushback/)).closest('li')!;
    expect(agents.textContent).toContain('Sam CSM\u00a0· logged by the agent Renewal Bot');
    const persons = within(activity).getByText('Budget call with the CFO').closest('li')!;
    expect(persons.textContent).not.toContain('agent');
  });

  it('says of each email draft where it is, as the workflow page does: sent, queued, failed, approved or not', async () => {
    const draft = overview.artifacts[0]!;
    const artifacts = [
      { ...draft, id: 'a-sent', title: 'Went out', send_state: 'sent' },
      { ...draft, id: 'a-queued', title: 'Waiting', send_state: 'queued' },
      { ...draft, id: 'a-failed', title: 'Bounced', send_state: 'failed' },
      { ...draft, id: 'a-approved', title: 'Ready', send_state: null },
      { ...draft, id: 'a-draft', title: 'Still a draft', approved_at: null, send_state: null },
    ];
    const { wrap } = cannedWorkspace('csm', answers({ get_customer_overview: () => ({ ...overview, artifacts }) }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const region = await screen.findByRole('region', { name: 'Artifacts' });
    const status = (title: string) => within(region).getByText(title).closest('li')!.querySelector('.badge')?.textContent;
    await within(region).findByText('Went out');
    expect(status('Went out')).toBe('Sent');
    expect(status('Waiting')).toBe('Queued to send');
    expect(status('Bounced')).toBe('Send failed');
    expect(status('Ready')).toBe('Approved');
    expect(status('Still a draft')).toBe('Not approved');
  });

  it('says each task\'s when, whose and workflow in one line, its link saying what it opens', async () => {
    const snoozed = task({ id: 'task-3', title: 'Wait for legal', status: 'snoozed', snoozed_until: '2027-01-22T09:00:00Z', execution_id: 'e-open',
      assigned_to: 'casey', assignee: { id: 'casey', full_name: 'Casey Junior' } });
    const { wrap } = cannedWorkspace('csm', answers({ get_customer_overview: () => ({ ...overview, tasks: [snoozed] }) }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const item = (await screen.findByText('Wait for legal')).closest('li')!;
    expect(within(item).getByRole('link', { name: 'Open the workflow' }).getAttribute('href')).toBe('/workflows/e-open');
    expect(item.querySelector('.parts-line')?.textContent).toBe('due 20 Jan 2027 (in 2 days)\u00a0· snoozed until 22 Jan 2027\u00a0· Casey Junior\u00a0· Open the workflow');
  });

  it('shows what was written about a task under its title (a follow-up\'s description), and nothing for one without', async () => {
    const described = task({ id: 'task-4', title: 'Call legal about the MSA', description: 'Ask for redlines by Friday.' });
    const { wrap } = cannedWorkspace('csm', answers({ get_customer_overview: () => ({ ...overview, tasks: [described, task({ id: 'task-5', title: 'Bare task', description: '  ' })] }) }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const item = (await screen.findByText('Call legal about the MSA')).closest('li')!;
    expect(within(item).getByText('Ask for redlines by Friday.')).toBeTruthy();
    expect(screen.getByText('Bare task').closest('li')!.querySelector('.task-description')).toBeNull();
  });

  it('loads the customer anew when its address is opened while it is shown (a hand-over notification clicked)', async () => {
    window.history.replaceState(null, '', `/customers/${CUSTOMER_ID}`);
    let handed = false;
    const { wrap } = cannedWorkspace('csm', answers({ get_customer_overview: () => ({ ...overview, tasks: handed ? [task({ id: 'task-h', title: 'Handed over with it' })] : [] }) }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    await screen.findByText('No open tasks.');
    handed = true;
    act(() => navigate(`/customers/${CUSTOMER_ID}`));
    await screen.findByText('Handed over with it');
  });

  it('shows how a renewal ended on the timeline, and its filter of changes asks for outcomes too', async () => {
    const outcome = { id: 't-outcome', kind: 'renewal_outcome', subtype: 'renewed', occurred_at: '2027-01-19T09:00:00Z',
      title: 'Renewed at $25,000, was $22,000', summary: null, actor: { id: 'me', full_name: 'Sam CSM' }, execution_id: 'e-past',
      details: { outcome: 'renewed', previous_arr: 22000, new_arr: 25000, renewal_date: '2027-03-30' } };
    const { wrap, calls } = cannedWorkspace('csm', answers({ get_customer_timeline: () => ({ ...timeline, items: [outcome, ...timeline.items] }) }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const activity = await screen.findByRole('region', { name: 'Activity' });
    const entry = (await within(activity).findByText(/Renewed at/)).closest('li')!;
    expect(entry.querySelector('.timeline-title')!.textContent).toBe('Renewal outcome · Renewed at $25,000, was $22,000');
    expect(within(entry).getByRole('link', { name: 'Open the workflow' }).getAttribute('href')).toBe('/workflows/e-past');
    fireEvent.change(within(activity).getByRole('combobox', { name: 'Show in the timeline' }), { target: { value: 'changes' } });
    expect(within(activity).getByRole('option', { name: 'Stage, plan, forecast and outcomes' })).toBeTruthy();
    await waitFor(() => expect(calls.filter((call) => call.name === 'get_customer_timeline').at(-1)!.args.kinds)
      .toEqual(['stage_change', 'plan_change', 'forecast_change', 'renewal_outcome']));
  });

  it('logs a call and reloads the timeline', async () => {
    const logged: Record<string, unknown>[] = [];
    const { wrap, calls } = cannedWorkspace('csm', answers({ log_engagement: (args) => { logged.push(args); return { id: 'new' }; } }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const form = await screen.findByRole('form', { name: 'Log activity' });
    fireEvent.click(within(form).getByRole('radio', { name: 'Call' }));
    fireEvent.change(within(form).getByLabelText('What happened'), { target: { value: 'Agreed the renewal terms' } });
    const before = calls.filter((call) => call.name === 'get_customer_timeline').length;
    fireEvent.click(within(form).getByRole('button', { name: 'Log call' }));
    await within(form).findByText('Call logged.');
    expect(logged[0]).toMatchObject({ customer_id: CUSTOMER_ID, kind: 'call', summary: 'Agreed the renewal terms' });
    // "When" left alone means now, to the second (not the minute the form opened).
    expect(Math.abs(Date.parse(String(logged[0]!.occurred_at)) - Date.now())).toBeLessThan(5_000);
    expect(String(logged[0]!.occurred_at)).not.toMatch(/:00\.000Z$/);
    await waitFor(() => expect(calls.filter((call) => call.name === 'get_customer_timeline').length).toBeGreaterThan(before));
  });

  // A CSM typing a call's notes who opens the workflow (or a stakeholder's page) to check a
  // detail finds the notes still there on coming back, as the chat keeps its unsent message;
  // logged, they are gone. Before, the box came back empty.
  it('keeps what was typed in the log, not yet logged, when the page is left and opened again', async () => {
    const { wrap } = cannedWorkspace('csm', answers({ log_engagement: () => ({ id: 'new' }) }));
    const first = render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    let form = await screen.findByRole('form', { name: 'Log activity' });
    fireEvent.change(within(form).getByLabelText('What happened'), { target: { value: 'Priya will sign by Thursday at a 5% cap' } });
    first.unmount();
    const second = render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    form = await screen.findByRole('form', { name: 'Log activity' });
    expect((within(form).getByLabelText('What happened') as HTMLTextAreaElement).value).toBe('Priya will sign by Thursday at a 5% cap');
    fireEvent.click(within(form).getByRole('button', { name: 'Log call' }));
    await within(form).findByText('Call logged.');
    second.unmount();
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    form = await screen.findByRole('form', { name: 'Log activity' });
    expect((within(form).getByLabelText('What happened') as HTMLTextAreaElement).value).toBe('');
  });

  // A call logged is the customer's last contact: the context beside the timeline reads it
  // anew, rather than going on saying "3 days ago · Email" until a reload.
  it('reads the context anew once a call is logged, so its last contact is the call', async () => {
    const { wrap, calls } = cannedWorkspace('csm', answers({ log_engagement: () => ({ id: 'new' }) }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const form = await screen.findByRole('form', { name: 'Log activity' });
    await screen.findByText('Dana CFO');
    const before = calls.filter((call) => call.name === 'get_customer_context').length;
    fireEvent.change(within(form).getByLabelText('What happened'), { target: { value: 'Agreed the renewal terms' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Log call' }));
    await within(form).findByText('Call logged.');
    await waitFor(() => expect(calls.filter((call) => call.name === 'get_customer_context').length).toBeGreaterThan(before));
  });

  it('creates a task for this customer and says its title', async () => {
    const { wrap, calls } = cannedWorkspace('csm', answers({ create_task: (args) => task({ id: 'task-2', title: args.title }) }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'New task' }));
    const form = screen.getByRole('form', { name: 'New task' });
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: 'Call the CFO back' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create task' }));
    await screen.findByText(/Task “Call the CFO back” created for Globex/);
    expect(calls.find((call) => call.name === 'create_task')?.args).toMatchObject({ title: 'Call the CFO back', customer_id: CUSTOMER_ID });
  });

  it('says an empty log beside its box, which takes the focus, and clears it once something is typed', async () => {
    const { wrap, calls } = cannedWorkspace('csm', answers());
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const form = await screen.findByRole('form', { name: 'Log activity' });
    const box = within(form).getByLabelText('What happened');
    fireEvent.click(within(form).getByRole('button', { name: 'Log call' }));
    const message = within(form).getByRole('alert');
    expect(message.textContent).toBe('Say in a few words what happened.');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(box.getAttribute('aria-describedby')).toBe(message.id);
    expect(document.activeElement).toBe(box);
    expect(calls.some((call) => call.name === 'log_engagement')).toBe(false);
    fireEvent.change(box, { target: { value: 'Agreed' } });
    expect(within(form).queryByRole('alert')).toBeNull();
  });

  it.each([
    ['a time still to come', '2099-06-01T10:00', 'This time is still to come: log what has happened, and plan what is coming as a task.'],
    ['a time more than ten years ago', '2001-06-01T10:00', 'Choose a time within the last ten years.'],
    ['no time', '', 'Choose when it happened.'],
  ])('says %s beside When, which takes the focus, and logs nothing', async (_, value, words) => {
    const { wrap, calls } = cannedWorkspace('csm', answers());
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    const form = await screen.findByRole('form', { name: 'Log activity' });
    fireEvent.change(within(form).getByLabelText('What happened'), { target: { value: 'Agreed the renewal terms' } });
    const when = within(form).getByLabelText('When');
    fireEvent.change(when, { target: { value } });
    fireEvent.click(within(form).getByRole('button', { name: 'Log call' }));
    const message = within(form).getByRole('alert');
    expect(message.textContent, 'never the API\'s "occurred_at must be in the past"').toBe(words);
    expect(when.getAttribute('aria-describedby')).toContain(message.id);
    expect(document.activeElement).toBe(when);
    expect(calls.some((call) => call.name === 'log_engagement')).toBe(false);
  });

  it('opens New task with the focus in its title, says a missing title beside it, gives the focus back to New task on Cancel and to the notice once created', async () => {
    const { wrap } = cannedWorkspace('csm', answers({ create_task: (args) => task({ id: 'task-3', title: args.title }) }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'New task' }));
    let form = screen.getByRole('form', { name: 'New task' });
    const title = within(form).getByLabelText('Title');
    expect(document.activeElement).toBe(title);
    fireEvent.click(within(form).getByRole('button', { name: 'Create task' }));
    expect(within(form).getByRole('alert').textContent).toBe('Give the task a title.');
    expect(title.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(title);
    fireEvent.change(title, { target: { value: 'C' } });
    expect(within(form).queryByRole('alert')).toBeNull();

    fireEvent.click(within(form).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'New task' }));

    fireEvent.click(screen.getByRole('button', { name: 'New task' }));
    form = screen.getByRole('form', { name: 'New task' });
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: 'Call the CFO back' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create task' }));
    const notice = await screen.findByText(/Task “Call the CFO back” created for Globex/);
    await waitFor(() => expect(document.activeElement).toBe(notice.closest('.notice')));
  });

  it('says a due day gone beside Due, which takes the focus, and sends nothing; a due date the server refuses is said there too', async () => {
    let refused = false;
    const { wrap, calls } = cannedWorkspace('csm', answers({
      create_task: () => {
        refused = true;
        throw { code: '22023', message: 'due_date is in the past: a task falls due today or later', hint: 'Choose today (7 Dec 2026) or a later day.', status: 400 };
      },
    }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'New task' }));
    const form = screen.getByRole('form', { name: 'New task' });
    fireEvent.change(within(form).getByLabelText('Title'), { target: { value: 'Call the CFO back' } });
    const due = within(form).getByLabelText('Due');
    fireEvent.change(due, { target: { value: '2021-03-01' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create task' }));
    let message = within(form).getByRole('alert');
    expect(message.textContent).toBe('This day has passed: choose today or a later day.');
    expect(due.getAttribute('aria-describedby')).toContain(message.id);
    expect(document.activeElement).toBe(due);
    expect(calls.some((call) => call.name === 'create_task')).toBe(false);
    fireEvent.change(due, { target: { value: '2030-03-01' } });
    expect(within(form).queryByRole('alert')).toBeNull();

    // The server checks again (its clock, the organisation's time zone): its refusal goes beside Due.
    fireEvent.click(within(form).getByRole('button', { name: 'Create task' }));
    await waitFor(() => expect(refused).toBe(true));
    message = await within(form).findByRole('alert');
    expect(message.textContent).toBe('The due date is in the past: a task falls due today or later. Choose today (7 Dec 2026) or a later day.');
    expect(due.getAttribute('aria-describedby')).toContain(message.id);
    await waitFor(() => expect(document.activeElement).toBe(due));
  });

  it('takes a passage the history search found to its entry in the timeline, scrolled to and marked, as a chat citation does', async () => {
    const found = [{ rank: 0.4, title: 'Budget call', snippet: 'Budget call with the **CFO**', source_id: 't1',
      occurred_at: '2027-01-18T10:00:00Z', source_kind: 'engagement' }];
    window.history.replaceState(null, '', `/customers/${CUSTOMER_ID}`);
    const { wrap } = cannedWorkspace('csm', answers({ search_customer_history: () => found }));
    // The shell lands on a link's #place (useScrollToAnchor), on this page as on any.
    function InTheShell() { useScrollToAnchor(); return <CustomerPage customerId={CUSTOMER_ID} />; }
    render(<InTheShell />, { wrapper: wrap });
    await within(screen.getByRole('region', { name: 'Activity' })).findByText('Budget call with the CFO');
    fireEvent.change(screen.getByRole('searchbox', { name: /^Words to look for/ }), { target: { value: 'CFO' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    const link = await within(await screen.findByRole('list', { name: 'Passages found' })).findByRole('link', { name: 'Budget call' });
    expect(link.getAttribute('href')).toBe(`/customers/${CUSTOMER_ID}#engagement-t1`);
    fireEvent.click(link);
    const entry = document.getElementById('engagement-t1')!;
    await waitFor(() => expect(document.activeElement).toBe(entry));
    expect(entry.classList.contains('anchor-target')).toBe(true);
  });

  it('is read-only for a viewer', async () => {
    const { wrap } = cannedWorkspace('viewer', answers());
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    await screen.findByRole('heading', { level: 1, name: 'Globex' });
    await screen.findByText('Budget call with the CFO');
    expect(screen.queryByRole('form', { name: 'Log activity' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New task' })).toBeNull();
    expect(screen.queryByLabelText('Start a workflow')).toBeNull();
  });

  it("offers another CSM's customer's contract documents to read, not to upload; its CSM, a manager or an admin upload them", async () => {
    const casey = { ...overview, customer: { ...overview.customer, assigned_to: 'casey', assignee: { id: 'casey', full_name: 'Casey Junior' } } };
    const shown = async (role: 'csm' | 'manager' | 'admin', answer: typeof overview) => {
      const { wrap } = cannedWorkspace(role, answers({ get_customer_overview: () => answer }));
      render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
      await screen.findByRole('heading', { level: 1, name: 'Globex' });
      const upload = within(screen.getByRole('region', { name: 'Contracts' })).queryByText('Upload a contract') !== null;
      cleanup();
      return upload;
    };
    expect(await shown('csm', casey)).toBe(false);
    expect(await shown('csm', overview)).toBe(true);
    expect(await shown('manager', casey)).toBe(true);
    expect(await shown('admin', casey)).toBe(true);
  });

  it('says so when the customer cannot be opened', async () => {
    const { wrap } = cannedWorkspace('csm', { ...answers(), get_customer_overview: undefined as never });
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    await screen.findByText('This customer could not be opened');
  });

  it('Start pressed again after a lost answer opens the workflow the first press opened, not the conflict', async () => {
    const openId = '6f1d2c3b-0a4e-4b5c-9d8e-7f6a5b4c3d2e';
    let sent = 0;
    const { wrap } = cannedWorkspace('csm', answers({
      create_workflow_execution: () => {
        sent += 1;
        // The first press opened it; its answer never came back.
        if (sent === 1) throw { message: 'TypeError: Failed to fetch', code: '', details: null, hint: null, status: 0 };
        throw { code: 'PT409', message: 'A "Risk Intervention" workflow is already open for Globex', details: openId,
          hint: `Open the existing execution ${openId} instead.`, status: 409 };
      },
    }));
    render(<CustomerPage customerId={CUSTOMER_ID} />, { wrapper: wrap });
    fireEvent.change(await screen.findByLabelText('Start a workflow'), { target: { value: 'risk-intervention' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await screen.findByText(/could not reach the server/i);
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(window.location.pathname).toBe(`/workflows/${openId}`));
  });
});

