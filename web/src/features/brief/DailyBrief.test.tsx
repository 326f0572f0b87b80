// @vitest-environment happy-dom
// A fact opens right under the sentence whose number was pressed, not under the whole brief:
// on a phone a brief of a dozen sentences is taller than the screen, and a fact shown at its
// foot would open out of sight with nothing to tell it did.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { DailyBrief } from './DailyBrief.tsx';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';

afterEach(cleanup);

const today = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
const fact = (id: string, customer: string) => ({ id, kind: 'stage_change' as const, customer, customer_id: crypto.randomUUID(), from: 'Monitor', to: 'Engage' });
const BRIEF = {
  id: 'brief-1', text: null, items: [], model: null, since: '2026-12-05T07:00:00Z', brief_date: today, written_at: null, generated_at: '2026-12-06T07:00:00Z',
  facts: [fact('f1', 'VanArsdel'), fact('f2', 'Contoso'), fact('f3', 'Relecloud')],
  sentences: [
    { text: 'VanArsdel moved from Monitor to Engage.', facts: ['f1'] },
    { text: 'Contoso moved from Monitor to Engage.', facts: ['f2'] },
    { text: 'Relecloud moved from Monitor to Engage.', facts: ['f3'] },
  ],
};

describe('the daily brief', () => {
  it('opens a fact under its own sentence, tied to the number that opened it', async () => {
    const { wrap } = cannedWorkspace('csm', { get_daily_brief: () => BRIEF });
    render(<DailyBrief />, { wrapper: wrap });
    const first = await screen.findByRole('button', { name: 'Fact 1: Stage change, VanArsdel' });
    fireEvent.click(first);
    const region = screen.getByRole('region', { name: 'The fact behind this sentence' });
    expect(region.textContent).toContain('VanArsdel');
    expect(first.closest('li')!.contains(region)).toBe(true);
    expect(first.getAttribute('aria-controls')).toBe(region.id);
    // The third sentence's fact replaces it, under the third sentence.
    const third = screen.getByRole('button', { name: 'Fact 3: Stage change, Relecloud' });
    fireEvent.click(third);
    expect(screen.getAllByRole('region', { name: 'The fact behind this sentence' })).toHaveLength(1);
    expect(third.closest('li')!.contains(screen.getByRole('region', { name: 'The fact behind this sentence' }))).toBe(true);
    expect(first.getAttribute('aria-expanded')).toBe('false');
  });
});
