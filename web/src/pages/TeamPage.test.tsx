// @vitest-environment happy-dom
// The team page asks who is looking before it loads anything: a CSM who opens /team is told
// it is for managers, and the browser sends no request the server would refuse.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { TeamPage } from './TeamPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(cleanup);

describe('TeamPage', () => {
  it('tells a CSM it is for managers and asks the server nothing', async () => {
    const { wrap: Wrap, calls } = cannedWorkspace('csm', {});
    render(<Wrap><TeamPage /></Wrap>);
    expect(screen.getByText('The team overview is for managers and admins.')).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([]);
  });

  it('loads the overview and the open escalations for a manager', async () => {
    const { wrap: Wrap, calls } = cannedWorkspace('manager', {});
    render(<Wrap><TeamPage /></Wrap>);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls.map((call) => call.name).sort()).toEqual(['get_team_overview', 'list_escalations']);
  });

  it('says its quarter and its renewals in words: "Q4 2026", "10 renewals"', async () => {
    const overview = {"as_of": "2026-12-06", "totals": {"now": 7, "open": 65, "overdue": 1, "escalated": 0, "open_escalations": 0}, "members": [{"id": "a0000000-0000-4000-8000-000000000003", "role": "csm", "email": "sam.csm@acme.test", "lanes": {"now": 4, "soon": 12, "planned": 36}, "title": "Senior Customer Success Manager", "overdue": 1, "snoozed": 0, "escalated": 0, "full_name": "Sam Senior", "manager_id": "a0000000-0000-4000-8000-000000000002", "open_tasks": 0, "open_total": 52, "in_progress": 8, "overdue_tasks": 0, "reports_to_me": true, "experience_level": "senior"}], "quarter": {"end": "2026-12-31", "label": "2026-Q4", "start": "2026-10-01"}, "renewals": {"arr": 1062000.0, "count": 10, "items": [{"arr": 72000.0, "name": "Proseware", "assignee_id": "a0000000-0000-4000-8000-000000000004", "customer_id": "979233b6-3745-5a3d-7d52-f53cb5f97f34", "execution_id": null, "health_score": 64, "renewal_date": "2026-12-31", "assignee_name": "Casey Junior", "decision_date": "2026-10-02", "renewal_stage": "Overdue", "days_until_decision": -65}], "overdue": 3, "overdue_without_work": 2}};
    const { wrap: Wrap } = cannedWorkspace('manager', { get_team_overview: () => overview, list_escalations: () => [] });
    render(<Wrap><TeamPage /></Wrap>);
    const totals = await screen.findByRole('group', { name: 'Team totals' });
    expect(screen.getByText(/^As of/).textContent).toBe('As of 6 Dec 2026 · Q4 2026');
    expect(within(totals).getByText(/ARR renewing this quarter/).textContent).toBe('ARR renewing this quarter · 10 renewals');
    // the lane by its name, as the queue and the brief say it (before, 'in lane now', its key)
    expect(within(totals).getByText(/lane$/).textContent).toBe('in the Now lane');
    // a renewal past its decision says so in red, as the queue and the forecast do
    expect(screen.getByText('65 days overdue').classList.contains('text-urgent')).toBe(true);
  });

  it('says who is deactivated, and where their open work is handed over', async () => {
    const member = (id: string, full_name: string, deactivated: boolean) => ({
      id, full_name, deactivated, role: 'csm', email: `${id}@acme.test`, title: 'Customer Success Manager', experience_level: null, manager_id: 'me',
      reports_to_me: true, lanes: { now: 3, soon: 2, planned: 8 }, overdue: 0, snoozed: 0, escalated: 0, open_tasks: 0, overdue_tasks: 0, open_total: 13, in_progress: 0,
    });
    const overview = { as_of: '2026-12-07', totals: { now: 6, open: 26, overdue: 0, escalated: 0, open_escalations: 0 },
      members: [member('casey', 'Casey Junior', true), member('sam', 'Sam Senior', false)],
      quarter: { end: '2026-12-31', label: '2026-Q4', start: '2026-10-01' }, renewals: { arr: 0, count: 0, items: [], overdue: 0, overdue_without_work: 0 } };
    const { wrap: Wrap } = cannedWorkspace('manager', { get_team_overview: () => overview, list_escalations: () => [] });
    render(<Wrap><TeamPage /></Wrap>);
    const casey = (await screen.findByText('Casey Junior')).closest('tr')!;
    expect(within(casey).getByText('Deactivated')).toBeTruthy();
    expect(within(casey).getByText(/Cannot sign in: hand their work over on/).textContent).toBe('Cannot sign in: hand their work over on People.');
    expect(within(casey).getByRole('link', { name: 'People' }).getAttribute('href')).toBe('/admin/people');
    const sam = screen.getByText('Sam Senior').closest('tr')!;
    expect(within(sam).queryByText('Deactivated')).toBeNull();
    // Each lane by its name, as the queue and the totals say it (before, its key: 'now 3').
    const lanes = within(sam).getByLabelText('Lanes of Sam Senior');
    expect([...lanes.querySelectorAll('.badge')].map((badge) => [badge.textContent, badge.getAttribute('title')]))
      .toEqual([['Now 3', null], ['Soon 2', null], ['Planned 8', null]]);
  });

  it('marks a renewal\'s owner who is deactivated, as the team\'s list marks them', async () => {
    const member = (id: string, full_name: string, deactivated: boolean) => ({
      id, full_name, deactivated, role: 'csm', email: `${id}@acme.test`, title: null, experience_level: null, manager_id: 'me',
      reports_to_me: true, lanes: { now: 0, soon: 0, planned: 0 }, overdue: 0, snoozed: 0, escalated: 0, open_tasks: 0, overdue_tasks: 0, open_total: 0, in_progress: 0,
    });
    const renewal = (customer_id: string, name: string, assignee_id: string, assignee_name: string) => ({
      customer_id, name, assignee_id, assignee_name, arr: 45000, execution_id: null, health_score: 38, renewal_date: '2026-12-16',
      decision_date: '2026-12-16', renewal_stage: 'Critical', days_until_decision: 9 });
    const overview = { as_of: '2026-12-07', totals: { now: 0, open: 0, overdue: 0, escalated: 0, open_escalations: 0 },
      members: [member('casey', 'Casey Junior', true), member('sam', 'Sam Senior', false)],
      quarter: { end: '2026-12-31', label: '2026-Q4', start: '2026-10-01' },
      renewals: { arr: 90000, count: 2, overdue: 0, overdue_without_work: 0,
        items: [renewal('c1', 'Adventure Works', 'casey', 'Casey Junior'), renewal('c2', 'Litware Security', 'sam', 'Sam Senior')] } };
    const { wrap: Wrap } = cannedWorkspace('manager', { get_team_overview: () => overview, list_escalations: () => [] });
    render(<Wrap><TeamPage /></Wrap>);
    const row = (name: string) => screen.getByRole('link', { name }).closest('tr')!;
    await screen.findByRole('link', { name: 'Adventure Works' });
    expect(row('Adventure Works').textContent).toContain('Casey Junior (deactivated)');
    expect(row('Litware Security').textContent).not.toContain('(deactivated)');
  });

  it('names a person without a title by their role as People does ("CSM"), never "Csm"', async () => {
    const overview = { as_of: '2026-12-07', totals: { now: 0, open: 0, overdue: 0, escalated: 0, open_escalations: 0 },
      members: [{ id: 'nina', full_name: 'Nina Newcomer', deactivated: false, role: 'csm', email: 'nina@acme.test', title: null, experience_level: null, manager_id: 'me',
        reports_to_me: true, lanes: { now: 0, soon: 0, planned: 0 }, overdue: 0, snoozed: 0, escalated: 0, open_tasks: 0, overdue_tasks: 0, open_total: 0, in_progress: 0 }],
      quarter: { end: '2026-12-31', label: '2026-Q4', start: '2026-10-01' }, renewals: { arr: 0, count: 0, items: [], overdue: 0, overdue_without_work: 0 } };
    const { wrap: Wrap } = cannedWorkspace('manager', { get_team_overview: () => overview, list_escalations: () => [] });
    render(<Wrap><TeamPage /></Wrap>);
    const nina = (await screen.findByText('Nina Newcomer')).closest('td')!;
    expect(nina.textContent).toContain('CSM\u00a0· reports to you');
  });

  it('holds the "·" before "reports to you" to the title, so a wrapped line on a phone never starts with it', async () => {
    const overview = { as_of: '2026-12-07', totals: { now: 0, open: 0, overdue: 0, escalated: 0, open_escalations: 0 },
      members: [{ id: 'sam', full_name: 'Sam Senior', deactivated: false, role: 'csm', email: 'sam@acme.test', title: 'Senior Customer Success Manager', experience_level: null, manager_id: 'me',
        reports_to_me: true, lanes: { now: 0, soon: 0, planned: 0 }, overdue: 0, snoozed: 0, escalated: 0, open_tasks: 0, overdue_tasks: 0, open_total: 0, in_progress: 0 }],
      quarter: { end: '2026-12-31', label: '2026-Q4', start: '2026-10-01' }, renewals: { arr: 0, count: 0, items: [], overdue: 0, overdue_without_work: 0 } };
    const { wrap: Wrap } = cannedWorkspace('manager', { get_team_overview: () => overview, list_escalations: () => [] });
    render(<Wrap><TeamPage /></Wrap>);
    const sam = (await screen.findByText('Sam Senior')).closest('td')!;
    expect(sam.querySelector('.parts-line')?.textContent).toBe('Senior Customer Success Manager\u00a0· reports to you');
    // the workload's parts too, in a column narrow enough to wrap on a laptop
    const workload = sam.closest('tr')!.querySelectorAll('.parts-line');
    expect(workload[workload.length - 1]?.textContent).toBe('0 open\u00a0· 0 in progress');
  });

  it('names where its queue link goes: "Team members’ queues", the queue with its "Queue of" choice', async () => {
    const { wrap: Wrap } = cannedWorkspace('manager', {});
    render(<Wrap><TeamPage /></Wrap>);
    expect(screen.getByRole('link', { name: 'Team members’ queues' }).getAttribute('href')).toBe('/queue');
  });

  it('puts the focus on the notice once an escalation is resolved, as its Resolve button goes with it', async () => {
    const escalation = {
      id: 'x1', execution_id: 'e1', reason: 'Budget freeze', level: 'manager', age_days: 0, age_hours: 1, is_mine: true,
      customer: { id: 'c1', name: 'Relecloud' }, workflow: { name: 'Risk Assessment' }, assignee: { id: 'sam', full_name: 'Sam Senior' },
    };
    let open = [escalation];
    const overview = { as_of: '2026-12-06', totals: { now: 0, open: 1, overdue: 0, escalated: 1, open_escalations: 1 }, members: [],
      quarter: { end: '2026-12-31', label: '2026-Q4', start: '2026-10-01' }, renewals: { arr: 0, count: 0, items: [], overdue: 0, overdue_without_work: 0 } };
    const { wrap: Wrap } = cannedWorkspace('manager', {
      get_team_overview: () => overview,
      list_escalations: () => open,
      resolve_escalation: () => { open = []; return { status: 'in_progress' }; },
    });
    render(<Wrap><TeamPage /></Wrap>);
    fireEvent.click(await screen.findByRole('button', { name: 'Resolve the escalation of Relecloud' }));
    fireEvent.change(screen.getByLabelText(/Guidance/), { target: { value: 'Offer 10% for two years.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Return with guidance' }));
    const notice = await screen.findByText(/^Relecloud: /);
    await waitFor(() => expect(document.activeElement).toBe(notice.closest('.notice')));
  });
});
