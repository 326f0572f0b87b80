// @vitest-environment happy-dom
// The customer page searches the customer's recorded history (notes, calls, tickets, emails
// sent, approved documents, chat summaries, contracts: search_customer_history) without a
// workflow's chat: each passage found with its kind and date in words and its matched words
// marked; nothing found, a blank search and a refusal each say what to do.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { HistorySearch } from './HistorySearch.tsx';
import { cannedWorkspace } from './testWorkspace.tsx';

afterEach(cleanup);

const FOUND = [
  { rank: 0.4, title: 'Ticket ACME-1040: API rate limit questions', snippet: 'Ticket status: open', source_id: 's1',
    occurred_at: '2026-12-04T11:00:00+00:00', source_kind: 'engagement', source_subtype: 'support_ticket' },
  { rank: 0.2, title: 'Contoso Retail: your renewal', snippet: 'we discussed the API **rate** **limits** last week', source_id: 's2',
    occurred_at: '2026-11-20T10:00:00+00:00', source_kind: 'email', source_subtype: null },
];

function search(words: string, answers: Record<string, (args: Record<string, unknown>) => unknown>) {
  const workspace = cannedWorkspace('csm', answers);
  render(<HistorySearch customerId="c1" customerName="Contoso Retail" />, { wrapper: workspace.wrap });
  fireEvent.change(screen.getByRole('searchbox', { name: /^Words to look for/ }), { target: { value: words } });
  fireEvent.click(screen.getByRole('button', { name: 'Search' }));
  return workspace.calls;
}

describe('searching a customer\'s history', () => {
  it('lists each passage found with its kind and date in words, the matched words marked', async () => {
    const calls = search('rate limit', { search_customer_history: () => FOUND });
    const results = await screen.findByRole('list', { name: 'Passages found' });
    expect(calls.at(-1)).toEqual({ name: 'search_customer_history', args: { customer_id: 'c1', query: 'rate limit', max_results: 20 } });
    const items = within(results).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('Ticket ACME-1040: API rate limit questions');
    // A ticket is named as the timeline names it, not 'Activity' (source_subtype, historySourceLabel).
    expect(items[0]!.textContent).toContain('Support ticket · 4 Dec 2026');
    expect(items[1]!.textContent).toContain('Email sent · 20 Nov 2026');
    expect([...items[1]!.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['rate', 'limits']);
    expect(items[1]!.textContent).not.toContain('**');
    expect(screen.getByRole('status').textContent).toBe('2 passages match “rate limit”.');
  });

  it('says when nothing matches, and what to try', async () => {
    search('sso outage', { search_customer_history: () => [] });
    expect((await screen.findByRole('status')).textContent)
      .toMatch(/^Nothing in Contoso Retail’s history matches “sso outage”\. Try other words, or fewer\. /);
  });

  // "discount" found nothing while the activity below it read "CFO asks for a 15% discount" (an
  // escalation's reason): the panel says what it searches, and a miss points to the activity.
  it('says what it searches, and where the reasons of workflow actions are when nothing matches', async () => {
    search('discount', { search_customer_history: () => [] });
    const status = await screen.findByRole('status');
    expect(status.textContent).toMatch(/ The reasons given for workflow actions and escalations are not searched: they are in the activity below\.$/);
    expect(screen.getByText(/^Searches /).textContent)
      .toBe('Searches notes, calls, meetings, tickets, emails sent, approved documents, chat summaries and contracts.');
  });

  it('asks for words beside the box when none are typed, and asks the server nothing', () => {
    const calls = search('   ', { search_customer_history: () => FOUND });
    expect(screen.getByRole('alert').textContent).toBe('Type the words to look for, e.g. “pricing objection”.');
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: /^Words to look for/ }));
    expect(calls).toEqual([]);
  });

  it('says a refusal in words', async () => {
    search('pricing', { search_customer_history: () => { throw { code: 'PT404', message: 'Customer not found', hint: 'Check the id.' }; } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/.+/);
  });

  it('says how to search for a phrase or leave a word out in the field\'s hint, which a phone shows whole and typing keeps', () => {
    render(<HistorySearch customerId="c1" customerName="Contoso Retail" />, { wrapper: cannedWorkspace('csm', {}).wrap });
    const box = screen.getByRole('searchbox', { name: 'Words to look for (“a phrase” in quotes, -word to leave it out)' });
    // The placeholder is an example short enough for a phone's box, not the only place the syntax is said.
    expect((box as HTMLInputElement).placeholder).toBe('e.g. rate limit');
  });
});
