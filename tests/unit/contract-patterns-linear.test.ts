// The built-in contract model reads a page in time proportional to its length, whatever it
// holds. Before, some of its patterns were tried again from every position of a sentence
// (the word before a number, `terminat…[^.]*for convenience`, a cap phrase up to its
// percentage, a clause number behind every full stop, a paragraph asked whether it was a
// heading at each of its lines): a 100 kB sentence took 11 s, and a text contract of a few
// hundred kB kept extract-contract busy past the gateway's 150 s, answered as a 500.
import { describe, expect, it } from 'vitest';
import { extractWithPatterns, sentencesOf } from '../../functions-shared/contracts/patterns.ts';

const within = (ms: number, page: string) => {
  const started = Date.now();
  const fields = extractWithPatterns([page]);
  return { fields, ms: Date.now() - started, limit: ms };
};

describe('the built-in contract model on hostile text', () => {
  it.each([
    ['a phrase repeated without a full stop', 'terminate '.repeat(20_000)],
    ['a cap phrase repeated before no percentage', 'increase up to '.repeat(20_000)],
    ['a clause number that never ends', `${'1.'.repeat(100_000)} Fees`],
    ['a paragraph of many short lines', 'B b\n'.repeat(60_000)],
    ['a notice sentence ending in one long word', `notice renew ${'a'.repeat(60_000)}`],
    ['a term sentence ending in one long word', `term ${'a'.repeat(60_000)}`],
  ])('%s is read in well under a second', (_, page) => {
    const { ms } = within(1_000, page);
    expect(ms).toBeLessThan(1_000);
  });
});

describe('what the rewritten readers read is what they read before', () => {
  const field = (sentence: string, key: string) => extractWithPatterns([sentence]).find((f) => f.key === key)?.value;

  it('termination for convenience, in the same clause only', () => {
    expect(field('Either party may terminate this Agreement for convenience on 30 days notice.', 'termination_for_convenience')).toBe(true);
    expect(field('Neither party may terminate this Agreement for convenience.', 'termination_for_convenience')).toBe(false);
    expect(field('The customer may terminate. For convenience, fees are billed annually.', 'termination_for_convenience')).toBeUndefined();
  });

  it('a price increase cap: the first percentage a cap phrase leads to, within its clause', () => {
    expect(field('Any price increase shall not exceed 5% per year.', 'price_increase_cap_pct')).toBe(5);
    expect(field('Fees may increase by 7% in year one and thereafter by up to 3.5 % a year.', 'price_increase_cap_pct')).toBe(3.5);
    expect(field('The increase is limited to the CPI. Fees rise 4% a year.', 'price_increase_cap_pct')).toBeUndefined();
  });

  it('notice and term: the number, written alone or after its word', () => {
    expect(field('This Agreement renews automatically unless either party gives notice at least sixty (60) days before the renewal date.', 'notice_period_days')).toBe(60);
    expect(field('The initial term is thirty-six (36) months.', 'term_months')).toBe(36);
    expect(field('The initial term is 2 years.', 'term_months')).toBe(24);
  });

  it('sentences are cut after a full stop, never inside the clause number that opens a paragraph', () => {
    expect(sentencesOf('3. Fees are due monthly. Late fees apply; Interest accrues.', 1).map((s) => s.text))
      .toEqual(['3. Fees are due monthly.', 'Late fees apply;', 'Interest accrues.']);
    expect(sentencesOf('1.2.3. Scope of the services. Exclusions follow.', 1).map((s) => s.text))
      .toEqual(['1.2.3. Scope of the services.', 'Exclusions follow.']);
    expect(sentencesOf('TERMS\nThe term is\none year.\nRENEWAL\nIt renews.', 1).map((s) => s.text))
      .toEqual(['TERMS', 'The term is one year.', 'RENEWAL', 'It renews.']);
  });
});
