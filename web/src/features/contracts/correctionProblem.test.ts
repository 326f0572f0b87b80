// The correction rule agrees with app.contract_field_value (the server's), value by value.
import { describe, expect, it } from 'vitest';
import { correctionProblem } from './correctionProblem.ts';

describe('a typed correction of a contract term', () => {
  it('takes what the database takes', () => {
    expect(correctionProblem('notice_period_days', '0')).toBeNull();
    expect(correctionProblem('notice_period_days', '3650')).toBeNull();
    expect(correctionProblem('term_months', '1')).toBeNull();
    expect(correctionProblem('term_months', '600')).toBeNull();
    expect(correctionProblem('annual_value', '48000.50')).toBeNull();
    expect(correctionProblem('price_increase_cap_pct', '100')).toBeNull();
    expect(correctionProblem('currency', 'eur')).toBeNull();
    expect(correctionProblem('payment_terms', 'Net 30')).toBeNull();
    expect(correctionProblem('start_date', '2027-01-15')).toBeNull();
  });

  it('refuses what it refuses, in words', () => {
    expect(correctionProblem('notice_period_days', '3651')).toBe('Enter a whole number of days from 0 to 3650.');
    expect(correctionProblem('notice_period_days', '-1')).toBe('Enter a whole number of days from 0 to 3650.');
    expect(correctionProblem('term_months', '0')).toBe('Enter a whole number of months from 1 to 600.');
    expect(correctionProblem('annual_value', '48000.505')).toMatch(/^Enter an amount of 0 or more with at most two decimals/);
    expect(correctionProblem('annual_value', '-5')).toMatch(/^Enter an amount/);
    expect(correctionProblem('price_increase_cap_pct', '100.5')).toMatch(/^Enter a percentage from 0 to 100/);
    expect(correctionProblem('currency', 'EURO')).toBe('Enter a three-letter currency code, such as USD, EUR or GBP.');
    expect(correctionProblem('payment_terms', '\u200b ')).toMatch(/^Enter the payment terms/);
    expect(correctionProblem('payment_terms', 'x'.repeat(201))).toMatch(/^Enter the payment terms/);
    expect(correctionProblem('start_date', '')).toBe('Choose a value.');
  });
});
