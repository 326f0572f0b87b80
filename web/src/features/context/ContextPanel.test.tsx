// @vitest-environment happy-dom
// The customer context joins its parts with a dot only between two that are shown.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { context } from '../customers/fixtures.ts';
import type { CustomerContext } from '../../lib/types.ts';
import { ContextView } from './ContextPanel.tsx';

afterEach(cleanup);

function withUsage(usage: Partial<CustomerContext['data']['usage']>): CustomerContext {
  return { ...context, data: { ...context.data, usage: { ...context.data.usage, active_users: 40, ...usage } } } as unknown as CustomerContext;
}

describe('customer context ARR', () => {
  it('says a fall in ARR with a real minus sign, a rise with a plus', () => {
    const withChange = (change: number) => ({ ...context, data: { ...context.data, financials: { ...context.data.financials,
      previous_arr: 97400, arr_change: change, arr_changed_at: '2026-12-05T10:00:00Z' } } }) as unknown as CustomerContext;
    render(<ContextView context={withChange(-2400)} />);
    expect(screen.getByText(/since/).textContent).toBe('−$2,400 since 5 Dec 2026 (was $97,400)');
    cleanup();
    render(<ContextView context={withChange(2400)} />);
    expect(screen.getByText(/since/).textContent).toBe('+$2,400 since 5 Dec 2026 (was $97,400)');
  });
});

describe('customer context usage', () => {
  it('says the active users of 90 days ago without a dot when there is no utilisation', () => {
    render(<ContextView context={withUsage({ utilisation: null, baseline_active_users: 35 })} />);
    expect(screen.getByText(/active users 90 days ago/).textContent).toBe('35 active users 90 days ago');
  });

  it('puts the dot between utilisation and the users of 90 days ago', () => {
    render(<ContextView context={withUsage({ licensed_seats: 50, utilisation: 0.8, baseline_active_users: 35 })} />);
    expect(screen.getByText(/active users 90 days ago/).textContent).toBe('80% utilisation · 35 active users 90 days ago');
  });
});

describe('customer context account team', () => {
  it('says a role nobody holds "Unassigned", the word the Team page and the customers list use', () => {
    render(<ContextView context={context as unknown as CustomerContext} />);
    const unheld = screen.getAllByText('Unassigned');
    expect(unheld.length).toBe(2);
    expect(screen.queryByText('unassigned')).toBeNull();
  });
});
