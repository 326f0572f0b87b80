// @vitest-environment happy-dom
// The action dialog speaks in words and saves a click: an action's description shows no
// internal names, and Send Email with exactly one approved draft has it chosen already.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { ActionResult, Artifact, SavedAction } from '../../lib/types.ts';
import { ActionDialog, describeEffect, describeResult } from './ActionDialog.tsx';

afterEach(cleanup);

const lookups: Record<string, unknown> = {
  list_escalation_levels: [{ key: 'manager', label: 'Manager' }, { key: 'vp_cs', label: 'VP Customer Success' }],
  list_task_options: { task_types: [{ key: 'schedule_meeting', label: 'Schedule meeting' }], priorities: [{ key: 'medium', label: 'Medium' }] },
};
const workspace = {
  api: { client: { rpc: async (name: string) => ({ data: lookups[name] ?? null, error: null, status: 200 }) } },
  config: {}, profile: { id: 'u1', role: 'csm' }, signOut: async () => {},
} as unknown as Workspace;

const sendEmail = {
  key: 'send_email', name: 'Send Email', type: 'send_email', config: {},
  description: 'Queue an email from an email_draft artifact in the outbox; it must be approved when the organisation requires approval.',
} as unknown as SavedAction;

const draft = (id: string, approved: boolean) => ({
  id, artifact_type: 'email_draft', title: `Draft ${id}`, version: 1, content: { to: 'olivia.sato@litware.example', subject: `Subject ${id}` },
  approved_at: approved ? '2026-12-01T09:00:00Z' : null, sent_at: null,
}) as unknown as Artifact;

function open(artifacts: Artifact[]) {
  render(<WorkspaceContext.Provider value={workspace}>
    <ActionDialog action={sendEmail} executionId="e1" artifacts={artifacts} onClose={() => {}} onDone={() => {}} />
  </WorkspaceContext.Provider>);
}

