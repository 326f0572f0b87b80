// A model's number written as text ("60") is read as the number where its answer is parsed:
// the database takes a number field's value only as a JSON number (app.contract_field_value,
// migration 20261208700000), and a proposal of "60" days would otherwise be discarded.
import { describe, expect, it } from 'vitest';
import { modelValue } from '../../functions-shared/contracts/ollama.ts';

describe("a model's proposed value", () => {
  it('reads a plain number written as text as the number, for the number fields only', () => {
    expect(modelValue('notice_period_days', '60')).toBe(60);
    expect(modelValue('annual_value', ' 48000.50 ')).toBe(48000.5);
    expect(modelValue('payment_terms', '30')).toBe('30');
    expect(modelValue('start_date', '2027-01-01')).toBe('2027-01-01');
  });

  it('leaves what is no plain number for the database rule to judge', () => {
    expect(modelValue('notice_period_days', '60 days')).toBe('60 days');
    expect(modelValue('price_increase_cap_pct', 'lots')).toBe('lots');
    expect(modelValue('term_months', 12)).toBe(12);
    expect(modelValue('auto_renew', true)).toBe(true);
  });
});
