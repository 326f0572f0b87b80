// @vitest-environment happy-dom
// A calendar day from the server ("2027-01-29": a renewal, a notice deadline, a due day) is the
// same day wherever the browser is. Parsed as a moment (midnight UTC) and written in the
// browser's zone, it read "28 Jan 2027" in the Americas, a day early, on every renewal date and
// notice deadline of the queue, the customers list, the Team page and the forecast.
import { afterAll, describe, expect, it } from 'vitest';

const zoneBefore = process.env.TZ;
// West of Greenwich, where midnight UTC is still the day before; set before the module makes its formats.
process.env.TZ = 'America/Los_Angeles';
const { formatDate } = await import('./format.ts');
const { RenewalDate } = await import('../components/RenewalDate.tsx');
const { render } = await import('@testing-library/react');
const { createElement } = await import('react');
afterAll(() => { process.env.TZ = zoneBefore; });

describe('a calendar day, in a browser west of Greenwich', () => {
  it('is said as the day it is: formatDate("2027-01-29") is "29 Jan 2027"', () => {
    expect(new Date('2027-01-29T00:00:00Z').getDate(), 'the zone is in force').toBe(28);
    expect(formatDate('2027-01-29')).toBe('29 Jan 2027');
  });

  it('still writes a moment in the browser\'s own zone', () => {
    expect(formatDate('2026-12-07T03:00:00Z')).toBe('6 Dec 2026');
  });

  it('keeps a renewal\'s dates whole: "renews 30 Mar 2027 unless notice by 29 Jan 2027"', () => {
    const { container } = render(createElement(RenewalDate, { renewalDate: '2027-03-30', decisionDate: '2027-01-29', daysUntilRenewal: null, daysUntilDecision: null }));
    expect(container.textContent).toBe('renews 30 Mar 2027 unless notice by 29 Jan 2027');
  });
});
