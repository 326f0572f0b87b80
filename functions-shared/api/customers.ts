// Customers: the list, a customer's page (overview, timeline, history search), its context.
import { z } from 'zod';
import { JsonArg, JsonObject } from './json.ts';
import { CustomerSummary, PersonRef, SendState } from './shapes.ts';
import { TaskRow } from './tasks.ts';
import { QueueLane } from './workflow.ts';

/** "Rising", "falling" or "stable" against the 90-day baseline; null without a baseline. */
const Trend = z.enum(['up', 'down', 'stable']).nullable();

/** A score's latest value against its baseline (customer intelligence). */
export const ScoreIntelligence = z.object({
  score: z.number().nullable(),
  baseline: z.number().nullable(),
  baseline_at: z.string().nullable(),
  change: z.number().nullable(),
  trend: Trend,
});
export type ScoreIntelligence = z.infer<typeof ScoreIntelligence>;

/** A person of the account team. */
const TeamPerson = z.object({
  id: z.string(),
  full_name: z.string(),
  email: z.string(),
  title: z.string().nullable(),
  role: z.string().nullable(),
});

/** A customer's contract as its page and the assistant see it. */
export const Contract = z.object({
  id: z.string(),
  contract_number: z.string().nullable(),
  status: z.string(),
  currency: z.string(),
  start_date: z.string(),
  end_date: z.string().nullable(),
  auto_renew: z.boolean(),
  annual_value: z.number().nullable(),
  notice_period_days: z.number().nullable(),
});
export type Contract = z.infer<typeof Contract>;

/** Everything known about a customer, for a person and for the assistant (get_customer_context). */
export const CustomerContext = z.object({
  customer: CustomerSummary.extend({
    industry: z.string().nullable(),
    external_id: z.string().nullable(),
    metadata: JsonObject,
    account_executive_id: z.string().nullable(),
    support_engineer_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  }),
  intelligence: z.object({
    trend_window_days: z.number(),
    health: ScoreIntelligence,
    risk: ScoreIntelligence,
    opportunity: ScoreIntelligence,
  }),
  data: z.object({
    financials: z.object({
      current_arr: z.number().nullable(),
      current_arr_recorded_at: z.string().nullable(),
      previous_arr: z.number().nullable(),
      arr_changed_at: z.string().nullable(),
      arr_change: z.number().nullable(),
      growth_rate: z.number().nullable(),
      baseline_arr: z.number().nullable(),
      baseline_at: z.string().nullable(),
      trend: Trend,
      /** Monthly points, oldest first. */
      history: z.array(z.object({ recorded_at: z.string(), arr: z.number().nullable() })),
      contract: Contract.extend({ terms: JsonObject }).nullable(),
    }),
    usage: z.object({
      active_users: z.number().nullable(),
      licensed_seats: z.number().nullable(),
      utilisation: z.number().nullable(),
      recorded_at: z.string().nullable(),
      metrics: JsonObject.nullable(),
      baseline_active_users: z.number().nullable(),
      baseline_at: z.string().nullable(),
      trend: Trend,
      history: z.array(z.object({
        recorded_at: z.string(),
        active_users: z.number().nullable(),
        licensed_seats: z.number().nullable(),
      })),
    }),
    engagement: z.object({
      last_contact_at: z.string().nullable(),
      last_contact_type: z.string().nullable(),
      days_since_last_contact: z.number().nullable(),
      last_qbr_at: z.string().nullable(),
      next_qbr_at: z.string().nullable(),
      nps_score: z.number().nullable(),
      nps_recorded_at: z.string().nullable(),
      open_tickets: z.number().nullable(),
    }),
  }),
  workflow: z.object({
    account_plan: z.string(),
    renewal_stage: z.string().nullable(),
    renewal_date: z.string().nullable(),
    decision_date: z.string().nullable(),
    days_until_renewal: z.number().nullable(),
    days_until_decision: z.number().nullable(),
    priority_score: z.number().nullable(),
    /** The execution asked about (execution_id), else null. */
    execution: z.object({
      id: z.string(),
      workflow_key: z.string(),
      workflow_name: z.string(),
      workflow_type: z.string(),
      status: z.string(),
      renewal_stage: z.string().nullable(),
      priority_score: z.number(),
      priority_factors: JsonObject,
      current_step_key: z.string().nullable(),
      assigned_to: z.string().nullable(),
      snoozed_until: z.string().nullable(),
      created_at: z.string(),
    }).nullable(),
    open_executions: z.array(z.object({
      id: z.string(),
      workflow_key: z.string(),
      workflow_type: z.string(),
      status: z.string(),
      priority_score: z.number(),
    })),
  }),
  account_team: z.object({
    csm: TeamPerson.nullable(),
    account_executive: TeamPerson.nullable(),
    support_engineer: TeamPerson.nullable(),
    stakeholders: z.array(z.object({
      id: z.string(),
      name: z.string(),
      title: z.string().nullable(),
      email: z.string().nullable(),
      role: z.string().nullable(),
      influence: z.string().nullable(),
      is_champion: z.boolean(),
      is_decision_maker: z.boolean(),
      last_contacted_at: z.string().nullable(),
    })),
  }),
  /** When each section's newest fact was recorded (null: nothing recorded yet). */
  freshness: z.object({
    as_of: z.string(),
    today: z.string(),
    customer: z.string(),
    intelligence: z.string().nullable(),
    financials: z.string().nullable(),
    usage: z.string().nullable(),
    engagement: z.string().nullable(),
    workflow: z.string().nullable(),
    account_team: z.string().nullable(),
  }),
});
export type CustomerContext = z.infer<typeof CustomerContext>;

