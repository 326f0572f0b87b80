// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { Proposal } from './api.ts';
import { ProposalCard } from './ProposalCard.tsx';
import { describeParams } from './proposalParams.ts';

afterEach(cleanup);

function proposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: 'p1', execution_id: 'e1', action_key: 'snooze', action_name: 'Snooze Workflow', action: null,
    params: { days: 7, reason: 'Customer on holiday' }, rationale: 'They are away until the 15th; nothing moves before then.',
    source: { kind: 'thread', thread_id: 't1', message_id: 'm1', ref: null }, proposed_for: 'u1', status: 'proposed',
    expires_at: '2026-12-11T10:00:00Z', decided_by: null, decided_at: null, decided_params: null, action_execution_id: null,
    customer: { id: 'c1', name: 'Contoso' }, workflow_name: 'Emergency Stage', created_at: '2026-12-04T10:00:00Z',
    ...overrides,
  };
}

function setup(overrides: Partial<Proposal> = {}, canDecide = true) {
  const clicks: string[] = [];
  render(<ProposalCard proposal={proposal(overrides)} canDecide={canDecide}
    onApprove={(p) => clicks.push(`approve ${p.id}`)} onEdit={(p) => clicks.push(`edit ${p.id}`)} onReject={(p) => clicks.push(`reject ${p.id}`)} />);
  return { clicks, card: screen.getByRole('article', { name: 'Proposal: Snooze Workflow' }) };
}

describe('an AI proposal card', () => {
  it('says what the assistant proposes, why, with which parameters and where from', () => {
    const { card } = setup();
    expect(within(card).getByText('Snooze Workflow')).toBeTruthy();
    expect(within(card).getByText('They are away until the 15th; nothing moves before then.')).toBeTruthy();
    expect(within(card).getByText('days: 7 · reason: Customer on holiday')).toBeTruthy();
    expect(within(card).getByText(/The assistant proposes · from the chat/)).toBeTruthy();
    expect(within(card).getByText(/Nothing runs until someone approves it/)).toBeTruthy();
  });

  it('offers Approve, Edit and Reject, each deciding this proposal', () => {
    const { clicks, card } = setup();
    fireEvent.click(within(card).getByRole('button', { name: 'Approve' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Edit…' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Reject' }));
    expect(clicks).toEqual(['approve p1', 'edit p1', 'reject p1']);
  });

  it('puts Reject first and Approve last, as a dialog puts Cancel before its action', () => {
    const { card } = setup();
    expect(within(card).getAllByRole('button').map((button) => button.textContent)).toEqual(['Reject', 'Edit…', 'Approve']);
  });

  it('offers no decision to someone who may not decide, nor on a decided proposal', () => {
    setup({}, false);
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
    const { card } = setup({ status: 'approved', decided_by: 'u1', decided_at: '2026-12-04T11:00:00Z' });
    expect(within(card).queryByRole('button')).toBeNull();
    expect(within(card).getByText('Approved')).toBeTruthy();
  });

  it('names an agent source and its client', () => {
    const { card } = setup({ source: { kind: 'agent', thread_id: null, message_id: null, ref: 'claude-desktop' } });
    expect(within(card).getByText(/from an agent \(claude-desktop\)/)).toBeTruthy();
  });

  it('describes parameters in words, leaving empty ones out', () => {
    expect(describeParams({ attendees: ['a@x.example', 'b@x.example'], note: '', level: 'manager' })).toBe('attendees: a@x.example, b@x.example · level: manager');
  });

  it('says a level or priority by its label, a draft by its title, a day and a meeting\'s length as the app does', () => {
    const words = { labels: { vp_cs: 'VP of Customer Success', high: 'High' }, draftTitles: { d1: 'Your renewal on 15 January' } };
    expect(describeParams({ level: 'vp_cs', reason: 'Discount' }, words)).toBe('level: VP of Customer Success · reason: Discount');
    expect(describeParams({ title: 'Call the CFO', due_date: '2026-12-10', priority: 'high' }, words)).toBe('title: Call the CFO · due date: 10 Dec 2026 · priority: High');
    expect(describeParams({ artifact_id: 'd1' }, words)).toBe('draft: “Your renewal on 15 January”');
    expect(describeParams({ artifact_id: 'gone' }, words)).toBe('draft: an email draft of this workflow');
    expect(describeParams({ duration_minutes: 30, attendees: [] }, words)).toBe('length: 30 minutes');
    expect(describeParams({ scheduled_at: '2026-12-13T12:00:00Z' })).toMatch(/^when: 13 Dec, \d{2}:\d{2}$/);
  });

  it('shows them on the card in those words', () => {
    render(<ProposalCard proposal={proposal({ action_key: 'send_email', action_name: 'Send Email', params: { artifact_id: 'd1' } })} canDecide
      words={{ draftTitles: { d1: 'Your renewal' } }} onApprove={() => {}} onEdit={() => {}} onReject={() => {}} />);
    expect(screen.getByText('draft: “Your renewal”')).toBeTruthy();
    expect(screen.queryByText(/d1/)).toBeNull();
  });
});
