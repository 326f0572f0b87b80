import { describe, expect, it } from 'vitest';
import { formatMoneyChange, formatRange, formatWhole } from './format.ts';

describe('formatWhole and formatRange: numbers and ranges in words', () => {
  it('rounds, with a real minus sign and never "−0"', () => {
    expect(formatWhole(-4.2)).toBe('−4');
    expect(formatWhole(316.8)).toBe('317');
    expect(formatWhole(-0.2)).toBe('0');
  });

  it('says a range with "to" between its ends, each as the given format writes it', () => {
    expect(formatRange(-4.2, 316.8)).toBe('−4 to 317');
    expect(formatRange(1, 30)).toBe('1 to 30');
    expect(formatRange('Dec 2026', 'Feb 2027', String)).toBe('Dec 2026 to Feb 2027');
  });

  it('says a range whose ends read the same as that one value: "171", never "171 to 171"', () => {
    expect(formatRange(171, 171)).toBe('171');
    expect(formatRange(170.8, 171.2)).toBe('171');
    expect(formatRange('Dec 2026', 'Dec 2026', String)).toBe('Dec 2026');
  });
});

describe('formatMoneyChange: a gain or loss with its sign', () => {
  it('signs what moved', () => {
    expect(formatMoneyChange(12000, 'up', true)).toMatch(/^\+\$12(\.0)?K$/);
    expect(formatMoneyChange(3000, 'down')).toBe('−$3,000');
  });
  it('writes nothing moved as $0, without a sign (no "−$0", no "+$0")', () => {
    expect(formatMoneyChange(0, 'down', true)).toBe('$0');
    expect(formatMoneyChange(-0, 'down')).toBe('$0');
    expect(formatMoneyChange(0, 'up')).toBe('$0');
    expect(formatMoneyChange(0.3, 'down')).toBe('$0');
  });
  it('says "—" when there is no figure', () => {
    expect(formatMoneyChange(null, 'down')).toBe('—');
  });
});

describe('possessive: a name that owns something', () => {
  it('takes ’s, or the apostrophe alone after an s, always the typographic one', async () => {
    const { possessive } = await import('./format.ts');
    expect(possessive('Contoso Retail')).toBe('Contoso Retail’s');
    expect(possessive('Wingtip Toys')).toBe('Wingtip Toys’');
    expect(possessive('Casey Junior')).toBe('Casey Junior’s');
  });
});
