// The daily brief: facts stored by the database, prose written by a model, read back.
import { z } from 'zod';

/**
 * One fact of a brief. Every fact names its kind and customer; the other fields depend on
 * the kind (a top item's lane and stage, a stage change's from and to ...).
 */
export const BriefFact = z.object({
  id: z.string(),
  kind: z.enum(['top_item', 'stage_change', 'health_drop', 'usage_drop', 'new_ticket', 'notice_deadline', 'task_due', 'proposal_waiting']),
  customer: z.string(),
  customer_id: z.string(),
  execution_id: z.string().nullable().optional(),
  workflow: z.string().optional(),
  lane: z.string().optional(),
  stage: z.string().nullable().optional(),
  arr: z.number().nullable().optional(),
  priority_score: z.number().optional(),
  decision_date: z.string().nullable().optional(),
  days_until_decision: z.number().nullable().optional(),
  /** A stage change's stages (words, null for none); a health or usage drop's score or seat usage in % (numbers). */
  from: z.union([z.string(), z.number()]).nullable().optional(),
  to: z.union([z.string(), z.number()]).nullable().optional(),
  /** A health or usage drop: by how many points. */
  drop: z.number().optional(),
  at: z.string().optional(),
}).catchall(z.unknown());
export type BriefFact = z.infer<typeof BriefFact>;

/** A sentence of the prose and the facts it rests on. */
export const BriefSentence = z.object({ text: z.string(), facts: z.array(z.string()) });
export type BriefSentence = z.infer<typeof BriefSentence>;

export const get_daily_brief = {
  args: z.object({
    brief_date: z.string().nullish(),
  }),
  /** The newest brief (or that date's); null when there is none. */
  result: z.object({
    id: z.string(),
    text: z.string().nullable(),
    facts: z.array(BriefFact),
    /** Whether this is the person's first brief (they have none of an earlier day). */
    first: z.boolean(),
    /** The top items of the queue the brief starts with. */
    items: z.array(BriefFact),
    model: z.string().nullable(),
    since: z.string(),
    sentences: z.array(BriefSentence),
    brief_date: z.string(),
    written_at: z.string().nullable(),
    generated_at: z.string(),
  }).nullable(),
};

export const store_daily_briefs = {
  args: z.object({
    at: z.string().nullish(),
    profile_id: z.string().nullish(),
    max_briefs: z.number().int().nullish(),
  }),
  result: z.array(z.object({
    facts: z.array(BriefFact),
    brief_id: z.string(),
    /** Whether this is the person's first brief: its wording says so, and speaks of no last one. */
    first: z.boolean(),
    full_name: z.string(),
    brief_date: z.string(),
    profile_id: z.string(),
  })),
};

export const write_daily_briefs = {
  args: z.object({
    briefs: z.array(z.object({ brief_id: z.string(), model: z.string(), sentences: z.array(BriefSentence) })),
  }),
  result: z.number(),
};
