import { describe, expect, it } from 'vitest';
import { formatMoneyChange } from './format.ts';

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
