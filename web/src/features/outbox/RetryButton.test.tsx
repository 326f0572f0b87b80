// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { OutboxMessage } from '../../lib/types.ts';
import { OutboxList } from './OutboxList.tsx';

afterEach(cleanup);

function message(overrides: Partial<OutboxMessage>): OutboxMessage {
  return {
    id: crypto.randomUUID(), to: ['arjun@contoso.example'], cc: [], subject: 'Your renewal', body_text: 'Hi',
    body_html: null, status: 'failed', attempts: 5, last_error: 'SMTP 550 mailbox unavailable', provider_message_id: null,
    sent_at: null, created_at: '2026-11-25T09:59:00Z', updated_at: '2026-11-25T10:00:00Z',
    execution_id: null, artifact_id: null, requested_by: null, customer: null,
    ...overrides,
  };
}

describe('retrying a failed email in Sent mail', () => {
  it('offers Retry on a failed message and queues that message again', async () => {
    const failed = message({ subject: 'Your renewal' });
    const retried: string[] = [];
    render(<OutboxList messages={[failed, message({ subject: 'QBR agenda', status: 'sent', sent_at: '2026-11-25T10:00:00Z', last_error: null })]}
      onRetry={async (m) => { retried.push(m.id); }} />);
    const [first, second] = within(screen.getByRole('list', { name: 'Sent mail' })).getAllByRole('listitem');
    expect(within(second!).queryByRole('button', { name: 'Retry' })).toBeNull();
    fireEvent.click(within(first!).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(within(first!).getByRole('button', { name: 'Queued again' })).toBeTruthy());
    expect(retried).toEqual([failed.id]);
    expect(within(first!).getByRole('status').textContent).toMatch(/sent within a minute/);
  });

  it('shows no Retry to someone who may not send email', () => {
    render(<OutboxList messages={[message({})]} />);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('says why a retry was refused and lets the person try again', async () => {
    render(<OutboxList messages={[message({})]} onRetry={async () => { throw new Error('This email was sent again since it failed'); }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.getByText(/sent again since it failed/)).toBeTruthy());
    expect((screen.getByRole('button', { name: 'Retry' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
