// @vitest-environment happy-dom
// The renewals behind a forecast number: a recorded outcome is said in a notice that takes the
// focus (its renewal, and the button used, leave the list).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Profile } from '../../lib/types.ts';
import type { ForecastApi, ForecastItem } from './api.ts';
import { RenewalList } from './RenewalList.tsx';

afterEach(cleanup);

const item = {
  execution_id: 'e1', customer: { id: 'c1', name: 'Contoso' }, renewal_date: '2026-12-11', decision_date: '2026-12-11',
  current_arr: 250000, forecast_arr: 250000, category: 'probable', category_source: 'derived', state: 'open', on_hold: false, assignee_id: null,
} as unknown as ForecastItem;
const manager = { id: 'm1', role: 'manager' } as unknown as Profile;

describe('the renewals list', () => {
  it('says a recorded outcome in a notice that takes the focus', async () => {
    const recordOutcome = vi.fn(async () => ({}));
    render(<RenewalList items={[item]} total={1} profile={manager} forecastApi={{ recordOutcome } as unknown as ForecastApi} onChanged={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Record outcome' }));
    fireEvent.click(screen.getByRole('button', { name: 'Record as renewed' }));
    const notice = await screen.findByText('Contoso: renewed at $250,000.');
    await waitFor(() => expect(document.activeElement).toBe(notice.closest('.notice')));
  });

  it('says how overdue a past-due renewal is, and how far an upcoming one is', () => {
    const overdue = { ...item, execution_id: 'e2', customer: { id: 'c2', name: 'Fabrikam' }, renewal_date: '2026-11-24',
      decision_date: '2026-11-24', days_until_decision: -12, days_until_renewal: -12 } as ForecastItem;
    const upcoming = { ...item, days_until_decision: 5, days_until_renewal: 5 } as ForecastItem;
    render(<RenewalList items={[overdue, upcoming]} total={2} profile={manager} forecastApi={{} as ForecastApi} onChanged={() => {}} />);
    const [late, soon] = screen.getAllByTestId('forecast-item');
    const lateWhen = late!.querySelector('.renewal-date')!;
    expect(lateWhen.textContent).toBe('renews 24 Nov 2026, 12 days overdue');
    expect(lateWhen.closest('.text-urgent')).not.toBeNull();
    const soonWhen = soon!.querySelector('.renewal-date')!;
    expect(soonWhen.textContent).toBe('renews 11 Dec 2026, in 5 days');
    expect(soonWhen.closest('.text-urgent')).toBeNull();
  });

  it('says no days for a renewal whose outcome is recorded', () => {
    const closed = { ...item, state: 'closed', days_until_decision: null, days_until_renewal: null } as ForecastItem;
    render(<RenewalList items={[closed]} total={1} profile={manager} forecastApi={{} as ForecastApi} onChanged={() => {}} />);
    expect(document.querySelector('.renewal-date')!.textContent).toBe('renews 11 Dec 2026');
  });

  it('lists a renewal nobody works (no open workflow) as open, saying so, and records its outcome by its customer', async () => {
    const lapsed = { ...item, execution_id: null, customer: { id: 'c3', name: 'Lapsed Co' }, days_until_decision: -40 } as unknown as ForecastItem;
    const recordCustomerOutcome = vi.fn(async () => ({}));
    render(<RenewalList items={[lapsed]} total={1} profile={manager} forecastApi={{ recordCustomerOutcome } as unknown as ForecastApi} onChanged={() => {}} />);
    expect(screen.getByTestId('forecast-item').textContent).toContain('no open workflow');
    expect(screen.queryByRole('combobox')).toBeNull(); // a category is set on a workflow
    fireEvent.click(screen.getByRole('button', { name: 'Record outcome' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Churned' }));
    fireEvent.click(screen.getByRole('button', { name: 'Record as churned' }));
    await screen.findByText('Lapsed Co: churned.');
    expect(recordCustomerOutcome).toHaveBeenCalledWith('c3', 'churned', null, expect.any(String));
  });

  it('offers no outcome for a renewal nobody works yet that is not past its decision (its workflow will open)', () => {
    const ahead = { ...item, execution_id: null, customer: { id: 'c4', name: 'Ahead Co' }, days_until_decision: 200 } as unknown as ForecastItem;
    render(<RenewalList items={[ahead]} total={1} profile={manager} forecastApi={{} as ForecastApi} onChanged={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Record outcome' })).toBeNull();
  });
});
