// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { RenewalDate, renewalDateText } from './RenewalDate.tsx';

afterEach(cleanup);

describe('renewalDateText', () => {
  it('shows the notice deadline beside the renewal date when they differ', () => {
    expect(renewalDateText({ renewalDate: '2027-03-30', decisionDate: '2027-01-29', daysUntilDecision: 57 }))
      .toBe('renews 30 Mar 2027 unless notice by 29 Jan 2027, in 57 days');
  });
  it('shows only the renewal date when there is no notice period', () => {
    expect(renewalDateText({ renewalDate: '2027-03-30', decisionDate: '2027-03-30', daysUntilRenewal: -3 }))
      .toBe('renews 30 Mar 2027, 3 days overdue');
  });
  it('says so when there is no renewal date', () => {
    expect(renewalDateText({ renewalDate: null })).toBe('no renewal date');
  });
});

/** The rendered line (its dates are spans of their own, so it is found by its class). */
const line = () => document.querySelector<HTMLElement>('.renewal-date')!;

describe('RenewalDate', () => {
  it('says a renewal past its decision in red, wherever it is shown', () => {
    render(<RenewalDate renewalDate="2026-11-24" decisionDate="2026-11-24" daysUntilRenewal={-12} daysUntilDecision={-12} />);
    expect(line().textContent).toBe('renews 24 Nov 2026, 12 days overdue');
    expect(line().classList.contains('text-urgent')).toBe(true);
  });
  it('goes by the notice deadline of an auto-renewing contract, not its renewal date', () => {
    render(<RenewalDate renewalDate="2027-01-30" decisionDate="2026-12-01" daysUntilRenewal={55} daysUntilDecision={-5} />);
    expect(line().textContent).toMatch(/notice by 1 Dec 2026, 5 days overdue$/);
    expect(line().classList.contains('text-urgent')).toBe(true);
  });
  it('leaves one still to come, or without days, as it is', () => {
    render(<RenewalDate renewalDate="2026-12-11" decisionDate="2026-12-11" daysUntilRenewal={5} daysUntilDecision={5} />);
    expect(line().textContent).toBe('renews 11 Dec 2026, in 5 days');
    expect(line().classList.contains('text-urgent')).toBe(false);
  });
  it('keeps each date whole, so a narrow column never splits "9 Dec 2026"', () => {
    render(<RenewalDate renewalDate="2027-03-30" decisionDate="2027-01-29" daysUntilRenewal={114} daysUntilDecision={54} />);
    expect(line().textContent).toBe('renews 30 Mar 2027 unless notice by 29 Jan 2027, in 54 days');
    expect([...line().querySelectorAll('.date-whole')].map((part) => part.textContent)).toEqual(['30 Mar 2027', '29 Jan 2027']);
  });
});
