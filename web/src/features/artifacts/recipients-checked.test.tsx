// @vitest-environment happy-dom
// A drafted email can name anyone: before Approve (and in Send Email's list) every recipient
// is shown in full, one a line, and each the customer's records do not know says so.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../lib/errors.ts';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { Artifact, CustomerContext, SavedAction } from '../../lib/types.ts';
import { ArtifactCard } from './ArtifactCard.tsx';
import { ActionDialog } from '../actions/ActionDialog.tsx';
import { ProposalCard } from '../proposals/ProposalCard.tsx';
import type { Proposal } from '../proposals/api.ts';
import { isKnownContact, KnownContactsOf, knownContactsOf, mailDomain } from './knownContacts.ts';

afterEach(cleanup);

const workspace = {
  api: { client: { rpc: async (name: string) => ({ data: name === 'get_organisation_settings' ? { email: { require_approval: true, allow_self_approval: true } } : null, error: null, status: 200 }) }, getArtifact: async (id: string) => ({ id, created_by: 'u2' }) },
  config: {}, profile: { id: 'u1', role: 'csm' }, signOut: async () => {},
} as unknown as Workspace;

const stakeholder = (name: string, email: string | null, extra: Partial<CustomerContext['account_team']['stakeholders'][number]> = {}) => ({
  id: name, name, email, title: null, role: null, influence: null, is_champion: false, is_decision_maker: false, last_contacted_at: null, ...extra,
});
const context = {
  customer: { name: 'Acme Corp', domain: 'https://www.Acme.example/' },
  account_team: {
    csm: { id: 'u1', full_name: 'Sam CSM', email: 'sam@renubu.example', title: null, role: 'csm' },
    account_executive: null, support_engineer: null,
    stakeholders: [stakeholder('Chris Champion', 'chris@acme-group.example', { is_champion: true }), stakeholder('No Mail', null)],
  },
} as unknown as CustomerContext;
const known = knownContactsOf(context);

function withContacts(children: ReactNode) {
  return <WorkspaceContext.Provider value={workspace}><KnownContactsOf.Provider value={known}>{children}</KnownContactsOf.Provider></WorkspaceContext.Provider>;
}

const draft = (content: Record<string, unknown>, approved = false) => ({
  id: 'a1', execution_id: 'e1', artifact_type: 'email_draft', title: 'Your renewal', version: 1, content, generated_by: 'ai',
  created_by: 'u2', approved_by: approved ? 'u2' : null, approved_at: approved ? '2026-12-01T09:00:00Z' : null, sent_at: null,
  created_at: '2026-12-01T08:00:00Z', updated_at: '2026-12-01T08:00:00Z',
}) as unknown as Artifact;

describe('the known contacts of a customer', () => {
  it('are its domain (any way it is written), its stakeholders\' addresses and domains, and the account team', () => {
    expect(mailDomain('https://www.Acme.example/about')).toBe('acme.example');
    expect(isKnownContact('Olivia@ACME.example', known)).toBe(true);
    expect(isKnownContact('billing@mail.acme.example', known), 'a subdomain of the customer\'s').toBe(true);
    expect(isKnownContact('someone@acme-group.example', known), 'a stakeholder\'s domain').toBe(true);
    expect(isKnownContact('Chris <chris@acme-group.example>', known)).toBe(true);
    expect(isKnownContact('sam@renubu.example', known), 'the account team').toBe(true);
  });

  it('are not a look-alike, a free-mail address, a domain ending like the customer\'s, nor a name', () => {
    for (const address of ['pay@acme-billing.example', 'chris.acme@gmail.example', 'x@notacme.example', 'x@acme.example.evil.test', 'Chris Champion', 'x@renubu.example']) {
      expect(isKnownContact(address, known), address).toBe(false);
    }
  });
});

