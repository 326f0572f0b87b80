// @vitest-environment happy-dom
// A finished step shown while the workflow goes on offers the way to the step being worked:
// "Go to the next step: …", whether the step was completed or skipped (Skip Step says "the
// workflow moved on", and the page stays on the step skipped until asked to follow).
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { navigate } from '../lib/router.ts';
import { ApiError } from '../lib/errors.ts';
import type { Api } from '../lib/api.ts';
import type { WorkflowExecution } from '../lib/types.ts';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import { WorkflowPage } from './WorkflowPage.tsx';

afterEach(cleanup);

const step = (key: string, title: string, status: string) => ({
  key, title, status, type: 'review', started_at: null, completed_at: null, skip_reason: status === 'skipped' ? 'Other' : null, branches: [],
});

function openWorkflow(firstStatus: 'completed' | 'skipped', metadata: Record<string, unknown> = {}) {
  const execution = {
    id: 'e1', status: 'in_progress', assignee_id: 'me', workflow_name: 'Emergency Stage', customer: { id: 'c1', name: 'Contoso Retail' },
    steps: [step('check', 'Check the path to signature', firstStatus), step('blockers', 'Remove the blockers', 'in_progress')],
    current_step: { key: 'blockers', index: 1, title: 'Remove the blockers' }, threads: [], artifacts: [], tasks: [], meetings: [], actions: [], actions_total: 0, metadata,
  } as unknown as WorkflowExecution;
  const api = {
    getExecution: (async () => execution) as Api['getExecution'],
    listSavedActions: (async () => []) as unknown as Api['listSavedActions'],
    listTeamMembers: (async () => [{ id: 'maria', full_name: 'Maria Manager', role: 'manager' }, { id: 'me', full_name: 'Sam CSM', role: 'csm' }]) as unknown as Api['listTeamMembers'],
  };
  const { wrap } = cannedWorkspace('csm', { list_proposals: () => ({ items: [] }) }, api);
  render(<WorkflowPage executionId="e1" />, { wrapper: wrap });
}

describe('a workflow page, on a finished step', () => {
  for (const status of ['completed', 'skipped'] as const) {
    it(`offers "Go to the next step" from a step ${status}`, async () => {
      openWorkflow(status);
      const steps = await screen.findByRole('navigation', { name: 'Steps' });
      fireEvent.click(within(steps).getByRole('button', { name: /Check the path to signature/ }));
      const onward = await screen.findByRole('button', { name: 'Go to the next step: Remove the blockers' });
      fireEvent.click(onward);
      expect(within(steps).getByRole('button', { name: /Remove the blockers/ }).getAttribute('aria-current')).toBe('step');
    });
  }
});

describe('a workflow page, after an escalation was decided', () => {
  const escalated = { at: '2026-12-07T03:34:00Z', by: 'me', event: 'escalated', level: 'manager', reason: 'They ask for 20% off.' };
  const decided = (decision: string, note: string) => ({ at: '2026-12-07T03:35:00Z', by: 'maria', event: 'escalation_resolved', decision, note, reason: note });

  it('keeps the manager\'s guidance on the workflow once it is returned, not only in a notification', async () => {
    openWorkflow('completed', { history: [escalated, decided('return', 'Offer 10% for a two-year term, no more.')] });
    const decision = await screen.findByRole('region', { name: 'Escalation decision' });
    await screen.findByText(/Maria Manager returned it with guidance/);
    expect(decision.textContent).toContain('Maria Manager returned it with guidance: “Offer 10% for a two-year term, no more.”');
    expect(decision.textContent).toContain('They ask for 20% off.');
    // its time kept whole on a phone's line, as the app keeps its dates
    expect(decision.querySelector('.date-whole')?.textContent).toMatch(/^\d{1,2} [A-Z][a-z]{2,4}, \d\d:\d\d$/);
  });

  it('says nothing once the escalation was withdrawn, or while none was decided', async () => {
    openWorkflow('completed', { history: [escalated, { at: '2026-12-07T03:36:00Z', by: 'me', event: 'escalation_withdrawn', reason: 'Sorted it' }] });
    await screen.findByRole('navigation', { name: 'Steps' });
    expect(screen.queryByRole('region', { name: 'Escalation decision' })).toBeNull();
  });
});

