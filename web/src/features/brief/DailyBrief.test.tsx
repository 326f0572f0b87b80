// @vitest-environment happy-dom
// A fact opens right under the sentence whose number was pressed, not under the whole brief:
// on a phone a brief of a dozen sentences is taller than the screen, and a fact shown at its
// foot would open out of sight with nothing to tell it did.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { DailyBrief } from './DailyBrief.tsx';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';

afterEach(cleanup);

const today = new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
const fact = (id: string, customer: string) => ({ id, kind: 'stage_change' as const, customer, customer_id: crypto.randomUUID(), from: 'Monitor', to: 'Engage' });
const BRIEF = {
  id: 'brief-1', first: false, text: null, items: [], model: null, since: '2026-12-05T07:00:00Z', brief_date: today, written_at: null, generated_at: '2026-12-06T07:00:00Z',
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

  it('says a person\'s first brief is their first, and counts no facts it does not have', async () => {
    const first = { ...BRIEF, first: true, facts: [], sentences: [
      { text: 'This is your first brief, and nothing needs you first thing: your queue is clear.', facts: [] },
    ] };
    const { wrap } = cannedWorkspace('csm', { get_daily_brief: () => first });
    render(<DailyBrief />, { wrapper: wrap });
    expect(await screen.findByText('Your first brief · Written by the built-in offline model')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/0 facts|last brief/);
  });

  it('counts one fact as one fact', async () => {
    const { wrap } = cannedWorkspace('csm', { get_daily_brief: () => ({ ...BRIEF, facts: BRIEF.facts.slice(0, 1), sentences: BRIEF.sentences.slice(0, 1) }) });
    render(<DailyBrief />, { wrapper: wrap });
    expect(await screen.findByText('Written by the built-in offline model from 1 fact')).toBeTruthy();
  });

  it('folds for the day: hidden after Hide, still folded when shown again, and the next brief opens unfolded', async () => {
    localStorage.clear();
    const { wrap } = cannedWorkspace('csm', { get_daily_brief: () => BRIEF });
    const first = render(<DailyBrief />, { wrapper: wrap });
    const hide = await screen.findByRole('button', { name: 'Hide the brief' });
    expect(hide.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(hide);
    const show = screen.getByRole('button', { name: 'Show the brief (3 sentences)' });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    expect(document.getElementById(show.getAttribute('aria-controls')!)!.hidden).toBe(true);
    expect(screen.queryByRole('button', { name: 'Fact 1: Stage change, VanArsdel' })).toBeNull();

    // The page loaded again the same day: still folded.
    first.unmount();
    render(<DailyBrief />, { wrapper: wrap });
    expect((await screen.findByRole('button', { name: 'Show the brief (3 sentences)' })).getAttribute('aria-expanded')).toBe('false');
    cleanup();

    // The next day's brief opens unfolded.
    const tomorrow = cannedWorkspace('csm', { get_daily_brief: () => ({ ...BRIEF, id: 'brief-2', brief_date: '2999-01-01' }) });
    render(<DailyBrief />, { wrapper: tomorrow.wrap });
    expect((await screen.findByRole('button', { name: 'Hide the brief' })).getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('button', { name: 'Fact 1: Stage change, VanArsdel' })).toBeTruthy();
  });

  // On a phone the brief of a dozen sentences stood between the CSM and their queue every
  // morning: it starts folded there, and a person who opens it there has it open on the phone
  // from then on (the next day's brief too) until they fold it again.
  it('starts folded on a narrow screen, and keeps the person\'s choice there, the next days too', async () => {
    localStorage.clear();
    const narrow = vi.spyOn(window, 'matchMedia').mockImplementation((query: string) => ({
      matches: query.includes('max-width'), media: query, onchange: null,
      addEventListener: () => {}, removeEventListener: () => {}, addListener: () => {}, removeListener: () => {}, dispatchEvent: () => false,
    }) as MediaQueryList);
    try {
      const { wrap } = cannedWorkspace('csm', { get_daily_brief: () => BRIEF });
      const first = render(<DailyBrief />, { wrapper: wrap });
      const show = await screen.findByRole('button', { name: 'Show the brief (3 sentences)' });
      expect(show.getAttribute('aria-expanded')).toBe('false');
      expect(document.getElementById(show.getAttribute('aria-controls')!)!.hidden).toBe(true);
      fireEvent.click(show);
      expect(screen.getByRole('button', { name: 'Hide the brief' }).getAttribute('aria-expanded')).toBe('true');
      first.unmount();

      // The next day's brief, on the phone again: open, as the person chose.
      const tomorrow = cannedWorkspace('csm', { get_daily_brief: () => ({ ...BRIEF, id: 'brief-2', brief_date: '2999-01-01' }) });
      const second = render(<DailyBrief />, { wrapper: tomorrow.wrap });
      fireEvent.click(await screen.findByRole('button', { name: 'Hide the brief' }));
      second.unmount();
      render(<DailyBrief />, { wrapper: tomorrow.wrap });
      expect((await screen.findByRole('button', { name: 'Show the brief (3 sentences)' })).getAttribute('aria-expanded')).toBe('false');
    } finally {
      narrow.mockRestore();
    }
  });

  // A tablet held upright (768 px) opened the brief every morning, the first queue row 1 240 px
  // down: it starts folded up to 1 000 px, a laptop's window opens it.
  it('starts folded on a tablet\'s width (768 px) and open on a laptop\'s (1 280 px)', async () => {
    const atWidth = (width: number) => vi.spyOn(window, 'matchMedia').mockImplementation((query: string) => ({
      matches: width <= Number(/max-width: (\d+)px/.exec(query)?.[1] ?? -1), media: query, onchange: null,
      addEventListener: () => {}, removeEventListener: () => {}, addListener: () => {}, removeListener: () => {}, dispatchEvent: () => false,
    }) as MediaQueryList);
    for (const [width, name] of [[768, 'Show the brief (3 sentences)'], [1280, 'Hide the brief']] as const) {
      localStorage.clear();
      const screenWidth = atWidth(width);
      try {
        const { wrap } = cannedWorkspace('csm', { get_daily_brief: () => BRIEF });
        const shown = render(<DailyBrief />, { wrapper: wrap });
        expect((await screen.findByRole('button', { name: /the brief/ })).textContent, `at ${width} px`).toBe(name);
        shown.unmount();
      } finally {
        screenWidth.mockRestore();
      }
    }
  });
});
