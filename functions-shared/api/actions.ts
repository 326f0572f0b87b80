// Actions and their log, AI proposals, the outbox and notifications.
import { z } from 'zod';
import { JsonArg, JsonObject } from './json.ts';
import { ClaimedOutboxMessage, CustomerRef, ExecutionState, LookupEntries, Notification, OutboxState, PersonRef, Proposal, ProposalStatus, SideEffect } from './shapes.ts';

/** What execute_action returns: the state change, the execution after it, its side effects. */
export const ActionOutcome = z.object({
  action_execution_id: z.string(),
  action_key: z.string(),
  success: z.boolean(),
  result: JsonObject,
  execution: ExecutionState,
  side_effects: z.array(SideEffect),
  /** True when the idempotency key was seen before and nothing was applied again. */
  replayed: z.boolean(),
});
export type ActionOutcome = z.infer<typeof ActionOutcome>;

/** A saved action of the organisation: its config, and the core action's when it overrides one. */
export const SavedAction = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  // core, the organisation's limits on a core action (override), or its own.
  scope: z.enum(['core', 'override', 'organisation']),
  description: z.string().nullable(),
  config: JsonObject,
  core_config: JsonObject.nullable(),
  updated_at: z.string(),
});
export type SavedAction = z.infer<typeof SavedAction>;

export const claim_due_outbox_messages = {
  args: z.object({
    lease_seconds: z.number().nullish(),
    max_messages: z.number().nullish(),
  }),
  result: z.array(ClaimedOutboxMessage),
};

export const claim_outbox_message = {
  args: z.object({
    lease_seconds: z.number().nullish(),
    outbox_id: z.string(),
  }),
  /** Claimed: the row with its lease; not claimed (someone else holds it, or it is done): its state. */
  result: z.object({
    claimed: z.boolean(),
    outbox: z.union([ClaimedOutboxMessage, OutboxState]),
    side_effects: z.array(SideEffect).nullable(),
  }),
};

export const complete_outbox_message = {
  args: z.object({
    delivery_status: z.string(),
    error_message: z.string().nullish(),
    lease_token: z.string(),
    outbox_id: z.string(),
    provider_message_id: z.string().nullish(),
  }),
  result: z.object({
    outbox: OutboxState,
    side_effects: z.array(SideEffect),
  }),
};

export const decide_proposal = {
  args: z.object({
    approve: z.boolean(),
    idempotency_key: z.string().nullish(),
    params: JsonArg.nullish(),
    proposal_id: z.string(),
  }),
  result: z.object({
    proposal: Proposal,
    /** The executed action (an approval), else null. */
    action: ActionOutcome.nullable(),
    replayed: z.boolean(),
  }),
};

export const execute_action = {
  args: z.object({
    action_key: z.string(),
    execution_id: z.string(),
    idempotency_key: z.string().nullish(),
    params: JsonArg.nullish(),
  }),
  result: ActionOutcome,
};

// Whom a workflow can be escalated to, lowest first (the lookup app.escalation_levels; docs/lookups.md).
export const list_escalation_levels = {
  args: z.object({}),
  result: LookupEntries,
};

export const list_notifications = {
  args: z.object({
    page_size: z.number().nullish(),
    unread_only: z.boolean().nullish(),
  }),
  result: z.object({
    items: z.array(Notification),
    unread_count: z.number(),
  }),
};

export const list_outbox_messages = {
  args: z.object({
    cursor: z.string().nullish(),
    page_size: z.number().nullish(),
  }),
  result: z.object({
    items: z.array(z.object({
      cc: z.array(z.string()),
      id: z.string(),
      to: z.array(z.string()),
      status: z.string(),
      sent_at: z.string().nullable(),
      subject: z.string(),
      attempts: z.number(),
      customer: CustomerRef.nullable(),
      body_html: z.string().nullable(),
      body_text: z.string(),
      created_at: z.string(),
      last_error: z.string().nullable(),
      updated_at: z.string(),
      artifact_id: z.string().nullable(),
      execution_id: z.string().nullable(),
      requested_by: PersonRef.nullable(),
      provider_message_id: z.string().nullable(),
    })),
    next_cursor: z.string().nullable(),
  }),
};

export const list_proposals = {
  args: z.object({
    execution_id: z.string().nullish(),
    /** One status, or all of them (the SQL's default: proposed). */
    status: z.enum([...ProposalStatus.options, 'all']).nullish(),
  }),
  result: z.array(Proposal),
};

export const list_saved_actions = {
  args: z.object({}),
  result: z.array(SavedAction),
};

export const log_refused_action = {
  args: z.object({
    action_key: z.string(),
    error_code: z.string(),
    error_message: z.string(),
    executed_by: z.string(),
    execution_id: z.string(),
    idempotency_key: z.string().nullable(),
    params: JsonArg,
  }),
  result: z.string(),
};

export const mark_notifications_read = {
  args: z.object({
    notification_ids: z.array(z.string()).nullish(),
  }),
  result: z.object({
    marked: z.number(),
  }),
};

export const propose_action = {
  args: z.object({
    action_key: z.string(),
    author_id: z.string().nullish(),
    execution_id: z.string().nullish(),
    message_id: z.string().nullish(),
    params: JsonArg.nullish(),
    rationale: z.string(),
    source: z.string().nullish(),
    source_ref: z.string().nullish(),
    thread_id: z.string().nullish(),
  }),
  result: Proposal.extend({
    duplicate: z.boolean(),
  }),
};

export const record_action_side_effect = {
  args: z.object({
    action_execution_id: z.string(),
    details: JsonArg.nullish(),
    effect_type: z.string(),
    error_message: z.string().nullish(),
    status: z.string(),
  }),
  result: z.array(SideEffect),
};

export const retry_outbox_message = {
  args: z.object({
    outbox_id: z.string(),
  }),
  result: z.object({
    id: z.string(),
    status: z.string(),
    attempts: z.number(),
    last_error: z.string().nullable(),
    artifact_id: z.string().nullable(),
    execution_id: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
  }),
};

export const save_saved_action = {
  args: z.object({
    action_key: z.string(),
    action_type: z.string().nullish(),
    config: JsonArg,
    description: z.string().nullish(),
    name: z.string().nullish(),
  }),
  result: SavedAction,
};
