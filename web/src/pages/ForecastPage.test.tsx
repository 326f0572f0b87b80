// @vitest-environment happy-dom
// The Forecast page against canned answers shaped like the server's (the RPCs themselves
// are covered by pgTAP and tests/integration/forecast.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ForecastPage } from './ForecastPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import type { ForecastItem, RenewalForecast, RetentionMetrics } from '../features/forecast/api.ts';

afterEach(cleanup);

const TODAY = new Date('2026-11-15T12:00:00Z');
const zero = { count: 0, current_arr: 0, forecast_arr: 0 };
const item = (over: Partial<ForecastItem>): ForecastItem => ({
  state: 'open', execution_id: 'e1', customer: { id: '11111111-1111-4111-8111-111111111111', name: 'Globex' },
  renewal_date: '2026-12-10', decision_date: '2026-10-11', days_until_decision: -35, days_until_renewal: 25, assignee_id: 'me', category: 'probable', category_source: 'derived',
  current_arr: 100000, forecast_arr: 100000, note: null, set_by: null, set_at: null, outcome: null, ...over,
});
function forecast(items: ForecastItem[]): RenewalForecast {
  return {
    period_start: '2026-10-01', period_end: '2027-01-01', assignee_id: null,
    totals: { count: 2, current_arr: 150000, forecast_arr: 150000, open: { count: 2, current_arr: 150000, forecast_arr: 150000 }, closed: zero },
    by_category: [
      { category: 'commit', state: 'open', ...zero },
      { category: 'probable', state: 'open', count: 1, current_arr: 100000, forecast_arr: 100000 },
      { category: 'at_risk', state: 'open', count: 1, current_arr: 50000, forecast_arr: 50000 },
      { category: 'churn_expected', state: 'open', ...zero },
      { category: 'renewed', state: 'closed', ...zero },
      { category: 'downgraded', state: 'closed', ...zero },
      { category: 'churned', state: 'closed', ...zero },
    ],
    by_month: ['2026-10-01', '2026-11-01', '2026-12-01'].map((month) => ({
      month, ...(month === '2026-12-01' ? { count: 2, current_arr: 150000, forecast_arr: 150000 } : zero),
      by_category: {
        commit: zero, probable: month === '2026-12-01' ? { count: 1, current_arr: 100000, forecast_arr: 100000 } : zero,
        at_risk: month === '2026-12-01' ? { count: 1, current_arr: 50000, forecast_arr: 50000 } : zero,
        churn_expected: zero, renewed: zero, downgraded: zero, churned: zero,
      },
    })),
    items_total: items.length,
    items,
  };
}
const figure = (start: string, end: string, grr: number, nrr: number) => ({
  period_start: start, period_end: end, customers: 20, starting_arr: 1000000, expansion: 50000, contraction: 20000, churn: 10000,
  ending_arr: 1020000, grr, nrr,
});
const retention: RetentionMetrics = {
  ...figure('2025-11-01', '2026-11-01', 0.97, 1.02), granularity: 'month',
  series: Array.from({ length: 12 }, (_, i) => {
    const start = new Date(Date.UTC(2025, 10 + i, 1)).toISOString().slice(0, 10);
    const end = new Date(Date.UTC(2025, 11 + i, 1)).toISOString().slice(0, 10);
    return { ...figure(start, end, 0.99, 1.01), trailing_12_months: figure(start, end, 0.9 + i / 100, 1 + i / 100) };
  }),
};