describe('a workflow page, when its workflow changed elsewhere', () => {
  const escalation = { at: '2026-12-07T03:34:00Z', by: 'me', level: 'manager', manager_id: 'maria', reason: 'They ask for 20% off.' };
  const returned = {
    history: [{ ...escalation, event: 'escalated' }, { at: '2026-12-07T03:35:00Z', by: 'maria', event: 'escalation_resolved', decision: 'return', note: 'Offer 10%, no more.', reason: 'Offer 10%, no more.' }],
  };

  /** Sam's workflow on its first step, as get_workflow_execution answers it, with `changes` applied. */
  const workflow = (stepStatus: string, changes: Record<string, unknown>) => ({
    id: 'e1', assignee_id: 'me', workflow_name: 'Emergency Stage', customer: { id: 'c1', name: 'Contoso Retail' }, metadata: {},
    steps: [step('check', 'Check the path to signature', stepStatus)], current_step: { key: 'check', index: 0, title: 'Check the path to signature' },
    threads: [], artifacts: [], tasks: [], meetings: [], actions: [], actions_total: 0, ...changes,
  });

  /** An escalated workflow whose manager returns it while the page shows it; later reads see it returned. */
  function openEscalated(answers: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
    const base = workflow('pending', {});
    const state = { decided: false };
    const api = {
      getExecution: (async () => (state.decided
        ? { ...base, status: 'queued', metadata: returned }
        : { ...base, status: 'escalated', metadata: { escalations: [escalation] } })) as unknown as Api['getExecution'],
      listSavedActions: (async () => []) as unknown as Api['listSavedActions'],
      listTeamMembers: (async () => [{ id: 'maria', full_name: 'Maria Manager', role: 'manager' }, { id: 'me', full_name: 'Sam CSM', role: 'csm' }]) as unknown as Api['listTeamMembers'],
    };
    const { wrap } = cannedWorkspace('csm', { list_proposals: () => ({ items: [] }), ...answers }, api);
    render(<WorkflowPage executionId="e1" />, { wrapper: wrap });
    return state;
  }

  it('loads it anew when its address is opened while it is shown (its notification clicked), instead of nothing happening', async () => {
    window.history.replaceState(null, '', '/workflows/e1');
    const state = openEscalated();
    await screen.findByRole('region', { name: 'Escalation' });
    state.decided = true;
    act(() => navigate('/workflows/e1'));
    await screen.findByText(/Maria Manager returned it with guidance/);
    expect(screen.queryByRole('region', { name: 'Escalation' })).toBeNull();
  });

  it('drops the last action\'s notice when it loads anew that way: "Escalated …" no longer says how things are', async () => {
    window.history.replaceState(null, '', '/workflows/e1');
    const state = openEscalated({ withdraw_escalation: () => ({ id: 'e1', status: 'queued' }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Withdraw escalation' }));
    fireEvent.change(screen.getByLabelText('Why you are taking it back'), { target: { value: 'Sorted it myself' } });
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw' }));
    await screen.findByText('Escalation withdrawn. The workflow is back where it was.');
    state.decided = true;
    act(() => navigate('/workflows/e1'));
    await screen.findByText(/Maria Manager returned it with guidance/);
    expect(screen.queryByText('Escalation withdrawn. The workflow is back where it was.')).toBeNull();
  });

  it('loads it anew behind an action refused because it changed meanwhile (escalated from another tab)', async () => {
    const state = { escalated: false };
    const api = {
      getExecution: (async () => workflow('in_progress', state.escalated ? { status: 'escalated', metadata: { escalations: [escalation] } } : { status: 'in_progress' })) as unknown as Api['getExecution'],
      listSavedActions: (async () => [{ key: 'skip', type: 'skip', name: 'Skip Step', description: null, config: { reasons: ['Other'] } }]) as unknown as Api['listSavedActions'],
      listTeamMembers: (async () => [{ id: 'maria', full_name: 'Maria Manager', role: 'manager' }]) as unknown as Api['listTeamMembers'],
      executeAction: (async () => {
        state.escalated = true;
        throw new ApiError('Cannot skip a step: the workflow is escalated and waits for a decision', { code: 'PT409', status: 409 });
      }) as unknown as Api['executeAction'],
    };
    const { wrap } = cannedWorkspace('csm', { list_proposals: () => ({ items: [] }), list_escalation_levels: () => [], list_task_options: () => ({ priorities: [], task_types: [] }) }, api);
    render(<WorkflowPage executionId="e1" />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Skip Step' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'Other' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Skip Step' }));
    await within(dialog).findByText(/Cannot skip a step: the workflow is escalated/);
    // Behind the dialog, the workflow as it is now: on hold, its actions no longer offered.
    await screen.findByRole('region', { name: 'Escalation' });
    expect(screen.queryByRole('group', { name: 'Actions' })).toBeNull();
  });

  it('loads it anew behind Cancel workflow refused because it was completed meanwhile', async () => {
    const state = { completed: false };
    const api = {
      getExecution: (async () => workflow('in_progress', { status: state.completed ? 'completed' : 'in_progress' })) as unknown as Api['getExecution'],
      listSavedActions: (async () => []) as unknown as Api['listSavedActions'],
    };
    const { wrap } = cannedWorkspace('csm', {
      list_proposals: () => ({ items: [] }),
      cancel_workflow: () => { state.completed = true; throw { code: 'PT409', message: 'Cannot cancel this workflow: it is completed' }; },
    }, api);
    render(<WorkflowPage executionId="e1" />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel workflow' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'Customer churned' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel workflow' }));
    await within(dialog).findByText(/Cannot cancel this workflow: it is completed/);
    // Behind the dialog, the workflow as it is now.
    expect((await screen.findAllByText('Completed')).length).toBeGreaterThan(0);
  });

  it('reads the drafts anew when Send Email opens, so one approved by a manager meanwhile is offered, not "no approved draft"', async () => {
    const state = { approved: false };
    const draft = { id: 'd1', artifact_type: 'email_draft', title: 'Your renewal', version: 1, content: { to: 'arjun@contoso.example', subject: 'Your renewal' }, sent_at: null, send_state: null };
    const api = {
      getExecution: (async () => workflow('in_progress', {
        status: 'in_progress', artifacts: [{ ...draft, approved_at: state.approved ? '2026-12-07T09:00:00Z' : null }],
      })) as unknown as Api['getExecution'],
      listSavedActions: (async () => [{ key: 'send_email', type: 'send_email', name: 'Send Email', description: null, config: {} }]) as unknown as Api['listSavedActions'],
    };
    const { wrap } = cannedWorkspace('csm', { list_proposals: () => ({ items: [] }), get_organisation_settings: () => ({}) }, api);
    render(<WorkflowPage executionId="e1" />, { wrapper: wrap });
    const open = await screen.findByRole('button', { name: 'Send Email' });
    state.approved = true;
    fireEvent.click(open);
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect((within(dialog).getByRole('radio', { name: /Your renewal/ }) as HTMLInputElement).checked).toBe(true));
  });

  it('loads it anew, saying why, when a withdrawal is refused because the escalation was decided meanwhile', async () => {
    const state = openEscalated({
      withdraw_escalation: () => {
        state.decided = true;
        throw { code: 'PT409', message: 'Cannot withdraw the escalation of this workflow: it is not escalated', hint: 'Only an open escalation can be withdrawn or decided.' };
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Withdraw escalation' }));
    fireEvent.change(screen.getByLabelText('Why you are taking it back'), { target: { value: 'Sorted it myself' } });
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw' }));
    await screen.findByText(/Maria Manager returned it with guidance/);
    expect(screen.queryByRole('region', { name: 'Escalation' })).toBeNull();
    expect(screen.getByText(/Cannot withdraw the escalation of this workflow: it is not escalated/)).toBeTruthy();
  });
});

describe('a colleague\'s workflow, opened by a CSM', () => {
  // A CSM may read any workflow of the organisation (from a customer page, a link) but change
  // only their own: the server refuses the rest (app.can_work_on_execution). Before, the page
  // offered every action, the step's answers and the draft's Approve, and said so only after
  // a form was filled in ("You may not run actions on this workflow").
  function openColleagues() {
    const execution = {
      id: 'e1', status: 'in_progress', assignee_id: 'casey', workflow_name: 'Emergency Stage', customer: { id: 'c1', name: 'Contoso Retail' },
      steps: [{ ...step('check', 'Check the path to signature', 'in_progress'), branches: [{ key: 'ok', label: 'Everything is with the signer', type: 'fixed', next_step: null }] }],
      current_step: { key: 'check', index: 0, title: 'Check the path to signature' }, threads: [], tasks: [], meetings: [], actions: [], actions_total: 0, metadata: {},
      artifacts: [{ id: 'a1', execution_id: 'e1', artifact_type: 'email_draft', title: 'Your renewal', content: { to: ['priya@contoso.example'], subject: 'Your renewal', body: 'Hi' },
        version: 1, is_approved: false, approved_at: null, approved_by: null, created_by: 'casey', written_by: 'casey', created_at: '2026-12-07T09:00:00Z', updated_at: '2026-12-07T09:00:00Z', send_state: null }],
    } as unknown as WorkflowExecution;
    const api = {
      getExecution: (async () => execution) as Api['getExecution'],
      listSavedActions: (async () => [{ key: 'snooze', type: 'snooze', name: 'Snooze Workflow', description: null, config: {} }]) as unknown as Api['listSavedActions'],
    };
    const { wrap } = cannedWorkspace('csm', { list_proposals: () => ({ items: [] }), get_organisation_settings: () => ({ email: { allow_self_approval: false } }) }, api);
    render(<WorkflowPage executionId="e1" />, { wrapper: wrap });
  }

  it('says it is read-only and offers none of what the server would refuse', async () => {
    openColleagues();
    await screen.findByRole('heading', { name: 'Check the path to signature' });
    await screen.findAllByText('priya@contoso.example');
    expect(screen.queryByRole('button', { name: 'Snooze Workflow' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Complete step' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Everything is with the signer/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.getByRole('note').textContent).toBe('You are reading a colleague’s workflow: only its CSM, a manager or an admin can change it.');
  });
});
