// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { PriorityScore } from './PriorityScore.tsx';

afterEach(cleanup);

describe('the priority score', () => {
  it('is a focusable control described by its factors, so keyboard and screen-reader users get the "why"', () => {
    render(<PriorityScore score={336.5} factors={{ base: 90, stage_bonus: 15, arr_mult: 2, renewal_stage: 'Emergency', workflow_type: 'renewal' }} />);
    const score = screen.getByRole('button', { name: 'Priority 337' });
    const tip = screen.getByRole('tooltip', { hidden: true });
    expect(score.getAttribute('aria-describedby')).toBe(tip.id);
    expect(tip.textContent).toContain('Base urgency (Emergency)');
    expect(tip.textContent).toContain('ARR: × 2;');
  });

  it('names the lane first in the "why"', () => {
    render(<PriorityScore score={96} factors={{ base: 100, stage_bonus: 20, lane: 'now', plan_mult: 0.8, renewal_stage: 'Overdue', workflow_type: 'renewal' }} />);
    const lines = [...screen.getByRole('tooltip', { hidden: true }).querySelectorAll('.tip-line')].map((line) => line.textContent);
    expect(lines[0]).toBe('Lane (ordered before the score): Now; ');
  });
});
