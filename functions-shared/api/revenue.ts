import { z } from 'zod';
import { JsonObject, JsonValue } from './json.ts';

export const confirm_contract_fields = {
  args: z.object({
    extraction_id: z.string(),
    fields: JsonValue,
  }),
  result: z.object({
    id: z.string(),
    model: z.string(),
    fields: z.array(z.object({
      key: z.string(),
      page: z.number().nullable(),
      quote: z.string().nullable(),
      value: JsonValue.nullable(),
      status: z.string(),
      confidence: z.number(),
      decided_at: z.string().nullable(),
      decided_by: z.string().nullable(),
      confirmed_value: z.number().nullable(),
      quote_discarded: z.boolean(),
    })),
    status: z.string(),
    applied: z.object({
      notice_period_days: z.number(),
    }),
    customer: z.object({
      id: z.string(),
      renewal_date: z.string().nullable(),
      decision_date: z.string().nullable(),
      renewal_stage: JsonValue,
    }),
    created_at: z.string(),
    created_by: z.string(),
    page_count: z.number(),
    contract_id: z.string(),
    customer_id: z.string(),
    object_path: z.string(),
    document_name: z.string(),
  }),
};

export const get_contract_extraction = {
  args: z.object({
    extraction_id: z.string(),
  }),
  result: z.object({
    id: z.string(),
    model: z.string(),
    pages: z.array(z.string()),
    fields: z.array(z.object({
      key: z.string(),
      page: z.number().nullable(),
      quote: z.string().nullable(),
      value: JsonValue.nullable(),
      status: z.string(),
      confidence: z.number(),
      decided_at: z.string().nullable(),
      decided_by: z.string().nullable(),
      confirmed_value: JsonValue,
      quote_discarded: z.boolean(),
    })),
    status: z.string(),
    created_at: z.string(),
    created_by: z.string(),
    page_count: z.number(),
    customer_id: z.string(),
    object_path: z.string(),
    document_name: z.string(),
  }),
};

export const get_renewal_forecast = {
  args: z.object({
    assignee_id: z.string().optional(),
    category: z.string().optional(),
    max_items: z.number().optional(),
    month: z.string().optional(),
    period_end: z.string(),
    period_start: z.string(),
  }),
  result: z.object({
    items: z.array(z.object({
      note: z.string().nullable(),
      state: z.string(),
      set_at: z.string().nullable(),
      set_by: z.string().nullable(),
      outcome: JsonValue,
      category: z.string(),
      customer: z.object({
        id: z.string(),
        name: z.string(),
        risk_score: z.number().nullable(),
        account_plan: z.string(),
        health_score: z.number().nullable(),
      }),
      assignee_id: z.string().nullable(),
      current_arr: z.number(),
      execution_id: z.string(),
      forecast_arr: z.number(),
      renewal_date: z.string(),
      decision_date: z.string(),
      category_source: z.string(),
    })),
    totals: z.object({
      open: z.object({
        count: z.number(),
        current_arr: z.number(),
        forecast_arr: z.number(),
      }),
      count: z.number(),
      closed: z.object({
        count: z.number(),
        current_arr: z.number(),
        forecast_arr: z.number(),
      }),
      current_arr: z.number(),
      forecast_arr: z.number(),
    }),
    by_month: z.array(z.record(z.string(), z.union([z.number(), z.object({
      commit: z.object({
        count: z.number(),
        current_arr: z.number(),
        forecast_arr: z.number(),
      }),
      at_risk: z.object({
        count: z.number(),
        current_arr: z.number(),
        forecast_arr: z.number(),
      }),
      churned: z.object({
        count: z.number(),
        current_arr: z.number(),
        forecast_arr: z.number(),
      }),
      renewed: z.object({
        count: z.number(),
        current_arr: z.number(),
        forecast_arr: z.number(),
      }),
      probable: z.object({
        count: z.number(),
        current_arr: z.number(),
        forecast_arr: z.number(),
      }),
      downgraded: z.object({
        count: z.number(),
        current_arr: z.number(),
        forecast_arr: z.number(),
      }),
      churn_expected: z.object({
        count: z.number(),
        current_arr: z.number(),
        forecast_arr: z.number(),
      }),
    }), z.string()]))),
    period_end: z.string(),
    assignee_id: z.string().nullable(),
    by_category: z.array(z.record(z.string(), z.union([z.number(), z.string()]))),
    items_total: z.number(),
    period_start: z.string(),
  }),
};

