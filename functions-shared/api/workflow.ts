// Identity, preferences, the queue and the workflow engine (executions, steps, escalations).
import { z } from 'zod';
import { JsonArg, JsonObject } from './json.ts';
import { AccountPlan, Artifact, ChatThread, CustomerSummary, ExecutionStatus, RenewalStage, SendState, WorkflowType, ExecutionState, LookupEntries, PersonRef, Preferences, SideEffect, StepRef, StepState, Task, WorkflowStep } from './shapes.ts';

/** Queue lanes, in queue order: lane before priority score (docs/workflow-engine.md). */
export const QueueLane = z.enum(['now', 'soon', 'planned']);
export type QueueLane = z.infer<typeof QueueLane>;
/** A lane by the name the queue shows it under ("Now"): the web app's and the daily brief's. */
export const QUEUE_LANE_LABEL: Record<QueueLane, string> = { now: 'Now', soon: 'Soon', planned: 'Planned' };

/** Server-side queue filters (get_workflow_queue `filters`); an empty list filters nothing. */
export const QueueFilters = z.object({
  types: z.array(WorkflowType).optional(),
  stages: z.array(RenewalStage).optional(),
  plans: z.array(AccountPlan).optional(),
  lanes: z.array(QueueLane).optional(),
  search: z.string().optional(),
});
export type QueueFilters = z.infer<typeof QueueFilters>;

/** One open execution in the queue, in priority order (lane, then score). */
export const QueueItem = z.object({
  execution_id: z.string(),
  workflow_key: z.string(),
  workflow_name: z.string(),
  workflow_type: WorkflowType,
  status: ExecutionStatus,
  lane: QueueLane,
  priority_score: z.number(),
  priority_factors: JsonObject,
  customer: CustomerSummary,
  assignee_id: z.string().nullable(),
  current_step: StepRef.nullable(),
  total_steps: z.number(),
  completed_steps: z.number(),
  snoozed_until: z.string().nullable(),
  created_at: z.string(),
  /** Grouped by customer only: the customer's other open items. */
  other_items: z.object({ count: z.number(), kinds: z.array(WorkflowType) }).optional(),
});
export type QueueItem = z.infer<typeof QueueItem>;

/** Counts over the whole queue (after the filters), not the page. */
export const QueueStats = z.object({
  total: z.number(),
  by_lane: z.partialRecord(QueueLane, z.number()),
  by_type: z.record(z.string(), z.number()),
  by_stage: z.record(z.string(), z.number()),
  by_account_plan: z.record(z.string(), z.number()),
  unique_customers: z.number(),
  avg_priority: z.number().nullable(),
  priority_range: z.object({ min: z.number().nullable(), max: z.number().nullable() }),
});
export type QueueStats = z.infer<typeof QueueStats>;

/**
 * An escalation as an execution's metadata records it (metadata.escalations, newest last;
 * only the escalate action writes it: level and time always, the rest when not null).
 */
export const EscalationEntry = z.object({ level: z.string(), at: z.string() }).extend(
  z.object({ reason: z.string(), by: z.string(), manager_id: z.string(), from_status: z.string(), snoozed_until: z.string() }).partial().shape,
);
export type EscalationEntry = z.infer<typeof EscalationEntry>;

