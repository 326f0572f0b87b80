// @vitest-environment happy-dom
// Sent mail's "Load more" puts the focus on the first message it brought, as the queue's and
// the customers list's do, not on the page when the last page takes the button away.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Api } from '../lib/api.ts';
import type { OutboxMessage } from '../lib/types.ts';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import { OutboxPage } from './OutboxPage.tsx';

afterEach(cleanup);

function message(id: string, subject: string): OutboxMessage {
  return {
    id, to: ['arjun@contoso.example'], cc: [], subject, body_text: 'Hi Arjun', body_html: null, status: 'delivered_to_sink', attempts: 1,
    last_error: null, provider_message_id: `${id}@renubu`, sent_at: '2026-11-25T10:00:00Z', created_at: '2026-11-25T09:59:00Z',
    updated_at: '2026-11-25T10:00:00Z', execution_id: null, artifact_id: null, requested_by: { id: 'p1', full_name: 'Sam Senior' },
    customer: { id: 'c1', name: 'Contoso' },
  };
}

describe('Sent mail', () => {
  it('puts the focus on the first message a "Load more" brought', async () => {
    const listOutboxMessages = (async (args: { cursor?: string } = {}) => (args.cursor
      ? { items: [message('m2', 'QBR agenda')], next_cursor: null }
      : { items: [message('m1', 'Your renewal')], next_cursor: 'page-2' })) as unknown as Api['listOutboxMessages'];
    const { wrap } = cannedWorkspace('csm', {}, { listOutboxMessages });
    render(<OutboxPage />, { wrapper: wrap });
    const more = await screen.findByRole('button', { name: 'Load more' });
    more.focus();
    fireEvent.click(more);
    await screen.findAllByText('QBR agenda');
    // Its summary line, which opens the message.
    await waitFor(() => expect(document.activeElement?.tagName).toBe('SUMMARY'));
    expect(document.activeElement?.textContent).toContain('QBR agenda');
  });
});

describe('Sent mail with nothing sent', () => {
  // Before, a viewer was told to approve a draft and send it with "Send email", which their
  // role is never offered.
  const nothing = (async () => ({ items: [], next_cursor: null })) as unknown as Api['listOutboxMessages'];

  it('tells a CSM how email gets here', async () => {
    const { wrap } = cannedWorkspace('csm', {}, { listOutboxMessages: nothing });
    render(<OutboxPage />, { wrapper: wrap });
    expect(await screen.findByText('Approve a drafted email in a workflow and send it with the “Send email” action.')).toBeTruthy();
  });

  it('tells a viewer what will be listed, without an action their role is not offered', async () => {
    const { wrap } = cannedWorkspace('viewer', {}, { listOutboxMessages: nothing });
    render(<OutboxPage />, { wrapper: wrap });
    await screen.findByText('No email sent yet.');
    expect(screen.queryByText(/“Send email”/)).toBeNull();
    expect(screen.getByText('Email your team sends from a workflow is listed here once it goes out.')).toBeTruthy();
  });
});
