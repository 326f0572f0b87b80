// The contract fields extraction proposes (their keys, labels and value types) and where a
// document is stored. The request, the answer and the stored extraction are schemas of the
// API module (functions-shared/api/revenue.ts and functions.ts). The field list mirrors
// app.contract_field_keys() in supabase/migrations/20261204000300_customers_and_contracts.sql
// (the database is the source; tests/integration/contract-extraction.test.ts compares them).

export const CONTRACT_FIELD_KEYS = [
  'start_date',
  'end_date',
  'auto_renew',
  'notice_period_days',
  'term_months',
  'annual_value',
  'currency',
  'price_increase_cap_pct',
  'termination_for_convenience',
  'payment_terms',
] as const;
export type ContractFieldKey = (typeof CONTRACT_FIELD_KEYS)[number];
export type ContractFieldValue = string | number | boolean | null;

/** The fields whose value is a JSON number (app.contract_field_json_type): "60" is text, not 60 days. */
export const CONTRACT_NUMBER_FIELDS: readonly ContractFieldKey[] = ['notice_period_days', 'term_months', 'annual_value', 'price_increase_cap_pct'];

export const CONTRACT_FIELD_LABELS: Record<ContractFieldKey, string> = {
  start_date: 'Start date',
  end_date: 'End / renewal date',
  auto_renew: 'Renews automatically',
  notice_period_days: 'Notice period (days)',
  term_months: 'Term (months)',
  annual_value: 'Annual value',
  currency: 'Currency',
  price_increase_cap_pct: 'Price increase cap (%)',
  termination_for_convenience: 'Termination for convenience',
  payment_terms: 'Payment terms',
};

export type { ProposedField } from '../api/revenue.ts';

/** The storage path of a customer's contract document: `<org>/<customer>/<file>`. */
export function contractObjectPath(orgId: string, customerId: string, fileName: string): string {
  const safe = fileName.normalize('NFKD').replace(/[^\w.\- ()]+/g, '_').replace(/\s+/g, ' ').trim().slice(0, 120) || 'document';
  return `${orgId}/${customerId}/${safe}`;
}

// The characters Storage allows in an object's name (`isValidKey`, supabase/storage
// src/storage/limits.ts; local/gateway/storage.mjs answers by the same rule).
const STORAGE_NAME_CHARACTERS = /^(\w|!|-|\.|\*|'|\(|\)| |&|\$|@|=|;|:|\+|,|\?)+$/;

/**
 * Whether `segment` can be one folder or file name of a stored object's path: a name Storage
 * holds, and not `.` or `..`, which an address reads as a step up (`<org>/<customer>/..` would
 * be fetched as `<org>/`).
 */
export function isStorageNameSegment(segment: string): boolean {
  return segment !== '.' && segment !== '..' && STORAGE_NAME_CHARACTERS.test(segment);
}
