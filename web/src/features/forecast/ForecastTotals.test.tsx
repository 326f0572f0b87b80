// @vitest-environment happy-dom
// The forecast's month chart: no two categories look alike (a closed outcome is hatched in
// its hue, never the same solid colour as an open category), every month is labelled under
// its bar, and the legend has a row of its own rather than hiding a month's label.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { BUCKET_LABELS, FORECAST_CATEGORIES, OUTCOMES, type ForecastBucket, type RenewalForecast } from './api.ts';
import { ForecastTotals } from './ForecastTotals.tsx';

afterEach(cleanup);

const ALL: ForecastBucket[] = [...FORECAST_CATEGORIES, ...OUTCOMES];
const cell = (arr: number) => ({ count: 1, current_arr: arr, forecast_arr: arr });
const month = (iso: string) => ({
  month: iso, count: ALL.length, current_arr: 0, forecast_arr: 700,
  by_category: Object.fromEntries(ALL.map((key) => [key, cell(100)])),
});
const forecast = {
  by_category: [], items: [],
  by_month: [month('2026-10-01'), month('2026-11-01'), month('2026-12-01')],
} as unknown as RenewalForecast;

function show() {
  render(<ForecastTotals forecast={forecast} selection={{ category: null, month: null }} onSelect={() => {}} />);
}

/** How a legend entry or a bar is drawn: its solid fill (the bucket's colour class) or its pattern. */
function looks(elements: Element[]): string[] {
  return elements.map((element) => {
    const fill = (element as HTMLElement).style?.fill || element.getAttribute('fill') || '';
    const hatched = element.classList.contains('swatch-hatched') || element.classList.contains('bar-hatched') || fill.startsWith('url(');
    const hue = { commit: 'green', renewed: 'green', at_risk: 'amber', downgraded: 'amber', churn_expected: 'red', churned: 'red', probable: 'blue' }[
      [...element.classList].find((name) => name.startsWith('bucket-'))!.slice('bucket-'.length)]!;
    return `${hue}${hatched ? ' hatched' : ' solid'}`;
  });
}

describe('the forecast by month chart', () => {
  it('draws every category its own way in the legend', () => {
    show();
    const legend = screen.getByTestId('forecast-legend');
    const swatches = [...legend.querySelectorAll('.swatch')];
    expect(swatches).toHaveLength(ALL.length);
    expect(new Set(looks(swatches)).size).toBe(ALL.length);
    for (const key of OUTCOMES) expect(legend.querySelector(`.swatch.bucket-${key}`)!.classList.contains('swatch-hatched')).toBe(true);
    for (const key of FORECAST_CATEGORIES) expect(legend.querySelector(`.swatch.bucket-${key}`)!.classList.contains('swatch-hatched')).toBe(false);
  });

  it('fills a closed outcome\'s bars with its own pattern, an open category\'s with its colour', () => {
    const { container } = render(<ForecastTotals forecast={forecast} selection={{ category: null, month: null }} onSelect={() => {}} />);
    const bars = ALL.map((key) => screen.getByTestId(`bar-2026-11-01-${key}`));
    expect(new Set(looks(bars)).size).toBe(ALL.length);
    for (const key of OUTCOMES) {
      const fill = screen.getByTestId(`bar-2026-11-01-${key}`).style.fill;
      const id = /^url\("?#(.+?)"?\)$/.exec(fill)?.[1];
      expect(id).toBeTruthy();
      expect(container.querySelector(`pattern[id="${id}"]`)).not.toBeNull();
    }
  });

  it('labels every month under the chart, with the legend in a row of its own', () => {
    show();
    const axis = screen.getByTestId('forecast-axis');
    expect([...axis.children].map((child) => child.textContent)).toEqual(['Oct 2026', 'Nov 2026', 'Dec 2026']);
    const legend = screen.getByTestId('forecast-legend');
    expect(axis.contains(legend)).toBe(false);
    expect(legend.contains(axis)).toBe(false);
    for (const key of ALL) expect(legend.textContent).toContain(BUCKET_LABELS[key]);
  });
});

describe('the forecast by month table', () => {
  it('offers a month to open only when it has renewals', () => {
    const empty = { month: '2027-01-01', count: 0, current_arr: 0, forecast_arr: 0, by_category: {} };
    render(<ForecastTotals forecast={{ ...forecast, by_month: [...forecast.by_month, empty] } as unknown as RenewalForecast}
      selection={{ category: null, month: null }} onSelect={() => {}} />);
    const table = document.querySelector('table.forecast-month-table')!;
    const january = [...table.querySelectorAll('tbody tr')].find((row) => row.querySelector('th')?.textContent?.startsWith('Jan'))!;
    expect(january.querySelectorAll('button')).toHaveLength(0);
    const december = [...table.querySelectorAll('tbody tr')].find((row) => row.querySelector('th')?.textContent?.startsWith('Dec'))!;
    expect(december.querySelectorAll('button').length).toBeGreaterThan(0);
  });
});
