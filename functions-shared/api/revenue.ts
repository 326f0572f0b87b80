// Revenue: renewal forecasts and outcomes, retention, contract extraction.
import { z } from 'zod';
import { CONTRACT_FIELD_KEYS } from '../contracts/fields.ts';
import { JsonArg, JsonObject } from './json.ts';

const FieldValue = z.union([z.string(), z.number(), z.boolean()]).nullable();

export const FORECAST_CATEGORIES = ['commit', 'probable', 'at_risk', 'churn_expected'] as const;
export const OUTCOMES = ['renewed', 'downgraded', 'churned'] as const;
/** An open renewal's forecast category, or a closed one's outcome. */
const ForecastBucket = z.enum([...FORECAST_CATEGORIES, ...OUTCOMES]);

/** Renewals counted with their ARR now and as forecast. */
const Totals = z.object({ count: z.number(), current_arr: z.number(), forecast_arr: z.number().nullable() });

/** What a model proposes for one field: the value and the words of the document it came from. */
export const ProposedField = z.object({
  key: z.enum(CONTRACT_FIELD_KEYS),
  value: FieldValue,
  quote: z.string(),
  page: z.number(),
  confidence: z.number(),
});
export type ProposedField = z.infer<typeof ProposedField>;

/** A field proposed from a contract document, with its evidence, and what a person decided. */
export const ExtractedField = z.object({
  key: z.enum(CONTRACT_FIELD_KEYS),
  value: FieldValue,
  quote: z.string().nullable(),
  page: z.number().int().nullable(),
  confidence: z.number().min(0).max(1),
  /** True when the model's quote was not in the text (the value is kept, the quote dropped). */
  quote_discarded: z.boolean(),
  status: z.enum(['proposed', 'confirmed', 'corrected', 'rejected']),
  confirmed_value: FieldValue,
  decided_by: z.string().nullable(),
  decided_at: z.string().nullable(),
});
export type ExtractedField = z.infer<typeof ExtractedField>;

/** A contract extraction (app.contract_extractions) with its fields. */
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
  /** The document's text page by page (get_contract_extraction). */
  pages: z.array(z.string()).optional(),
});
export type ContractExtraction = z.infer<typeof ContractExtraction>;

/** A renewal's forecast as set_renewal_forecast and the forecast's items show it. */
const Forecast = z.object({
  execution_id: z.string(),
  customer_id: z.string(),
  category: ForecastBucket,
  category_source: z.enum(['person', 'derived', 'outcome']),
  current_arr: z.number(),
  forecast_arr: z.number().nullable(),
  renewal_date: z.string().nullable(),
  note: z.string().nullable(),
  set_at: z.string().nullable(),
  set_by: z.string().nullable(),
});

/** Retention over one period: ARR at its start and end, and what moved it. */
const RetentionPeriod = z.object({
  period_start: z.string(),
  period_end: z.string(),
  customers: z.number(),
  starting_arr: z.number(),
  expansion: z.number(),
  contraction: z.number(),
  churn: z.number(),
  ending_arr: z.number(),
  grr: z.number().nullable(),
  nrr: z.number().nullable(),
});

/** Whether the caller may extract this customer's contract: extract-contract asks before the model runs. */
export const check_contract_extraction = {
  args: z.object({ customer_id: z.string() }),
  result: z.object({ ok: z.literal(true) }),
};

export const confirm_contract_fields = {
  args: z.object({
    extraction_id: z.string(),
    fields: z.array(JsonArg),
  }),
  result: ContractExtraction.extend({
    contract_id: z.string(),
    /** The contract fields this confirmation changed. */
    applied: JsonObject,
    /** The customer's dates after the change (the notice period moves the decision date). */
    customer: z.object({
      id: z.string(),
      renewal_date: z.string().nullable(),
      decision_date: z.string().nullable(),
      renewal_stage: z.string().nullable(),
    }),
  }),
};

export const get_contract_extraction = {
  args: z.object({
    extraction_id: z.string(),
  }),
  result: ContractExtraction.extend({ pages: z.array(z.string()) }),
};