export const get_customer_context = {
  /** Exactly one of the two. */
  args: z.object({
    customer_id: z.string().nullish(),
    execution_id: z.string().nullish(),
  }),
  result: CustomerContext,
};

/** list_customers `filters`: an empty list filters nothing. */
export const CustomerFilters = z.object({
  plans: z.array(z.string()).optional(),
  stages: z.array(z.string()).optional(),
  assignee_id: z.string().optional(),
  forecast: z.array(z.string()).optional(),
});
export type CustomerFilters = z.infer<typeof CustomerFilters>;

/** A workflow a person may open for the customer, and the open one if there is. */
export const StartableWorkflow = z.object({
  key: z.string(),
  name: z.string(),
  workflow_type: z.string(),
  total_steps: z.number(),
  open_execution_id: z.string().nullable(),
});
export type StartableWorkflow = z.infer<typeof StartableWorkflow>;

export const get_customer_overview = {
  args: z.object({
    customer_id: z.string(),
  }),
  result: z.object({
    tasks: z.array(TaskRow),
    customer: CustomerSummary,
    artifacts: z.array(z.object({
      id: z.string(),
      title: z.string(),
      created_at: z.string(),
      approved_at: z.string().nullable(),
      execution_id: z.string(),
      artifact_type: z.string(),
      workflow_name: z.string(),
      /** Where its email is (app.artifact_send_state): queued, sent, no_mail_server, failed, or never sent (null). */
      send_state: SendState.nullable(),
    })),
    contracts: z.array(Contract.extend({
      notice_deadline: z.string().nullable(),
      days_until_notice_deadline: z.number().nullable(),
    })),
    workflows: z.array(z.object({
      lane: QueueLane.nullable(),
      open: z.boolean(),
      status: z.string(),
      assignee: PersonRef.nullable(),
      created_at: z.string(),
      started_at: z.string().nullable(),
      total_steps: z.number(),
      completed_at: z.string().nullable(),
      execution_id: z.string(),
      workflow_key: z.string(),
      snoozed_until: z.string().nullable(),
      workflow_name: z.string(),
      workflow_type: z.string(),
      priority_score: z.number(),
      current_step_index: z.number().nullable(),
    })),
    health_history: z.array(z.object({
      recorded_at: z.string(),
      health_score: z.number().nullable(),
    })),
    startable_workflows: z.array(StartableWorkflow),
  }),
};

