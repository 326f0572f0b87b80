import { describe, expect, it } from 'vitest';
import { excerptAround, findQuote } from './highlight.ts';

describe('findQuote', () => {
  it('finds a quote across a line break and with other spacing', () => {
    const page = 'Intro.\n2.2 Either party may give notice at least sixty (60)\ndays before the end.\nMore.';
    const range = findQuote(page, '2.2 Either party may give notice at least sixty (60) days before the end.');
    expect(range).not.toBeNull();
    expect(page.slice(...range!)).toBe('2.2 Either party may give notice at least sixty (60)\ndays before the end.');
  });

  it('is literal: regex characters in the quote are plain text, a missing quote is null', () => {
    expect(findQuote('Fee: USD 48,000 (net).', 'USD 48,000 (net).')).toEqual([5, 22]);
    expect(findQuote('Fee: USD 48,000.', 'USD 99,000.')).toBeNull();
    expect(findQuote('anything', null)).toBeNull();
  });

  it('cuts an excerpt around the quote', () => {
    const page = `${'word '.repeat(100)}THE QUOTE ${'tail '.repeat(100)}`;
    const range = findQuote(page, 'THE QUOTE')!;
    const excerpt = excerptAround(page, range, 20);
    expect(excerpt.quote).toBe('THE QUOTE');
    expect(excerpt.before.startsWith('… ')).toBe(true);
    expect(excerpt.after.endsWith(' …')).toBe(true);
  });
});