export const get_renewal_forecast = {
  args: z.object({
    /** The previous answer's next_after: the items continue after it (keyset pages). */
    after: JsonObject.nullish(),
    assignee_id: z.string().nullish(),
    category: z.string().nullish(),
    max_items: z.number().nullish(),
    month: z.string().nullish(),
    period_end: z.string(),
    period_start: z.string(),
  }),
  result: z.object({
    period_start: z.string(),
    period_end: z.string(),
    assignee_id: z.string().nullable(),
    totals: Totals.extend({ open: Totals, closed: Totals }),
    by_category: z.array(Totals.extend({ category: ForecastBucket, state: z.enum(['open', 'closed']) })),
    by_month: z.array(Totals.extend({ month: z.string(), by_category: z.partialRecord(ForecastBucket, Totals) })),
    items: z.array(Forecast.omit({ customer_id: true }).extend({
      /** The open renewal workflow; null for a renewal nobody works (none open) and for none to act on. */
      execution_id: z.string().nullable(),
      state: z.enum(['open', 'closed']),
      /** An open renewal whose workflow is escalated: no forecast or outcome until the
       * escalation is decided (the hold, docs/escalation-loop.md). */
      on_hold: z.boolean().optional(),
      decision_date: z.string().nullable(),
      /** Days from the organisation's today to the decision and to the renewal, negative
       * once past ("12 days overdue"); null for a closed renewal. */
      days_until_decision: z.number().nullable(),
      days_until_renewal: z.number().nullable(),
      assignee_id: z.string().nullable(),
      /** A closed renewal names its customer only. */
      customer: z.object({
        id: z.string(),
        name: z.string(),
        account_plan: z.string().optional(),
        health_score: z.number().nullable().optional(),
        risk_score: z.number().nullable().optional(),
      }),
      /** A closed renewal's recorded outcome. */
      outcome: z.object({
        outcome: z.enum(OUTCOMES),
        previous_arr: z.number(),
        new_arr: z.number(),
        recorded_by: z.string().nullable(),
        recorded_at: z.string(),
        forecast_category: z.enum(FORECAST_CATEGORIES).nullable(),
        forecast_arr: z.number().nullable(),
      }).nullable(),
    })),
    items_total: z.number(),
  }),
};

export const get_retention_metrics = {
  args: z.object({
    granularity: z.string().nullish(),
    period_end: z.string(),
    period_start: z.string(),
  }),
  result: RetentionPeriod.extend({
    granularity: z.string(),
    series: z.array(RetentionPeriod.extend({ trailing_12_months: RetentionPeriod })),
  }),
};

export const list_contract_extractions = {
  args: z.object({
    customer_id: z.string(),
  }),
  result: z.array(ContractExtraction),
};

export const record_contract_extraction = {
  args: z.object({
    customer_id: z.string(),
    fields: z.array(ProposedField),
    model: z.string(),
    object_path: z.string(),
    pages: z.array(z.string()),
    requested_by: z.string(),
  }),
  result: ContractExtraction.extend({ extraction_id: z.string() }),
};

// What a recorded outcome answers; execution_id is null for one recorded by its customer, with
// no renewal workflow open (record_customer_renewal_outcome).
const RenewalOutcomeRecorded = z.object({
  new_arr: z.number(),
  outcome: z.enum(OUTCOMES),
  outcome_id: z.string(),
  customer_id: z.string(),
  recorded_at: z.string(),
  execution_id: z.string().nullable(),
  forecast_arr: z.number().nullable(),
  previous_arr: z.number(),
  renewal_date: z.string().nullable(),
  forecast_category: z.string().nullable(),
  next_renewal_date: z.string().nullable(),
  closed_execution_ids: z.array(z.string()),
});

export const record_renewal_outcome = {
  args: z.object({
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    new_arr: z.number().nullish(),
    outcome: z.string(),
  }),
  result: RenewalOutcomeRecorded.extend({ execution_id: z.string() }),
};

export const record_customer_renewal_outcome = {
  args: z.object({
    customer_id: z.string(),
    idempotency_key: z.string().nullish(),
    new_arr: z.number().nullish(),
    outcome: z.string(),
  }),
  result: RenewalOutcomeRecorded,
};

export const set_renewal_forecast = {
  args: z.object({
    category: z.string(),
    execution_id: z.string(),
    forecast_arr: z.number().nullish(),
    note: z.string().nullish(),
  }),
  result: Forecast.extend({ forecast_arr_set: z.boolean() }),
};
