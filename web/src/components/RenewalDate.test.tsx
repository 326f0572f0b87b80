import { describe, expect, it } from 'vitest';
import { renewalDateText } from './RenewalDate.tsx';

describe('renewalDateText', () => {
  it('shows the notice deadline beside the renewal date when they differ', () => {
    expect(renewalDateText({ renewalDate: '2027-03-30', decisionDate: '2027-01-29', daysUntilDecision: 57 }))
      .toBe('renews 30 Mar 2027 · notice by 29 Jan 2027, in 57 days');
  });
  it('shows only the renewal date when there is no notice period', () => {
    expect(renewalDateText({ renewalDate: '2027-03-30', decisionDate: '2027-03-30', daysUntilRenewal: -3 }))
      .toBe('renews 30 Mar 2027, 3 days overdue');
  });
  it('says so when there is no renewal date', () => {
    expect(renewalDateText({ renewalDate: null })).toBe('no renewal date');
  });
});
