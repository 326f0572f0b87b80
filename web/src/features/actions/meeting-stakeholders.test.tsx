// @vitest-environment happy-dom
// Schedule Meeting offers the customer's stakeholders (name, role, address) to tick as
// attendees, and Attendees stays free to type anyone else in.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { ActionResult, CustomerContext, SavedAction } from '../../lib/types.ts';
import { ActionDialog } from './ActionDialog.tsx';
import { KnownContactsOf, knownContactsOf } from '../artifacts/knownContacts.ts';
import { hasAttendee, withAttendee } from './actionForms.ts';

afterEach(cleanup);

const stakeholder = (name: string, email: string | null, extra: Record<string, unknown> = {}) => ({
  id: name, name, email, title: null, role: null, influence: null, is_champion: false, is_decision_maker: false, last_contacted_at: null, ...extra,
});
const known = knownContactsOf({
  customer: { name: 'Acme Corp', domain: 'acme.example' },
  account_team: {
    csm: null, account_executive: null, support_engineer: null,
    stakeholders: [
      stakeholder('Chris Champion', 'chris@acme.example', { title: 'VP Operations', is_champion: true }),
      stakeholder('Dana Decider', 'dana@acme.example', { role: 'Economic buyer', is_decision_maker: true }),
      stakeholder('Nobody Mailable', null, { title: 'Intern' }),
    ],
  },
} as unknown as CustomerContext);

const meeting = { key: 'schedule_meeting', name: 'Schedule Meeting', type: 'schedule_meeting', config: { durations_minutes: [30], default_duration_minutes: 30 } } as unknown as SavedAction;

function open(sent: Record<string, unknown>[] = []) {
  const workspace = {
    api: {
      client: { rpc: async () => ({ data: null, error: null, status: 200 }) },
      executeAction: async (body: { params: Record<string, unknown> }) => { sent.push(body.params); return { action_key: 'schedule_meeting', result: {} } as unknown as ActionResult; },
    },
    config: {}, profile: { id: 'u1', role: 'csm' }, signOut: async () => {},
  } as unknown as Workspace;
  render(<WorkspaceContext.Provider value={workspace}><KnownContactsOf.Provider value={known}>
    <ActionDialog action={meeting} executionId="e1" artifacts={[]} renewalDate="2031-06-30" onClose={() => {}} onDone={() => {}} />
  </KnownContactsOf.Provider></WorkspaceContext.Provider>);
}

describe('Schedule Meeting', () => {
  it('offers the customer\'s stakeholders with an address, by name, role and address', () => {
    open();
    const group = screen.getByRole('group', { name: 'Stakeholders of Acme Corp' });
    const boxes = within(group).getAllByRole('checkbox');
    expect(boxes.map((box) => box.closest('label')!.textContent)).toEqual([
      'Chris Champion · VP Operations · championchris@acme.example',
      'Dana Decider · Economic buyer · decision makerdana@acme.example',
    ]);
  });

  it('adds a ticked stakeholder to Attendees beside what was typed, and takes them out when unticked', () => {
    open();
    const attendees = screen.getByLabelText(/^Attendees/) as HTMLInputElement;
    fireEvent.change(attendees, { target: { value: 'partner@consulting.example' } });
    fireEvent.click(screen.getByRole('checkbox', { name: /Dana Decider/ }));
    expect(attendees.value).toBe('partner@consulting.example, dana@acme.example');
    fireEvent.change(attendees, { target: { value: 'partner@consulting.example, DANA@acme.example' } });
    expect((screen.getByRole('checkbox', { name: /Dana Decider/ }) as HTMLInputElement).checked, 'typed in, it is ticked').toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: /Dana Decider/ }));
    expect(attendees.value).toBe('partner@consulting.example');
  });

  it('sends the ticked stakeholders as attendees', async () => {
    const sent: Record<string, unknown>[] = [];
    open(sent);
    fireEvent.click(screen.getByRole('checkbox', { name: /Chris Champion/ }));
    fireEvent.submit(document.getElementById('action-form')!);
    await screen.findByRole('button', { name: 'Done' });
    expect(sent[0]?.attendees).toEqual(['chris@acme.example']);
  });
});

describe('withAttendee', () => {
  it('adds an address once and takes out every entry of it, keeping the rest as typed', () => {
    expect(withAttendee({ attendees: 'a@x.example' }, 'b@x.example', true).attendees).toBe('a@x.example, b@x.example');
    expect(withAttendee({ attendees: 'B@x.example, a@x.example' }, 'b@x.example', true).attendees).toBe('a@x.example, b@x.example');
    expect(withAttendee({ attendees: 'b@x.example, a@x.example, B@X.example' }, 'b@x.example', false).attendees).toBe('a@x.example');
    expect(hasAttendee({ attendees: ' A@x.example ' }, 'a@x.example')).toBe(true);
  });
});
