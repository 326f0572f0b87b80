// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { OutboxMessage } from '../../lib/types.ts';
import { OutboxList } from './OutboxList.tsx';

afterEach(cleanup);

function message(overrides: Partial<OutboxMessage>): OutboxMessage {
  return {
    id: crypto.randomUUID(), to: ['arjun@contoso.example'], cc: [], subject: 'Your renewal', body_text: 'Hi Arjun,\n\nShall we meet?',
    body_html: null, status: 'delivered_to_sink', attempts: 1, last_error: null, provider_message_id: 'm1@renubu',
    sent_at: '2026-11-25T10:00:00Z', created_at: '2026-11-25T09:59:00Z', updated_at: '2026-11-25T10:00:00Z',
    execution_id: null, artifact_id: null, requested_by: { id: 'p1', full_name: 'Sam Senior' }, customer: { id: 'c1', name: 'Contoso' },
    ...overrides,
  };
}

describe('sent mail list', () => {
  it('lists each message with its recipient, subject and delivery status, newest as given', () => {
    render(<OutboxList messages={[
      message({ subject: 'Your renewal', status: 'delivered_to_sink' }),
      message({ subject: 'QBR agenda', status: 'sent', to: ['lee@globex.example', 'kim@globex.example'] }),
      message({ subject: 'Pricing', status: 'queued', sent_at: null }),
    ]} />);
    const items = within(screen.getByRole('list', { name: 'Sent mail' })).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.outbox-subject')?.textContent)).toEqual(['Your renewal', 'QBR agenda', 'Pricing']);
    expect(within(items[0]!).getByText('Not sent (no mail server)')).toBeTruthy();
    expect(within(items[1]!).getByText('Sent')).toBeTruthy();
    expect(within(items[1]!).getByText('to lee@globex.example, kim@globex.example')).toBeTruthy();
    expect(within(items[2]!).getByText('Queued')).toBeTruthy();
  });

  it('says why a message failed', () => {
    render(<OutboxList messages={[message({ status: 'failed', sent_at: null, attempts: 2, last_error: 'SMTP 550 mailbox unavailable' })]} />);
    expect(screen.getByText('Failed')).toBeTruthy();
    expect(screen.getByText(/Not sent: SMTP 550 mailbox unavailable \(after 2 attempts\)/)).toBeTruthy();
  });

  it('opens into the message rendered as an email', () => {
    render(<OutboxList messages={[message({ cc: ['boss@contoso.example'] })]} />);
    const details = screen.getByRole('listitem').querySelector('details')!;
    expect(details.open).toBe(false);
    details.open = true; // what a click on its summary does in a browser (happy-dom does not toggle it)
    const email = screen.getByLabelText('Email: Your renewal');
    expect(within(email).getByText('arjun@contoso.example')).toBeTruthy();
    expect(within(email).getByText('boss@contoso.example')).toBeTruthy();
    expect(email.querySelector('.email-body')?.textContent).toBe('Hi Arjun,\n\nShall we meet?');
    // One line of text, the '·' held to the part before it (a no-break space), so a wrapped line never starts with it.
    expect(screen.getByRole('listitem').querySelector('.outbox-meta')?.textContent).toBe('Sent by Sam Senior\u00a0· Contoso');
  });

  it('lets its addresses wrap after an @ or before a dot, never inside a word', () => {
    render(<OutboxList messages={[message({ to: ['olivia.sato@litware.example'] })]} />);
    const to = screen.getByLabelText('Email: Your renewal').querySelector('dd')!;
    expect(to.innerHTML).toBe('olivia<wbr>.sato@<wbr>litware<wbr>.example');
    expect(screen.getByRole('listitem').querySelector('summary')!.innerHTML).toContain('to olivia<wbr>.sato@<wbr>litware<wbr>.example');
  });

  it('puts no dot before the customer of a message nobody asked for', () => {
    render(<OutboxList messages={[message({ requested_by: null })]} />);
    expect(screen.getByRole('listitem').querySelector('.outbox-meta')?.textContent).toBe('Contoso');
  });

  it('says when and to whom in one line whose separator never starts a wrapped line', () => {
    render(<OutboxList messages={[message({})]} />);
    const summary = screen.getByRole('listitem').querySelector('summary')!;
    expect(summary.textContent).toMatch(/to arjun@contoso\.example\u00a0· \d/);
  });
});
