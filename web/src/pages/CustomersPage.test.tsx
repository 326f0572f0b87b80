// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { CustomersPage } from './CustomersPage.tsx';
import { ViewerHome } from './ViewerHome.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import { CUSTOMER_ID, customerRow } from '../features/customers/fixtures.ts';

afterEach(cleanup);

describe('the customers page', () => {
  it('lists customers linked to their page, sends filters and sort to the server, and loads the next page by cursor', async () => {
    const { wrap, calls } = cannedWorkspace('csm', {
      list_customers: (args) => args.cursor
        ? { items: [{ ...customerRow, id: 'c2', name: 'Initech' }], next_cursor: null }
        : { items: [customerRow], next_cursor: 'page-2' },
    });
    render(<CustomersPage />, { wrapper: wrap });
    const link = await screen.findByRole('link', { name: 'Globex' });
    expect(link.getAttribute('href')).toBe(`/customers/${CUSTOMER_ID}`);
    expect(screen.getByTestId('customer-row').textContent).toContain('notice by 29 Jan 2027');
    expect(calls[0]?.args).toMatchObject({ sort: 'priority', filters: {} });

    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByRole('link', { name: 'Initech' });
    expect(calls.at(-1)?.args).toMatchObject({ cursor: 'page-2' });
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

    // The last page took Load more away: the focus is on the first customer it brought, not dropped to the page.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('link', { name: 'Initech' })));

    fireEvent.change(screen.getByLabelText('Stage'), { target: { value: 'Critical' } });
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ filters: { stages: ['Critical'] } }));
    fireEvent.change(screen.getByLabelText('Plan'), { target: { value: 'invest' } });
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ filters: { stages: ['Critical'], plans: ['invest'] } }));
    fireEvent.change(screen.getByLabelText('CSM'), { target: { value: 'me' } });
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ filters: { assignee_id: 'me' } }));
    fireEvent.change(screen.getByLabelText('Forecast'), { target: { value: 'at_risk' } });
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ filters: { forecast: ['at_risk'] } }));
    fireEvent.change(screen.getByLabelText('Sort'), { target: { value: 'arr' } });
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ sort: 'arr' }));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search customers' }), { target: { value: 'glob' } });
    await waitFor(() => expect(calls.at(-1)?.args).toMatchObject({ search: 'glob' }));
  });

  it('says a customer nobody holds "Unassigned" in the CSM column, as the Team page does', async () => {
    const { wrap } = cannedWorkspace('csm', { list_customers: () => ({ items: [{ ...customerRow, assigned_to: null, assignee: null }], next_cursor: null }) });
    render(<CustomersPage />, { wrapper: wrap });
    expect(await screen.findByText('Unassigned')).toBeTruthy();
    expect(screen.queryByText('unassigned')).toBeNull();
  });

  it('says when nothing matches', async () => {
    const { wrap } = cannedWorkspace('csm', { list_customers: () => ({ items: [], next_cursor: null }) });
    render(<CustomersPage />, { wrapper: wrap });
    await screen.findByText('No customers yet.');
  });
});

describe('a viewer\'s home', () => {
  it('shows the organisation\'s upcoming renewals by decision date and its customers by priority, read-only', async () => {
    const { wrap, calls } = cannedWorkspace('viewer', { list_customers: () => ({ items: [customerRow], next_cursor: null }) });
    render(<ViewerHome />, { wrapper: wrap });
    await screen.findByRole('heading', { name: 'Renewals overdue or due in the next 90 days' });
    await waitFor(() => expect(screen.getAllByRole('link', { name: 'Globex' })).toHaveLength(2));
    expect(calls.map((call) => call.args.sort).sort()).toEqual(['priority', 'renewal']);
    expect(screen.queryByRole('button', { name: /Start|Snooze|New task/ })).toBeNull();
  });
});