describe('the Send Email dialog', () => {
  it('describes the action in words, without internal names', () => {
    open([draft('a', true)]);
    expect(screen.getByText(/from an email draft in the outbox/)).toBeTruthy();
    expect(screen.queryByText(/email_draft|artifact/)).toBeNull();
  });

  it('opens on the words that say why nothing can be sent when no draft is approved, not on Close', () => {
    open([draft('a', false)]);
    expect(document.activeElement?.textContent).toMatch(/^“Draft a” is not approved yet\./);
    expect(document.activeElement).not.toBe(screen.getByRole('button', { name: 'Close' }));
  });

  // A draft written and waiting for its approval is not "no draft": the CSM is told which one
  // waits and what to do, not to ask the assistant for another (before: "There is no approved
  // email draft in this workflow yet. Ask the assistant to draft one…" beside their own draft).
  it('names the drafts waiting for approval, and asks for a draft only when there is none', () => {
    open([draft('a', false)]);
    expect(screen.getByText(/is not approved yet/).textContent).toBe('“Draft a” is not approved yet. Have it approved — by someone other than its author, unless your organisation lets authors approve their own — then send it here.');
    cleanup();
    open([draft('a', false), draft('b', false)]);
    expect(screen.getByText(/are not approved yet/).textContent).toBe('“Draft a” and “Draft b” are not approved yet. Have one approved — by someone other than its author, unless your organisation lets authors approve their own — then send it here.');
    cleanup();
    open([]);
    expect(screen.getByText(/no email draft/).textContent).toBe('There is no email draft in this workflow yet. Ask the assistant to draft one and have it approved — by someone other than its author, unless your organisation lets authors approve their own.');
  });

  it('chooses the only approved draft once it arrives (approved elsewhere, read as the dialog opened)', () => {
    const view = render(<WorkspaceContext.Provider value={workspace}>
      <ActionDialog action={sendEmail} executionId="e1" artifacts={[draft('a', false)]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    view.rerender(<WorkspaceContext.Provider value={workspace}>
      <ActionDialog action={sendEmail} executionId="e1" artifacts={[draft('a', true)]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    expect((screen.getByRole('radio', { name: /Draft a/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('button', { name: 'Send Email' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('has the only approved draft chosen already', () => {
    open([draft('a', true), draft('b', false)]);
    expect((screen.getByRole('radio', { name: /Draft a/ }) as HTMLInputElement).checked).toBe(true);
  });

  it('says whom each draft goes to before it is sent, as the draft card does ("To …")', () => {
    open([draft('a', true), { ...draft('b', true), content: { to: ['mia@contoso.example', 'priya@contoso.example'], subject: 'Terms' } } as Artifact]);
    const first = screen.getByRole('radio', { name: /Draft a/ }).closest('label')!;
    expect(first.textContent).toContain('To olivia.sato@litware.example');
    const second = screen.getByRole('radio', { name: /Draft b/ }).closest('label')!;
    expect(second.textContent).toContain('To mia@contoso.example, priya@contoso.example');
  });

  it('lists a draft waiting in the outbox as on its way, not to be chosen, and shows the subject it goes out under', () => {
    open([{ ...draft('q', true), send_state: 'queued', content: {} } as Artifact]);
    const queued = screen.getByRole('radio', { name: /Draft q/ }) as HTMLInputElement;
    expect(queued.disabled).toBe(true);
    expect(queued.checked).toBe(false);
    expect(screen.getByText('Queued to send: on its way')).toBeTruthy();
    expect(screen.getAllByText('Draft q').length).toBeGreaterThan(1);
  });

  it('says a draft with no recipient cannot go, and what to do, beside the drafts, sending nothing', () => {
    let sent = 0;
    const sending = { ...workspace, api: { ...(workspace.api as object), executeAction: async () => { sent += 1; return outcome('send_email', 'in_progress'); } } } as unknown as Workspace;
    render(<WorkspaceContext.Provider value={sending}>
      <ActionDialog action={sendEmail} executionId="e1" artifacts={[{ ...draft('n', true), content: { to: ' ', subject: 'Renewal' } } as Artifact]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    expect(screen.getByRole('radio', { name: /No recipient yet/ })).toBeTruthy();
    fireEvent.submit(document.getElementById('action-form')!);
    expect(screen.getByRole('alert').textContent)
      .toBe('This draft has no recipient. Close this form, choose Edit on the draft to add one in To and have it approved again, then send it.');
    expect(screen.getByRole('group', { name: 'Approved draft to send' }).getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
    expect(document.activeElement).toBe(screen.getByRole('radio'));
    expect(sent).toBe(0);
  });

  it('leaves the choice to the person when two drafts are approved', () => {
    open([draft('a', true), draft('b', true)]);
    expect(screen.getAllByRole('radio').map((radio) => (radio as HTMLInputElement).checked)).toEqual([false, false]);
  });
});

/** execute_action's answer: the action that ran and the workflow's state after it. */
function outcome(actionKey: string, status: string, snoozedUntil: string | null = null, result: ActionResult['result'] = {}): ActionResult {
  return {
    action_execution_id: 'ax1', action_key: actionKey, success: true, result, side_effects: [], replayed: false,
    execution: { id: 'e1', status, snoozed_until: snoozedUntil } as ActionResult['execution'],
  };
}

describe('the result of an action', () => {
  it('says what the action did, not the state the workflow is in: an email sent on a snoozed workflow', () => {
    const text = describeResult(outcome('send_email', 'snoozed', '2026-12-13T00:00:00Z'));
    expect(text).toBe('Email handed to the mail service.');
    expect(text).not.toMatch(/Snoozed/);
    expect(describeResult(outcome('create_task', 'escalated', null, { title: 'Call the CFO' }))).toBe('Task “Call the CFO” created.');
  });

  it('goes by the action\'s type when the organisation named it its own way', () => {
    expect(describeResult(outcome('renewal_mail', 'snoozed', '2026-12-13T00:00:00Z'), 'send_email')).toBe('Email handed to the mail service.');
    expect(describeResult(outcome('park_it', 'snoozed', '2026-12-13T00:00:00Z'), 'snooze')).toMatch(/^Snoozed until .*2026\.$/);
  });

  // On a stack without a mail server the headline said "Email handed to the mail service."
  // above "Send email: not sent, as no mail server is set up": it follows the send's status now.
  it('says whether the email went, from what happened to it, never "handed" when it went to no one', () => {
    const sent = (status: string) => ({ ...outcome('send_email', 'in_progress'), side_effects: [{ type: 'send_email', status }] } as ActionResult);
    expect(describeResult(sent('delivered_to_sink'))).toBe('Email not sent, as no mail server is set up; it is kept in Sent mail.');
    expect(describeResult(sent('sent'))).toBe('Email sent.');
    expect(describeResult(sent('delivered'))).toBe('Email sent.');
    expect(describeResult(sent('failed'))).toBe('Email not sent: sending failed.');
    expect(describeResult(sent('pending'))).toBe('Email handed to the mail service.');
  });

  it('says a calendar invite is kept with the meeting, not sent, rather than a bare "stored"', () => {
    expect(describeEffect({ type: 'calendar_invite', status: 'stored' })).toBe('Calendar invite: saved with the meeting, not sent to the attendees');
    expect(describeEffect({ type: 'send_email', status: 'delivered_to_sink' })).toBe('Send email: not sent, as no mail server is set up; it is kept in Sent mail');
  });

  // The task the meeting brings is "Hold meeting: …", due the day of the meeting: "a task to
  // prepare it" sent the CSM looking for a preparation task that is not there.
  it('says the day and the time a meeting was scheduled for, as it was chosen, and the task it brings', () => {
    // 09:30 where the test runs, in the form's local time.
    const start = new Date(2027, 0, 14, 9, 30).toISOString();
    expect(describeResult(outcome('schedule_meeting', 'in_progress', null, { scheduled_at: start })))
      .toBe('Meeting scheduled for 14 Jan 2027 at 09:30; a task to hold it on the day was added (Tasks and meetings).');
  });

  it('describes a snooze and an escalation by the state they bring', () => {
    expect(describeResult(outcome('snooze', 'snoozed', '2026-12-13T00:00:00Z'))).toMatch(/^Snoozed until .*2026\.$/);
    expect(describeResult(outcome('escalate', 'escalated'))).toBe('Escalated. The manager has been notified.');
  });

  it('shows in the dialog what Send Email did on a snoozed workflow', async () => {
    const sending = {
      ...workspace,
      api: { ...(workspace.api as object), executeAction: async () => outcome('send_email', 'snoozed', '2026-12-13T00:00:00Z') },
    } as unknown as Workspace;
    render(<WorkspaceContext.Provider value={sending}>
      <ActionDialog action={sendEmail} executionId="e1" artifacts={[draft('a', true)]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    fireEvent.submit(document.getElementById('action-form')!);
    const shown = await screen.findByTestId('action-result');
    expect(shown.textContent).toContain('Email handed to the mail service.');
    expect(shown.textContent).not.toMatch(/Snoozed/);
  });

  it('moves the focus to Done once the answer is in, rather than losing it with the submit button', async () => {
    const sending = {
      ...workspace,
      api: { ...(workspace.api as object), executeAction: async () => outcome('send_email', 'in_progress') },
    } as unknown as Workspace;
    render(<WorkspaceContext.Provider value={sending}>
      <ActionDialog action={sendEmail} executionId="e1" artifacts={[draft('a', true)]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    fireEvent.submit(document.getElementById('action-form')!);
    await screen.findByTestId('action-result');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Done' }));
  });
});

describe('a value the action does not take', () => {
  const snooze = { key: 'snooze', name: 'Snooze', type: 'snooze', config: { min_days: 1, max_days: 30 } } as unknown as SavedAction;

  it('is said beside its field, which takes the focus, and nothing is sent', () => {
    let sent = 0;
    const sending = { ...workspace, api: { ...(workspace.api as object), executeAction: async () => { sent += 1; return outcome('snooze', 'snoozed'); } } } as unknown as Workspace;
    render(<WorkspaceContext.Provider value={sending}>
      <ActionDialog action={snooze} executionId="e1" artifacts={[]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    const days = screen.getByLabelText(/^Days/) as HTMLInputElement;
    fireEvent.change(days, { target: { value: '99' } });
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'On holiday' } });
    fireEvent.submit(document.getElementById('action-form')!);
    const message = screen.getByRole('alert');
    expect(message.textContent).toBe('Snooze for between 1 and 30 days.');
    expect(days.getAttribute('aria-invalid')).toBe('true');
    expect(days.getAttribute('aria-describedby')).toBe(message.id);
    expect(document.activeElement).toBe(days);
    expect(sent).toBe(0);
  });

  it('goes once the field is changed, and is said again by the next submit that finds it', () => {
    render(<WorkspaceContext.Provider value={workspace}>
      <ActionDialog action={snooze} executionId="e1" artifacts={[]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    const days = screen.getByLabelText(/^Days/) as HTMLInputElement;
    const reason = screen.getByLabelText('Reason');
    fireEvent.change(days, { target: { value: '99' } });
    fireEvent.submit(document.getElementById('action-form')!);
    expect(screen.getByRole('alert').textContent).toBe('Snooze for between 1 and 30 days.');
    fireEvent.change(reason, { target: { value: 'On holiday' } });
    expect(screen.getByRole('alert').textContent, 'another field changed: the problem stays').toBe('Snooze for between 1 and 30 days.');
    fireEvent.change(days, { target: { value: '9' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(days.getAttribute('aria-invalid')).toBeNull();
    fireEvent.change(days, { target: { value: '0' } });
    expect(screen.queryByRole('alert'), 'nothing said until the next submit').toBeNull();
    fireEvent.submit(document.getElementById('action-form')!);
    expect(screen.getByRole('alert').textContent).toBe('Snooze for between 1 and 30 days.');
    expect(document.activeElement).toBe(days);
  });

  it('about a meeting\'s attendee that is no address names it beside Attendees, which takes the focus, and nothing is sent', () => {
    let sent = 0;
    const meeting = { key: 'schedule_meeting', name: 'Schedule Meeting', type: 'schedule_meeting', config: { durations_minutes: [30], default_duration_minutes: 30 } } as unknown as SavedAction;
    const sending = { ...workspace, api: { ...(workspace.api as object), executeAction: async () => { sent += 1; return outcome('schedule_meeting', 'in_progress'); } } } as unknown as Workspace;
    render(<WorkspaceContext.Provider value={sending}>
      <ActionDialog action={meeting} executionId="e1" artifacts={[]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    const attendees = screen.getByLabelText(/^Attendees/) as HTMLInputElement;
    fireEvent.change(attendees, { target: { value: 'olivia@litware.example, olivia at litware' } });
    fireEvent.submit(document.getElementById('action-form')!);
    const message = screen.getByRole('alert');
    expect(message.textContent).toBe('“olivia at litware” is not an email address. Separate addresses with commas, such as olivia@litware.example, sam@acme.example.');
    expect(attendees.getAttribute('aria-describedby')).toBe(message.id);
    expect(document.activeElement).toBe(attendees);
    expect(sent).toBe(0);
  });

  it('about a draft already sent goes once another draft is chosen', () => {
    const sent = { ...draft('a', true), sent_at: '2026-12-02T09:00:00Z' } as Artifact;
    render(<WorkspaceContext.Provider value={workspace}>
      <ActionDialog action={sendEmail} executionId="e1" artifacts={[sent, draft('b', true)]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    fireEvent.click(screen.getByRole('radio', { name: /Draft a/ }));
    fireEvent.submit(document.getElementById('action-form')!);
    expect(screen.getByRole('alert').textContent).toMatch(/already sent/);
    fireEvent.click(screen.getByRole('radio', { name: /Draft b/ }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('a date in an action\'s form', () => {
  const meeting = { key: 'schedule_meeting', name: 'Schedule Meeting', type: 'schedule_meeting', config: {}, description: 'Book a meeting.' } as unknown as SavedAction;

  it('is said under its field as the app says dates, whatever order the browser shows it in', () => {
    render(<WorkspaceContext.Provider value={workspace}>
      <ActionDialog action={meeting} executionId="e1" artifacts={[]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    const date = screen.getByLabelText('Date') as HTMLInputElement;
    fireEvent.change(date, { target: { value: '2027-03-04' } });
    const words = screen.getByText('Thu, 4 Mar 2027');
    expect(date.getAttribute('aria-describedby')?.split(' ')).toContain(words.id);
  });

  it('of a draft sent before is written as the app writes a moment, not in the browser\'s order', () => {
    open([{ ...draft('s', true), sent_at: '2026-12-01T09:30:00Z' } as Artifact]);
    const sent = screen.getByText(/^Sent /);
    expect(sent.textContent).toMatch(/^Sent 1 Dec, \d\d:\d\d$/);
  });
});

describe('the Escalate dialog', () => {
  const escalate = {
    key: 'escalate', name: 'Escalate to Manager', type: 'escalate', description: null,
    config: { levels: ['manager', 'vp_cs'], default_level: 'manager', reason_required: true },
  } as unknown as SavedAction;

  // Before, the button said "Escalate to Manager" whoever was chosen.
  it('says on its button whom it escalates to', async () => {
    render(<WorkspaceContext.Provider value={workspace}>
      <ActionDialog action={escalate} executionId="e1" artifacts={[]} onClose={() => {}} onDone={() => {}} />
    </WorkspaceContext.Provider>);
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByRole('button', { name: 'Escalate to Manager' })).toBeTruthy();
    await screen.findByRole('option', { name: 'VP Customer Success' });
    fireEvent.change(screen.getByLabelText(/Escalate to/, { selector: 'select' }), { target: { value: 'vp_cs' } });
    expect(within(dialog).getByRole('button', { name: 'Escalate to VP Customer Success' })).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Escalate to Manager' })).toBeNull();
  });
});