/** An execution with everything its page shows (create_workflow_execution, get_workflow_execution). */
export const WorkflowExecution = z.object({
  id: z.string(),
  /** The same id under the queue's name for it. */
  execution_id: z.string(),
  workflow: z.object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    type: z.string(),
    version: z.number(),
    version_id: z.string(),
  }),
  workflow_key: z.string(),
  workflow_name: z.string(),
  workflow_type: WorkflowType,
  status: ExecutionStatus,
  customer: CustomerSummary,
  assignee_id: z.string().nullable(),
  priority_score: z.number(),
  priority_factors: JsonObject,
  trigger_reason: z.string().nullable(),
  renewal_stage: z.string().nullable(),
  period_key: z.string().nullable(),
  superseded_by: z.string().nullable(),
  snoozed_until: z.string().nullable(),
  /** Why it was snoozed, while it is (the reason of its newest snooze); else null. */
  snooze_reason: z.string().nullable(),
  outcome: JsonObject.nullable(),
  /** Free-form, with the escalations recorded (the open one last). */
  metadata: JsonObject.and(z.object({ escalations: z.array(EscalationEntry).optional() })),
  progress: z.number(),
  total_steps: z.number(),
  completed_steps: z.number(),
  current_step: StepRef.nullable(),
  steps: z.array(WorkflowStep),
  threads: z.array(ChatThread.omit({ execution_id: true, started_by: true, created_at: true, updated_at: true })),
  artifacts: z.array(Artifact.pick({
    id: true, title: true, content: true, task_id: true, version: true, step_key: true, thread_id: true, created_at: true,
    updated_at: true, approved_at: true, approved_by: true, generated_by: true, artifact_type: true, ai_model: true, sent_at: true,
    created_by: true,
  }).extend({
    /** Where its email is: queued (waiting in the outbox; kept as it will go out), sent, no_mail_server (handed over, taken by no mail server; kept as sent), failed (editable again), or never sent (null). */
    send_state: SendState.nullable(),
    /** Who wrote its current title and content (its last text editor, or its creator): the one person who may not approve it where self-approval is off. */
    written_by: z.string().nullable(),
  })),
  tasks: z.array(Task.pick({
    id: true, title: true, description: true, status: true, due_date: true, priority: true, task_type: true, created_at: true,
    assigned_to: true, force_action: true, snoozed_until: true, created_by_agent: true,
  })),
  /** The action log, newest first: its newest 50 rows (actions_total says how many there are). */
  actions: z.array(z.object({
    id: z.string(),
    action_key: z.string(),
    success: z.boolean(),
    params: JsonObject,
    result: JsonObject.nullable(),
    executed_by: z.string().nullable(),
    error_message: z.string().nullable(),
    side_effects: z.array(SideEffect),
    created_at: z.string(),
  })),
  /** Every row of the action log the page may list; more than `actions` holds when it is longer. */
  actions_total: z.number().int(),
  meetings: z.array(z.object({
    id: z.string(),
    title: z.string(),
    task_id: z.string().nullable(),
    attendees: z.array(z.string()),
    scheduled_at: z.string().nullable(),
    duration_minutes: z.number(),
    invite_status: z.string(),
    invite_ics: z.string().nullable(),
    created_at: z.string(),
  })),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type WorkflowExecution = z.infer<typeof WorkflowExecution>;

export const cancel_workflow = {
  args: z.object({
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    reason: z.string(),
  }),
  result: ExecutionState,
};

export const complete_step = {
  args: z.object({
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    outcome: JsonArg.nullish(),
    step_key: z.string(),
  }),
  result: z.object({
    step: StepState.extend({
      outcome: JsonObject.nullable(),
      skip_reason: z.string().nullable(),
      completed_at: z.string().nullable(),
    }),
    execution: ExecutionState,
    next_step: StepState.nullable(),
    workflow_completed: z.boolean(),
  }),
};

export const complete_workflow = {
  args: z.object({
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    outcome: JsonArg.nullish(),
    reason: z.string().nullish(),
    skip_remaining: z.boolean().nullish(),
  }),
  result: ExecutionState.extend({
    steps_done: z.number(),
    skipped_now: z.array(z.string()),
    steps_skipped: z.number(),
  }),
};

export const create_workflow_execution = {
  args: z.object({
    assignee_id: z.string().nullish(),
    customer_id: z.string(),
    workflow_key: z.string(),
  }),
  result: WorkflowExecution,
};

export const get_my_profile = {
  args: z.object({}),
  result: z.object({
    id: z.string(),
    role: z.enum(['admin', 'manager', 'csm', 'viewer']),
    email: z.string(),
    title: z.string().nullable(),
    org_id: z.string(),
    org_name: z.string(),
    full_name: z.string(),
    manager_id: z.string().nullable(),
    experience_level: z.string().nullable(),
    /** The organisation's time zone (IANA): the days a due date is counted in, as the server counts them. */
    time_zone: z.string(),
  }),
};

export const get_user_preferences = {
  args: z.object({}),
  result: Preferences,
};

export const get_workflow_execution = {
  args: z.object({
    execution_id: z.string(),
  }),
  result: WorkflowExecution,
};