export const get_retention_metrics = {
  args: z.object({
    granularity: z.string().optional(),
    period_end: z.string(),
    period_start: z.string(),
  }),
  result: z.object({
    grr: z.number(),
    nrr: z.number(),
    churn: z.number(),
    series: z.array(z.object({
      grr: z.number(),
      nrr: z.number(),
      churn: z.number(),
      customers: z.number(),
      expansion: z.number(),
      ending_arr: z.number(),
      period_end: z.string(),
      contraction: z.number(),
      period_start: z.string(),
      starting_arr: z.number(),
      trailing_12_months: z.object({
        grr: z.number().nullable(),
        nrr: z.number().nullable(),
        churn: z.number(),
        customers: z.number(),
        expansion: z.number(),
        ending_arr: z.number(),
        period_end: z.string(),
        contraction: z.number(),
        period_start: z.string(),
        starting_arr: z.number(),
      }),
    })),
    customers: z.number(),
    expansion: z.number(),
    ending_arr: z.number(),
    period_end: z.string(),
    contraction: z.number(),
    granularity: z.string(),
    period_start: z.string(),
    starting_arr: z.number(),
  }),
};

export const list_contract_extractions = {
  args: z.object({
    customer_id: z.string(),
  }),
  result: z.array(z.object({
    id: z.string(),
    model: z.string(),
    fields: z.array(z.object({
      key: z.string(),
      page: z.number().nullable(),
      quote: z.string().nullable(),
      value: JsonValue.nullable(),
      status: z.string(),
      confidence: z.number(),
      decided_at: z.string().nullable(),
      decided_by: z.string().nullable(),
      confirmed_value: JsonValue,
      quote_discarded: z.boolean(),
    })),
    status: z.string(),
    created_at: z.string(),
    created_by: z.string(),
    page_count: z.number(),
    customer_id: z.string(),
    object_path: z.string(),
    document_name: z.string(),
  })),
};

export const record_contract_extraction = {
  args: z.object({
    customer_id: z.string(),
    fields: JsonValue,
    model: z.string(),
    object_path: z.string(),
    pages: z.array(z.string()),
    requested_by: z.string(),
  }),
  result: z.object({
    id: z.string(),
    model: z.string(),
    fields: z.array(z.object({
      key: z.string(),
      page: z.number().nullable(),
      quote: z.string().nullable(),
      value: JsonValue.nullable(),
      status: z.string(),
      confidence: z.number(),
      decided_at: z.string().nullable(),
      decided_by: z.string().nullable(),
      confirmed_value: JsonValue,
      quote_discarded: z.boolean(),
    })),
    status: z.string(),
    created_at: z.string(),
    created_by: z.string(),
    page_count: z.number(),
    customer_id: z.string(),
    object_path: z.string(),
    document_name: z.string(),
    extraction_id: z.string(),
  }),
};

export const record_renewal_outcome = {
  args: z.object({
    execution_id: z.string(),
    new_arr: z.number().optional(),
    outcome: z.string(),
  }),
  result: z.object({
    new_arr: z.number(),
    outcome: JsonValue,
    outcome_id: z.string(),
    customer_id: z.string(),
    recorded_at: z.string(),
    execution_id: z.string(),
    forecast_arr: z.number(),
    previous_arr: z.number(),
    renewal_date: z.string(),
    forecast_category: z.string(),
    next_renewal_date: z.string(),
    closed_execution_ids: z.array(z.string()),
  }),
};

export const set_renewal_forecast = {
  args: z.object({
    category: z.string(),
    execution_id: z.string(),
    forecast_arr: z.number().optional(),
    note: z.string().optional(),
  }),
  result: z.object({
    note: z.string(),
    set_at: z.string().nullable(),
    set_by: z.string().nullable(),
    category: z.string(),
    current_arr: z.number(),
    customer_id: z.string(),
    execution_id: z.string(),
    forecast_arr: z.number(),
    renewal_date: z.string(),
    category_source: z.string(),
    forecast_arr_set: z.boolean(),
  }),
};
