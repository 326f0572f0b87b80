import { z } from 'zod';
import { JsonObject, JsonValue } from './json.ts';

export const get_daily_brief = {
  args: z.object({
    brief_date: z.string().optional(),
  }),
  result: z.object({
    id: z.string(),
    text: z.string(),
    facts: z.array(z.object({
      id: z.string(),
      arr: z.number().optional(),
      kind: z.string(),
      lane: z.string().optional(),
      stage: z.string().nullable().optional(),
      customer: z.string(),
      workflow: z.string().optional(),
      customer_id: z.string(),
      execution_id: z.string().optional(),
      decision_date: z.string().nullable().optional(),
      priority_score: z.number().optional(),
      days_until_decision: z.number().nullable().optional(),
      at: z.string().optional(),
      to: z.string().optional(),
      from: z.string().optional(),
    })),
    items: z.array(z.object({
      id: z.string(),
      arr: z.number(),
      kind: z.string(),
      lane: z.string(),
      stage: z.string().nullable(),
      customer: z.string(),
      workflow: z.string(),
      customer_id: z.string(),
      execution_id: z.string(),
      decision_date: z.string().nullable(),
      priority_score: z.number(),
      days_until_decision: z.number().nullable(),
    })),
    model: z.string(),
    since: z.string(),
    sentences: z.array(z.object({
      text: z.string(),
      facts: z.array(z.string()),
    })),
    brief_date: z.string(),
    written_at: z.string().nullable(),
    generated_at: z.string(),
  }),
};

export const store_daily_briefs = {
  args: z.object({
    at: z.string().optional(),
    profile_id: z.string().optional(),
  }),
  result: z.array(z.object({
    facts: z.array(z.object({
      id: z.string(),
      arr: z.number().optional(),
      kind: z.string(),
      lane: z.string().optional(),
      stage: z.string().nullable().optional(),
      customer: z.string(),
      workflow: z.string().optional(),
      customer_id: z.string(),
      execution_id: z.string().optional(),
      decision_date: z.string().nullable().optional(),
      priority_score: z.number().optional(),
      days_until_decision: z.number().nullable().optional(),
      at: z.string().optional(),
      to: z.string().optional(),
      from: z.string().optional(),
    })),
    brief_id: z.string(),
    full_name: z.string(),
    brief_date: z.string(),
    profile_id: z.string(),
  })),
};

export const write_daily_briefs = {
  args: z.object({
    briefs: JsonValue,
  }),
  result: z.number(),
};