export const get_workflow_queue = {
  args: z.object({
    assignee_id: z.string().nullish(),
    cursor: z.string().nullish(),
    filters: QueueFilters.nullish(),
    group_by_customer: z.boolean().nullish(),
    include_snoozed: z.boolean().nullish(),
    page_size: z.number().nullish(),
  }),
  result: z.object({
    items: z.array(QueueItem),
    next_cursor: z.string().nullable(),
    stats: QueueStats,
  }),
};

export const list_escalations = {
  args: z.object({
    status: z.string().nullish(),
  }),
  result: z.array(z.object({
    id: z.string(),
    level: z.string(),
    reason: z.string().nullable(),
    status: z.string(),
    is_mine: z.boolean().nullable(),
    manager: PersonRef.nullable(),
    age_days: z.number(),
    assignee: PersonRef.nullable(),
    customer: z.object({
      id: z.string(),
      arr: z.number().nullable(),
      name: z.string(),
      health_score: z.number().nullable(),
      renewal_date: z.string().nullable(),
      decision_date: z.string().nullable(),
      renewal_stage: z.string().nullable(),
    }),
    workflow: z.object({
      key: z.string(),
      name: z.string(),
      type: z.string(),
    }),
    age_hours: z.number(),
    resolution: z.object({
      status: z.string(),
      note: z.string().nullable(),
      at: z.string().nullable(),
      by: z.object({ id: z.string().nullable(), full_name: z.string().nullable() }),
      reassigned_to: PersonRef.nullable(),
    }).nullable(),
    escalated_at: z.string(),
    escalated_by: PersonRef.nullable(),
    execution_id: z.string(),
    execution_status: z.string(),
  })),
};

// The kinds of workflow with their labels, in the lookup's order (app.workflow_types;
// docs/lookups.md): what the queue's type filter offers and how a type is named.
export const list_workflow_types = {
  args: z.object({}),
  result: LookupEntries,
};

export const reassign_workflow = {
  args: z.object({
    assignee_id: z.string(),
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    reason: z.string(),
  }),
  result: ExecutionState,
};

/**
 * Managers and admins: 1 to 200 workflows to one person, each as reassign_workflow does, in one
 * call; the ones refused are listed with their code and words, and each person is told once.
 */
export const reassign_workflows = {
  args: z.object({
    assignee_id: z.string(),
    execution_ids: z.array(z.string()),
    idempotency_key: z.string().nullish(),
    reason: z.string(),
  }),
  result: z.object({
    assignee_id: z.string(),
    assignee_name: z.string(),
    reassigned: z.array(ExecutionState),
    // Those the person held already, left as they were (migration 20261212700000).
    already_theirs: z.array(z.string()),
    refused: z.array(z.object({ execution_id: z.string(), code: z.string(), message: z.string() })),
    handed_over: z.object({ workflows: z.number(), tasks: z.number() }),
  }),
};

export const resolve_escalation = {
  args: z.object({
    assignee_id: z.string().nullish(),
    decision: z.string(),
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    note: z.string(),
  }),
  result: ExecutionState.extend({
    decision: z.string(),
    escalation_id: z.string(),
    escalation_status: z.string(),
  }),
};

export const run_orchestrator = {
  args: z.object({
    as_of: z.string().nullish(),
  }),
  result: z.object({
    mode: z.string(),
    as_of: z.string(),
    marks: z.number(),
    woken: z.number(),
    run_id: z.string().nullable(),
    created: z.number(),
    restaged: z.number(),
    customers: z.number(),
    superseded: z.number(),
    duration_ms: z.number().nullable(),
    /** Why the run rebuilt everything ('first run', 'requested', …); null when it was incremental. */
    full_reason: z.string().nullable(),
  }),
};

export const start_workflow = {
  args: z.object({
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
  }),
  result: ExecutionState,
};

export const update_user_preferences = {
  args: z.object({
    changes: JsonArg,
  }),
  result: Preferences,
};

export const wake_workflow = {
  args: z.object({
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
  }),
  result: ExecutionState,
};

export const withdraw_escalation = {
  args: z.object({
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    reason: z.string(),
  }),
  result: ExecutionState.extend({
    escalation_id: z.string(),
    escalation_status: z.string(),
  }),
};

export const withdraw_overridden_approval = {
  args: z.object({
    executed_by: z.string(),
    execution_id: z.string(),
    params: JsonArg,
  }),
  result: z.boolean(),
};
