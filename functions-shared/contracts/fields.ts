// The contract fields extraction proposes, the request body of `extract-contract`, and the
// shapes the function, the web app and the tests share. The field list mirrors
// app.contract_field_keys() in supabase/migrations/20261205060200_contract_extractions.sql
// (the database is the source; tests/integration/contract-extraction.test.ts compares them).
import { z } from 'zod';

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

/** What a model proposes for one field: the value and the words of the document it came from. */
export interface ProposedField {
  key: ContractFieldKey;
  value: ContractFieldValue;
  quote: string;
  page: number;
  confidence: number;
}

export const ExtractContractRequestBody = z.object({
  customer_id: z.guid({ message: 'customer_id must be a UUID' }),
  object_path: z
    .string({ message: 'object_path must be text' })
    .min(1, { message: 'object_path must not be empty' })
    .max(1024, { message: 'object_path is longer than 1024 characters' }),
});
export type ExtractContractRequestBody = z.infer<typeof ExtractContractRequestBody>;

/** A field as stored and listed (list_contract_extractions, confirm_contract_fields). */
export const ExtractedField = z.object({
  key: z.enum(CONTRACT_FIELD_KEYS),
  value: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  quote: z.string().nullable(),
  page: z.number().int().nullable(),
  confidence: z.number().min(0).max(1),
  quote_discarded: z.boolean(),
  status: z.enum(['proposed', 'confirmed', 'corrected', 'rejected']),
  confirmed_value: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
});
export type ExtractedField = z.infer<typeof ExtractedField>;

export const ContractExtraction = z.object({
  id: z.string(),
  customer_id: z.string(),
  object_path: z.string(),
  document_name: z.string(),
  model: z.string(),
  page_count: z.number().int(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  status: z.enum(['proposed', 'reviewed']),
  fields: z.array(ExtractedField),
  pages: z.array(z.string()).optional(),
});
export type ContractExtraction = z.infer<typeof ContractExtraction>;

/** The answer of `extract-contract`. */
export const ExtractContractResponse = ContractExtraction.extend({ extraction_id: z.string() });
export type ExtractContractResponse = z.infer<typeof ExtractContractResponse>;

/** The storage path of a customer's contract document: `<org>/<customer>/<file>`. */
export function contractObjectPath(orgId: string, customerId: string, fileName: string): string {
  const safe = fileName.normalize('NFKD').replace(/[^\w.\- ()]+/g, '_').replace(/\s+/g, ' ').trim().slice(0, 120) || 'document';
  return `${orgId}/${customerId}/${safe}`;
}