describe('an email draft waiting for approval', () => {
  it('shows To and Cc one address a line, in full, flagging each unknown one before Approve', () => {
    render(withContacts(<ArtifactCard artifact={draft({ to: ['chris@acme-group.example', 'pay@acme-billing.example'], cc: 'olivia@acme.example, audit@elsewhere.example', subject: 'Renewal', body: 'Hi' })} onChanged={() => {}} />));
    const to = screen.getByRole('list', { name: 'To' });
    const cc = screen.getByRole('list', { name: 'Cc' });
    const lines = (list: HTMLElement) => within(list).getAllByRole('listitem').map((item) => item.textContent);
    expect(lines(to)).toEqual(['chris@acme-group.example', 'pay@acme-billing.example⚠ not a known contact of Acme Corp']);
    expect(lines(cc)).toEqual(['olivia@acme.example', 'audit@elsewhere.example⚠ not a known contact of Acme Corp']);
    const warning = screen.getByTestId('unknown-recipients-warning');
    expect(warning.textContent).toBe('2 recipients are not known contacts of Acme Corp. Check them before you approve.');
    const approve = screen.getByRole('button', { name: 'Approve' });
    // Read in order: the recipients and the warning come before the button.
    expect(to.compareDocumentPosition(approve) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(warning.compareDocumentPosition(approve) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says of a recipient that is no address that it is not one', () => {
    render(withContacts(<ArtifactCard artifact={draft({ to: ['Chris Champion', 'chris@acme-group.example'], subject: 'Renewal', body: 'Hi' })} onChanged={() => {}} />));
    expect(within(screen.getByRole('list', { name: 'To' })).getAllByRole('listitem').map((item) => item.textContent))
      .toEqual(['Chris Champion⚠ not an email address', 'chris@acme-group.example']);
  });

  it('says nothing more when every recipient is known', () => {
    render(withContacts(<ArtifactCard artifact={draft({ to: 'chris@acme-group.example', subject: 'Renewal', body: 'Hi' })} onChanged={() => {}} />));
    expect(screen.queryByTestId('recipient-unknown')).toBeNull();
    expect(screen.queryByTestId('unknown-recipients-warning')).toBeNull();
  });
});

describe('Send Email\'s list of approved drafts', () => {
  it('names every recipient, To and Cc, flagging the unknown ones', () => {
    const sendEmail = { key: 'send_email', name: 'Send Email', type: 'send_email', config: {} } as unknown as SavedAction;
    render(withContacts(<ActionDialog action={sendEmail} executionId="e1" onClose={() => {}} onDone={() => {}}
      artifacts={[draft({ to: 'chris@acme-group.example', cc: ['leak@elsewhere.example'], subject: 'Renewal', body: 'Hi' }, true)]} />));
    const choice = screen.getByRole('radio', { name: /Your renewal/ }).closest('label')!;
    expect(choice.textContent).toContain('To chris@acme-group.example');
    expect(choice.textContent).toContain('Cc leak@elsewhere.example⚠ not a known contact of Acme Corp');
    expect(within(choice).getAllByTestId('recipient-unknown')).toHaveLength(1);
  });
});

describe('a proposal to send an email', () => {
  const proposal = (params: Record<string, unknown>) => ({
    id: 'p1', execution_id: 'e1', action_key: 'send_email', action_name: 'Send Email', action: null, params, rationale: 'Time to send it.',
    source: { kind: 'thread', thread_id: 't1', message_id: 'm1', ref: null }, proposed_for: 'u1', status: 'proposed',
    expires_at: '2031-12-11T10:00:00Z', decided_by: null, decided_at: null, decided_params: null, action_execution_id: null,
    customer: { id: 'c1', name: 'Acme Corp' }, workflow_name: 'Renewal', created_at: '2031-12-04T10:00:00Z',
  }) as unknown as Proposal;

  it('shows before Approve whom it mails: the draft\'s recipients, or those it names instead, flagged when unknown', () => {
    const mail = draft({ to: 'chris@acme-group.example', subject: 'Renewal', body: 'Hi' }, true);
    render(withContacts(<ProposalCard proposal={proposal({ artifact_id: 'a1', to: ['chris@acme-group.example', 'pay@acme-billing.example'] })} canDecide emailDraft={mail}
      onApprove={() => {}} onEdit={() => {}} onReject={() => {}} />));
    const to = screen.getByRole('list', { name: 'To' });
    expect(within(to).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['chris@acme-group.example', 'pay@acme-billing.example⚠ not a known contact of Acme Corp']);
    expect(to.compareDocumentPosition(screen.getByRole('button', { name: 'Approve' })) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});

describe('Approve', () => {
  it('approves the version shown; one changed since is refused, and the card shows it as it is now', async () => {
    const shown = draft({ to: 'chris@acme-group.example', subject: 'Renewal', body: 'Hi' });
    const now = { ...draft({ to: 'pay@acme-billing.example', subject: 'Renewal', body: 'Hi' }), version: 2 } as Artifact;
    const asked: unknown[][] = [];
    const api = {
      ...(workspace.api as object),
      approveArtifact: async (...args: unknown[]) => {
        asked.push(args);
        throw new ApiError('This draft changed since you read it: it is version 2 now, you read version 1', { code: 'PT409', status: 409 });
      },
      getArtifact: async () => now,
    };
    function Card() {
      const [artifact, setArtifact] = useState(shown);
      return <ArtifactCard artifact={artifact} onChanged={setArtifact} />;
    }
    render(<WorkspaceContext.Provider value={{ ...workspace, api } as unknown as Workspace}><KnownContactsOf.Provider value={known}><Card /></KnownContactsOf.Provider></WorkspaceContext.Provider>);
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await screen.findByText(/This draft changed since you read it/);
    expect(asked).toEqual([['a1', true, 1]]);
    await waitFor(() => expect(screen.getByRole('list', { name: 'To' }).textContent).toBe('pay@acme-billing.example⚠ not a known contact of Acme Corp'));
    expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
  });
});