describe('the forecast page', () => {
  // A viewer holds no renewals: Whose starts on Everyone and offers the colleagues, never "Mine".
  it('offers a viewer everyone and the colleagues, not Mine', async () => {
    const { wrap, calls } = cannedWorkspace('viewer', { get_renewal_forecast: () => forecast([]), get_retention_metrics: () => retention });
    render(<ForecastPage today={TODAY} />, { wrapper: wrap });
    const whose = screen.getByLabelText('Whose') as HTMLSelectElement;
    await screen.findByRole('option', { name: 'Casey Junior' });
    expect([...whose.options].map((option) => option.text)).toEqual(['Everyone', 'Casey Junior']);
    expect(whose.value).toBe('');
    expect(calls.find((call) => call.name === 'get_renewal_forecast')?.args).not.toHaveProperty('assignee_id'); // everyone's
  });

  it('says whose renewals and when, and what to change, when none is due', async () => {
    const { wrap } = cannedWorkspace('csm', { get_renewal_forecast: () => forecast([]), get_retention_metrics: () => retention });
    render(<ForecastPage today={TODAY} />, { wrapper: wrap });
    expect(await screen.findByText('None of your renewals is due Oct 2026 to Dec 2026. Choose another period, or Everyone under Whose.')).toBeTruthy();
    fireEvent.click(screen.getByTestId('total-at_risk'));
    expect(await screen.findByText('None of your at risk renewals is due Oct 2026 to Dec 2026. Show all to see every renewal of the period.')).toBeTruthy();
  });

  it('shows totals by category and month, the renewals behind a number, and retention with its charts', async () => {
    const { wrap, calls } = cannedWorkspace('csm', {
      get_renewal_forecast: (args) => forecast(args.category === 'at_risk'
        ? [item({ execution_id: 'e2', customer: { id: '22222222-2222-4222-8222-222222222222', name: 'Initech' }, category: 'at_risk', current_arr: 50000, forecast_arr: 50000 })]
        : [item({})]),
      get_retention_metrics: () => retention,
    });
    render(<ForecastPage today={TODAY} />, { wrapper: wrap });
    expect((await screen.findByTestId('total-probable')).textContent).toContain('$100,000');
    expect(screen.getByTestId('total-at_risk').textContent).toContain('1 renewal');
    // A csm starts on their own renewals of this quarter.
    expect(calls.find((call) => call.name === 'get_renewal_forecast')?.args).toMatchObject({ period_start: '2026-10-01', period_end: '2027-01-01', assignee_id: 'me' });
    expect(calls.find((call) => call.name === 'get_retention_metrics')?.args).toMatchObject({ period_start: '2025-11-01', period_end: '2026-11-01' });
    const row = screen.getByTestId('forecast-item');
    expect(row.textContent).toContain('notice by 11 Oct 2026');
    expect(within(row).getByRole('link', { name: 'Globex' }).getAttribute('href')).toBe('/customers/11111111-1111-4111-8111-111111111111');

    fireEvent.click(screen.getByTestId('total-at_risk'));
    await screen.findByRole('link', { name: 'Initech' });
    expect(calls.at(-1)).toMatchObject({ name: 'get_renewal_forecast', args: { category: 'at_risk' } });

    expect((await screen.findByTestId('grr')).textContent).toBe('97.0 %');
    expect(screen.getByTestId('nrr').textContent).toBe('102.0 %');
    expect(screen.getByTestId('grr-chart').getAttribute('aria-label')).toContain('90.0 % in Nov 2025');
    expect(screen.getByTestId('movement-chart')).toBeTruthy();
    // The movements' legend is below the chart, not in its axis row between the month labels.
    const legend = screen.getByTestId('movement-legend');
    expect(legend.closest('.chart-axis')).toBeNull();
    expect(legend.previousElementSibling?.className).toBe('chart-axis');
    expect(legend.textContent).toBe('ExpansionContractionChurn');
  });

  it('sets a category inline and records an outcome, then reloads', async () => {
    const { wrap, calls } = cannedWorkspace('csm', {
      get_renewal_forecast: () => forecast([item({})]),
      get_retention_metrics: () => retention,
      set_renewal_forecast: (args) => ({ ...args, category_source: 'person' }),
      record_renewal_outcome: (args) => ({ outcome: args.outcome, new_arr: args.new_arr }),
    });
    render(<ForecastPage today={TODAY} />, { wrapper: wrap });
    fireEvent.change(await screen.findByLabelText('Category of Globex'), { target: { value: 'commit' } });
    await waitFor(() => expect(calls.find((call) => call.name === 'set_renewal_forecast')?.args).toEqual({ execution_id: 'e1', category: 'commit' }));
    await waitFor(() => expect(calls.filter((call) => call.name === 'get_renewal_forecast')).toHaveLength(2));

    fireEvent.click(screen.getByRole('button', { name: 'Record outcome' }));
    fireEvent.click(screen.getByLabelText('Downgraded'));
    fireEvent.change(screen.getByLabelText(/^New ARR/), { target: { value: '80000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record as downgraded' }));
    await waitFor(() => expect(calls.find((call) => call.name === 'record_renewal_outcome')?.args)
      .toEqual({ execution_id: 'e1', outcome: 'downgraded', new_arr: 80000, idempotency_key: expect.any(String) }));
    await waitFor(() => expect(calls.filter((call) => call.name === 'get_renewal_forecast')).toHaveLength(3));
  });

  it('shows a month without contraction as $0, never "−$0", in the plain colour, and churn in a tile of its own', async () => {
    const { wrap } = cannedWorkspace('csm', {
      get_renewal_forecast: () => forecast([item({})]),
      get_retention_metrics: () => ({ ...retention, expansion: 0, contraction: 0, churn: 10000 }),
    });
    render(<ForecastPage today={TODAY} />, { wrapper: wrap });
    const contraction = await screen.findByTestId('contraction');
    expect(contraction.textContent).toBe('$0');
    expect(contraction.className, 'no loss: not in red').not.toContain('retention-down');
    expect(screen.getByTestId('churn').textContent).toMatch(/^−\$10(\.0)?K$/);
    expect(screen.getByTestId('churn').className).toContain('retention-down');
    expect(screen.getByTestId('expansion').textContent).toBe('$0');
    expect(screen.getByTestId('expansion').className).not.toContain('retention-up');
  });

  it('offers no forecast or outcome on a renewal whose workflow is escalated, to anyone', async () => {
    for (const role of ['csm', 'manager'] as const) {
      const { wrap } = cannedWorkspace(role, {
        get_renewal_forecast: () => forecast([item({ on_hold: true })]),
        get_retention_metrics: () => retention,
      });
      render(<ForecastPage today={TODAY} />, { wrapper: wrap });
      const row = await screen.findByTestId('forecast-item');
      expect(row.textContent).toContain('on hold: escalated');
      expect(screen.queryByLabelText('Category of Globex'), role).toBeNull();
      expect(screen.queryByRole('button', { name: 'Record outcome' }), role).toBeNull();
      cleanup();
    }
  });

  it('offers no editing of renewals that are not the caller\'s, nor to a viewer', async () => {
    const { wrap } = cannedWorkspace('viewer', {
      get_renewal_forecast: () => forecast([item({ assignee_id: 'casey' })]),
      get_retention_metrics: () => retention,
    });
    render(<ForecastPage today={TODAY} />, { wrapper: wrap });
    await screen.findByTestId('forecast-item');
    expect(screen.queryByLabelText('Category of Globex')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Record outcome' })).toBeNull();
  });
});