/** Every kind of timeline entry, in the order the answer lists them (app.timeline_kinds()). */
export const TimelineKind = z.enum([
  'engagement', 'workflow_started', 'workflow_completed', 'action', 'email', 'artifact_approved', 'stage_change', 'plan_change', 'forecast_change',
  'renewal_outcome',
]);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const get_customer_timeline = {
  args: z.object({
    cursor: z.string().nullish(),
    customer_id: z.string(),
    kinds: z.array(TimelineKind).nullish(),
    page_size: z.number().nullish(),
  }),
  result: z.object({
    items: z.array(z.object({
      id: z.string(),
      kind: TimelineKind,
      actor: PersonRef.nullable(),
      title: z.string(),
      details: JsonObject.nullable(),
      subtype: z.string().nullable(),
      summary: z.string().nullable(),
      occurred_at: z.string(),
      execution_id: z.string().nullable(),
    })),
    /** Every kind there is (TimelineKind), whatever was asked for. */
    kinds: z.array(TimelineKind),
    next_cursor: z.string().nullable(),
  }),
};

export const list_customers = {
  args: z.object({
    cursor: z.string().nullish(),
    filters: CustomerFilters.nullish(),
    page_size: z.number().nullish(),
    search: z.string().nullish(),
    sort: z.string().nullish(),
  }),
  result: z.object({
    sort: z.string(),
    items: z.array(CustomerSummary.extend({
      assignee: z.object({
        id: z.string(),
        email: z.string(),
        full_name: z.string(),
      }).nullable(),
      industry: z.string().nullable(),
      external_id: z.string().nullable(),
    })),
    next_cursor: z.string().nullable(),
  }),
};

export const list_startable_workflows = {
  args: z.object({
    customer_id: z.string(),
  }),
  result: z.array(StartableWorkflow),
};

/** What a person may log on a customer's timeline (log_engagement's check; other kinds are imported). */
export const LoggableEngagementKind = z.enum(['note', 'call', 'meeting', 'email']);
export type LoggableEngagementKind = z.infer<typeof LoggableEngagementKind>;

export const log_engagement = {
  args: z.object({
    customer_id: z.string(),
    details: JsonArg.nullish(),
    /** The same key with the same request answers the entry it made (docs/api-contract.md). */
    idempotency_key: z.string().nullish(),
    kind: LoggableEngagementKind,
    occurred_at: z.string(),
    summary: z.string(),
  }),
  result: z.object({
    id: z.string(),
    kind: LoggableEngagementKind,
    details: JsonObject,
    summary: z.string(),
    logged_by: z.string().nullable(),
    created_at: z.string(),
    customer_id: z.string(),
    occurred_at: z.string(),
  }),
};

/**
 * The most passages search_customer_history answers: its max_results is 1 to this (8 when
 * left out). The SQL function refuses more (supabase/migrations/…_blank_text_is_any_whitespace.sql);
 * every client's limit is this one (MCP's tool; tests/integration/mcp.test.ts holds the two equal).
 */
export const SEARCH_HISTORY_MAX_RESULTS = 50;

export const search_customer_history = {
  args: z.object({
    customer_id: z.string(),
    max_results: z.number().int().min(1).max(SEARCH_HISTORY_MAX_RESULTS).nullish(),
    query: z.string(),
  }),
  result: z.array(z.object({
    rank: z.number(),
    title: z.string(),
    snippet: z.string(),
    source_id: z.string(),
    occurred_at: z.string(),
    source_kind: z.string(),
    /** An engagement's type (call, support_ticket…), else null: named as the timeline names it. */
    source_subtype: z.string().nullable(),
  })),
};
