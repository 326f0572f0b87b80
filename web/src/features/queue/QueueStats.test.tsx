// @vitest-environment happy-dom
// The queue's numbers read as words: a range is "−4 to 317" (a real minus sign, "to" between
// the ends), never "-4–317", whose hyphen and dash run into each other.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { QueueStats } from './QueueStats.tsx';
import type { QueueStats as Stats } from '../../lib/types.ts';

afterEach(cleanup);

describe('the queue stats', () => {
  // The urgent tile counts workflows in the stages Overdue, Emergency and Critical, which go by
  // the renewal decision (the notice deadline), overdue included: it says so, not "renewing within 14 days".
  it('name the urgent tile by the renewal decision, overdue or within 13 days', () => {
    const stats = { total: 12, unique_customers: 9, by_stage: { Overdue: 1, Emergency: 2, Critical: 3, Signature: 4 }, avg_priority: null, priority_range: null } as unknown as Stats;
    render(<QueueStats stats={stats} />);
    const label = screen.getByText(/^Renewal decision overdue or within 13 days/);
    expect(label.previousElementSibling?.textContent).toBe('6');
    // What it counts is a press away (a toggletip), not a hover tooltip.
    expect(label.getAttribute('title')).toBeNull();
    fireEvent.click(within(label).getByRole('button', { name: 'About this number' }));
    expect(within(label).getByRole('status').textContent).toMatch(/Overdue, Emergency and Critical.*notice deadline/);
  });

  it('write the priority range as "−4 to 317" and a negative average with a minus sign', () => {
    const stats = { total: 12, unique_customers: 9, by_stage: {}, avg_priority: -2.4, priority_range: { min: -4.2, max: 316.8 } } as unknown as Stats;
    render(<QueueStats stats={stats} />);
    expect(screen.getByText(/^Average priority/).textContent).toBe('Average priority (−4 to 317)');
    expect(screen.getByText('−2')).toBeTruthy();
  });
});
